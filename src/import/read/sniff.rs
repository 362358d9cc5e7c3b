//! What a file is, by its content: container magic, text encoding, delimiter, and a note when
//! the extension says otherwise.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom};

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::source::{Input, io_error, read_head, read_tail};
use super::workbook::{Book, OpenError};
use super::{ReadError, Source};
use crate::i18n::{t, tf};
use crate::import::{Limit, LooksLike, WorkbookFailure};

/// Bytes looked at by [`sniff`] to decide encoding and delimiter.
pub(super) const SNIFF_BYTES: usize = 64 * 1024;
/// Text records looked at to decide the delimiter.
const SNIFF_RECORDS: usize = 50;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What a file is, by its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Delimited text (CSV, TSV…).
    Delimited {
        /// `"UTF-8"`, `"UTF-16LE"`, `"UTF-16BE"` or `"windows-1252"` (encoding_rs names).
        encoding: &'static str,
        /// `b','`, `b';'`, `b'\t'` or `b'|'` (or what a `sep=` first line says).
        delimiter: u8,
    },
    /// Excel 2007+ workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97-2003 workbook (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// A short description in the user's language, e.g. "texto separado por punto y coma
    /// (CSV), Windows-1252".
    pub fn describe(&self) -> String {
        match self {
            Format::Delimited {
                encoding,
                delimiter,
            } => {
                let sep = match delimiter {
                    b',' => t("read.sep_comma"),
                    b';' => t("read.sep_semicolon"),
                    b'\t' => t("read.sep_tab"),
                    b'|' => t("read.sep_pipe"),
                    other => tf("read.sep_other", &[("char", &char::from(*other))]),
                };
                let enc = if *encoding == "windows-1252" {
                    "Windows-1252"
                } else {
                    encoding
                };
                tf(
                    "read.format_delimited",
                    &[("sep", &sep), ("encoding", &enc)],
                )
            }
            Format::Xlsx => t("read.format_xlsx"),
            Format::Xlsb => t("read.format_xlsb"),
            Format::Xls => t("read.format_xls"),
            Format::Ods => t("read.format_ods"),
        }
    }
}

/// The result of [`sniff`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    /// The format found by content.
    pub format: Format,
    /// Worksheet names in workbook order (chart sheets left out); empty for text files.
    pub sheets: Vec<String>,
    /// File size in bytes.
    pub size: u64,
    /// Something the user should know that does not stop the reading, in the language in use
    /// when sniffed (e.g. the extension does not match the content).
    pub note: Option<String>,
}

/// Looks at the content (not the extension) and tells the format, encoding, delimiter and,
/// for workbooks, the sheets. Errors say what to do when shown.
pub fn sniff(source: &Source) -> Result<Sniffed, ReadError> {
    let size = source.size()?;
    if size == 0 {
        return Err(empty_error(source));
    }
    let mut input = source.input()?;
    let head = read_head(&mut input, SNIFF_BYTES).map_err(|e| io_error(source, e))?;
    if head.is_empty() {
        return Err(empty_error(source));
    }
    input
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_error(source, e))?;
    let (format, sheets) = if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        sniff_zip(source, input, &head, size)?
    } else if head.starts_with(&OLE_MAGIC) {
        sniff_ole(source, input)?
    } else {
        let whole = head.len() as u64 >= size;
        (sniff_text(source, &head, whole)?, Vec::new())
    };
    let note = extension_note(source, &format);
    Ok(Sniffed {
        format,
        sheets,
        size,
        note,
    })
}

fn empty_error(source: &Source) -> ReadError {
    ReadError::Empty {
        name: source.name(),
    }
}

fn not_a_table(source: &Source, looks_like: LooksLike) -> ReadError {
    ReadError::NotATable {
        name: source.name(),
        looks_like,
    }
}

pub(super) fn damaged_workbook(source: &Source, cause: Option<WorkbookFailure>) -> ReadError {
    ReadError::DamagedWorkbook {
        name: source.name(),
        cause,
    }
}

pub(super) fn implausible(source: &Source, limit: Limit) -> ReadError {
    log::warn!("{}: libro inverosímil: {limit:?}", source.name());
    ReadError::Implausible {
        name: source.name(),
        limit,
    }
}

pub(super) fn password_error(source: &Source) -> ReadError {
    ReadError::Password {
        name: source.name(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn sniff_zip(
    source: &Source,
    mut input: Input,
    head: &[u8],
    size: u64,
) -> Result<(Format, Vec<String>), ReadError> {
    // The end-of-central-directory record sits in the last 64 KiB + 22 bytes of a zip file;
    // the central directory (with every entry's name) just before it.
    let tail = read_tail(&mut input, size, 256 * 1024).map_err(|e| io_error(source, e))?;
    let has_directory = contains(&tail, b"PK\x05\x06");
    let is_ods = head.len() > 38
        && &head[30..38] == b"mimetype"
        && contains(head, b"opendocument.spreadsheet");
    if !is_ods && contains(head, b"application/vnd.oasis.opendocument") {
        return Err(not_a_table(source, LooksLike::OpenDocumentNotSpreadsheet));
    }
    let order: &[Format] = if is_ods {
        &[Format::Ods]
    } else if contains(&tail, b"xl/workbook.bin") {
        &[Format::Xlsb]
    } else {
        &[Format::Xlsx, Format::Xlsb]
    };
    drop(input);
    let mut password = false;
    for format in order {
        match Book::open(*format, source.input()?) {
            Ok(book) => {
                let sheets = book.worksheet_names();
                if sheets.is_empty() {
                    return Err(ReadError::NoWorksheets {
                        name: source.name(),
                        format: *format,
                    });
                }
                return Ok((*format, sheets));
            }
            Err(OpenError::Password) => password = true,
            Err(OpenError::Implausible(limit)) => return Err(implausible(source, limit)),
            Err(OpenError::Other(e)) => {
                log::debug!("{}: no se abrió como {format:?}: {e}", source.name())
            }
        }
    }
    if password {
        return Err(password_error(source));
    }
    // Entry names of an Excel or OpenDocument workbook (a .docx has `word/` instead).
    let spreadsheet_like =
        contains(head, b"xl/") || contains(&tail, b"xl/") || contains(&tail, b"content.xml");
    if !has_directory || spreadsheet_like {
        Err(damaged_workbook(source, None))
    } else {
        Err(not_a_table(source, LooksLike::ZipWithoutSpreadsheet))
    }
}

fn sniff_ole(source: &Source, input: Input) -> Result<(Format, Vec<String>), ReadError> {
    match Book::open(Format::Xls, input) {
        Ok(book) => {
            let sheets = book.worksheet_names();
            if sheets.is_empty() {
                return Err(ReadError::NoWorksheets {
                    name: source.name(),
                    format: Format::Xls,
                });
            }
            Ok((Format::Xls, sheets))
        }
        Err(OpenError::Password) => Err(password_error(source)),
        Err(OpenError::Implausible(limit)) => Err(implausible(source, limit)),
        Err(OpenError::Other(e)) => {
            log::debug!("{}: no se abrió como .xls: {e}", source.name());
            // An encrypted .xlsx is an OLE file too: calamine's Xlsx reader recognises it.
            if let Ok(reader) = source.input()
                && let Err(OpenError::Password) = Book::open(Format::Xlsx, reader)
            {
                return Err(password_error(source));
            }
            Err(ReadError::DamagedOrNotSpreadsheet {
                name: source.name(),
                cause: e,
            })
        }
    }
}

fn sniff_text(source: &Source, head: &[u8], whole: bool) -> Result<Format, ReadError> {
    if head.starts_with(b"%PDF") {
        return Err(not_a_table(source, LooksLike::Pdf));
    }
    if head.starts_with(b"{\\rtf") {
        return Err(not_a_table(source, LooksLike::Rtf));
    }
    let (encoding, bom) = detect_encoding(head, !whole);
    let (text, _) = encoding.decode_without_bom_handling(&head[bom..]);
    if whole && text.trim().is_empty() {
        return Err(empty_error(source));
    }
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        let control = (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0C'))
            || ('\u{80}'..='\u{9F}').contains(&c)
            || c == '\u{FFFD}';
        if control {
            bad += 1;
        }
    }
    if bad * 100 > total {
        return Err(not_a_table(source, LooksLike::Binary));
    }
    let start: String = text.trim_start().chars().take(2048).collect();
    if start.starts_with('<') {
        let lower = start.to_lowercase();
        let what = if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            LooksLike::ExcelXml2003
        } else if lower.contains("<html") || lower.contains("<table") || lower.contains("<!doctype")
        {
            LooksLike::Html
        } else {
            LooksLike::Xml
        };
        return Err(not_a_table(source, what));
    }
    let delimiter = sniff_delimiter(&text, !whole);
    Ok(Format::Delimited {
        encoding: encoding.name(),
        delimiter,
    })
}

/// The encoding of a text file and the length of its byte-order mark.
fn detect_encoding(head: &[u8], cut: bool) -> (&'static Encoding, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (UTF_8, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (UTF_16LE, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (UTF_16BE, 2);
    }
    // UTF-16 without a BOM: mostly-ASCII text has a zero in every other byte.
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() >= 8 {
        let pairs = sample.len() / 2;
        let even_zero = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let odd_zero = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        if odd_zero * 10 >= pairs * 9 && even_zero * 20 < pairs {
            return (UTF_16LE, 0);
        }
        if even_zero * 10 >= pairs * 9 && odd_zero * 20 < pairs {
            return (UTF_16BE, 0);
        }
    }
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        // A sequence cut by the end of the sample is fine.
        Err(e) => cut && e.error_len().is_none(),
    };
    if utf8 { (UTF_8, 0) } else { (WINDOWS_1252, 0) }
}

/// Field separators per record (outside quotes) for one candidate delimiter, CSV rules:
/// a quote opens a quoted field only at the start of a field.
fn separator_counts(text: &str, delimiter: char, cut: bool) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut count = 0usize;
    let mut content = false;
    let mut in_quotes = false;
    let mut at_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        if c == '"' && at_start {
            in_quotes = true;
            at_start = false;
            content = true;
        } else if c == '\n' || c == '\r' {
            if content {
                counts.push(count);
                if counts.len() >= SNIFF_RECORDS {
                    return counts;
                }
            }
            count = 0;
            content = false;
            at_start = true;
        } else if c == delimiter {
            count += 1;
            at_start = true;
            content = true;
        } else {
            at_start = false;
            if !c.is_whitespace() {
                content = true;
            }
        }
    }
    // The last record of a cut sample is incomplete.
    if content && !cut {
        counts.push(count);
    }
    counts
}

/// The delimiter: a `sep=X` first line if any, else the candidate present in most records,
/// then the most consistent count, then the largest count.
fn sniff_delimiter(text: &str, cut: bool) -> u8 {
    if let Some(first) = text.split(['\r', '\n']).next() {
        let first = first.trim();
        let lower = first.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("sep=") {
            let mut chars = rest.chars();
            if let (Some(c), None) = (chars.next(), chars.next())
                && c.is_ascii()
                && c != '"'
            {
                return c as u8;
            }
        }
    }
    // (presence, consistency, mode, delimiter)
    let mut best: Option<(f64, f64, usize, u8)> = None;
    let mut least_present: Option<(f64, u8)> = None;
    for d in DELIMITERS {
        let counts = separator_counts(text, char::from(d), cut);
        if counts.is_empty() {
            continue;
        }
        let n = counts.len() as f64;
        let present = counts.iter().filter(|c| **c > 0).count() as f64 / n;
        if least_present.is_none_or(|(p, _)| present < p) {
            least_present = Some((present, d));
        }
        let mut freq: HashMap<usize, usize> = HashMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *freq.entry(*c).or_default() += 1;
        }
        let Some((mode, hits)) = freq
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        else {
            continue;
        };
        let consistency = hits as f64 / n;
        let candidate = (present, consistency, mode, d);
        let better = match best {
            None => true,
            Some((p, c, m, _)) => (present, consistency, mode)
                .partial_cmp(&(p, c, m))
                .is_some_and(|o| o == std::cmp::Ordering::Greater),
        };
        if better {
            best = Some(candidate);
        }
    }
    match best {
        Some((present, _, _, d)) if present >= 0.5 => d,
        // One column (or no separator in most records): split on what is rarest.
        _ => least_present.map_or(b',', |(_, d)| d),
    }
}

fn extension_note(source: &Source, format: &Format) -> Option<String> {
    let ext = source.extension()?;
    let fits = match format {
        Format::Delimited { .. } => {
            matches!(
                ext.as_str(),
                "csv" | "txt" | "tsv" | "tab" | "prn" | "dat" | "text"
            )
        }
        Format::Xlsx => matches!(ext.as_str(), "xlsx" | "xlsm" | "xltx" | "xltm"),
        Format::Xlsb => ext == "xlsb",
        Format::Xls => matches!(ext.as_str(), "xls" | "xlt"),
        Format::Ods => matches!(ext.as_str(), "ods" | "ots"),
    };
    if fits {
        return None;
    }
    Some(tf(
        "read.extension_note",
        &[
            ("ext", &ext),
            ("format", &format.describe()),
            ("name", &source.name()),
        ],
    ))
}
