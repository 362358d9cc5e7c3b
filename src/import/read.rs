//! Reading any contact file a department sends: CSV/TSV text in any usual encoding, Excel
//! workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`) and OpenDocument sheets (`.ods`).
//!
//! The content decides the format, not the extension: [`sniff`] looks at the first bytes,
//! [`open`] finds the header row (it may sit below title rows), maps the columns by the words
//! their headers contain ([`map_columns`]) and streams the data rows with bounded memory
//! ([`Table::rows`]). [`preview`] does both for the column-mapping screen.
//!
//! Limits (all documented constants): a cell keeps at most [`MAX_CELL_CHARS`] characters (a
//! warning names the row and column of each cut); one text record may not exceed
//! [`MAX_RECORD_BYTES`] (an unclosed quote would otherwise swallow the rest of the file); the
//! header is searched for in the first [`HEADER_SEARCH_ROWS`] non-blank rows.
//!
//! Memory: text files are read record by record through `csv` (never whole); `.xlsx`
//! worksheets are streamed cell by cell by a reader thread into a small bounded channel.
//! `.xls`, `.xlsb` and `.ods` are loaded one sheet at a time (calamine has no streaming reader
//! for them; `.xls` cannot exceed 65,536 rows anyway).

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, OdsError, Range, Reader, SheetType, SheetVisible, Xls,
    XlsError, Xlsb, Xlsx, XlsxError,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::{Field, ReadError, Row};

/// A cell longer than this many characters is cut to this length (with a warning).
pub const MAX_CELL_CHARS: usize = 10_000;

/// The header row is searched for among this many first non-blank rows.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// A single text record (one row, quoted line breaks included) larger than this many bytes
/// stops the reading with an error: it almost always means an unclosed quote.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Bytes looked at by [`sniff`] to decide encoding and delimiter.
const SNIFF_BYTES: usize = 64 * 1024;
/// Text records looked at to decide the delimiter.
const SNIFF_RECORDS: usize = 50;
/// Detailed warnings kept; later ones are only counted.
const MAX_WARNINGS: usize = 100;
/// Rows per message from the `.xlsx` reader thread, and messages in flight.
const BATCH_ROWS: usize = 256;
const BATCH_QUEUE: usize = 4;
/// Rows [`preview`] looks through at most to find its sample.
const PREVIEW_SCAN_ROWS: usize = 10_000;
/// Columns of a worksheet (Excel's own limit).
const MAX_COLUMNS: usize = 16_384;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

/// Where a file's bytes are: on disk, or in memory (an attachment kept in the database).
#[derive(Clone, Debug)]
pub enum Source {
    /// A file on disk, read as a stream.
    File(PathBuf),
    /// Bytes in memory; `name` is the original file name (used for its extension and messages).
    Bytes {
        /// Original file name, e.g. `base_feria.xlsx`.
        name: String,
        /// The whole file.
        data: Arc<Vec<u8>>,
    },
}

impl Source {
    /// The file name shown to the user (without folders).
    pub fn name(&self) -> String {
        match self {
            Source::File(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.to_string_lossy().into_owned()),
            Source::Bytes { name, .. } => Path::new(name)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| name.clone()),
        }
    }

    /// The extension in lower case, without the dot.
    fn extension(&self) -> Option<String> {
        let path = match self {
            Source::File(path) => path.as_path(),
            Source::Bytes { name, .. } => Path::new(name.as_str()),
        };
        path.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .filter(|e| !e.is_empty())
    }

    /// A fresh reader positioned at the start.
    fn input(&self) -> Result<Input, ReadError> {
        match self {
            Source::File(path) => File::open(path)
                .map(|f| Input::File(BufReader::with_capacity(64 * 1024, f)))
                .map_err(|e| io_error(self, &e)),
            Source::Bytes { data, .. } => Ok(Input::Bytes(Cursor::new(Shared(Arc::clone(data))))),
        }
    }

    /// Size in bytes.
    fn size(&self) -> Result<u64, ReadError> {
        match self {
            Source::File(path) => {
                let meta = std::fs::metadata(path).map_err(|e| io_error(self, &e))?;
                if meta.is_dir() {
                    return Err(ReadError(format!(
                        "«{}» es una carpeta, no un archivo. Elija el archivo de contactos que \
                         está dentro de ella.",
                        self.name()
                    )));
                }
                Ok(meta.len())
            }
            Source::Bytes { data, .. } => Ok(data.len() as u64),
        }
    }
}

/// Shared bytes usable by `Cursor`.
#[derive(Clone)]
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// A readable, seekable source (file or memory).
enum Input {
    File(BufReader<File>),
    Bytes(Cursor<Shared>),
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::File(f) => f.read(buf),
            Input::Bytes(c) => c.read(buf),
        }
    }
}

impl Seek for Input {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            Input::File(f) => f.seek(pos),
            Input::Bytes(c) => c.seek(pos),
        }
    }
}

fn io_error(source: &Source, e: &io::Error) -> ReadError {
    let name = source.name();
    ReadError(match e.kind() {
        io::ErrorKind::NotFound => format!(
            "No se encontró el archivo «{name}». Verifique que no se haya movido o borrado y \
             vuelva a elegirlo."
        ),
        io::ErrorKind::PermissionDenied => format!(
            "No se pudo abrir «{name}»: no hay permiso para leerlo o está abierto en otro \
             programa. Ciérrelo en Excel y vuelva a intentarlo."
        ),
        _ => format!(
            "No se pudo leer «{name}» ({e}). Copie el archivo a su equipo y vuelva a intentarlo."
        ),
    })
}

/// Reads up to `limit` bytes from the start.
fn read_head(input: &mut Input, limit: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit.min(SNIFF_BYTES));
    input.by_ref().take(limit as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Reads up to `limit` bytes from the end.
fn read_tail(input: &mut Input, size: u64, limit: u64) -> io::Result<Vec<u8>> {
    let start = size.saturating_sub(limit);
    input.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    input.by_ref().take(limit).read_to_end(&mut tail)?;
    input.seek(SeekFrom::Start(0))?;
    Ok(tail)
}

// ---------------------------------------------------------------------------------------------
// Sniffing
// ---------------------------------------------------------------------------------------------

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
    /// A short description in Spanish, e.g. "texto separado por punto y coma (CSV), Windows-1252".
    pub fn describe(&self) -> String {
        match self {
            Format::Delimited {
                encoding,
                delimiter,
            } => {
                let sep = match delimiter {
                    b',' => "comas".to_string(),
                    b';' => "punto y coma".to_string(),
                    b'\t' => "tabuladores".to_string(),
                    b'|' => "barras verticales (|)".to_string(),
                    other => format!("«{}»", char::from(*other)),
                };
                let enc = if *encoding == "windows-1252" {
                    "Windows-1252"
                } else {
                    encoding
                };
                format!("texto separado por {sep} (CSV), {enc}")
            }
            Format::Xlsx => "un libro de Excel (.xlsx)".to_string(),
            Format::Xlsb => "un libro binario de Excel (.xlsb)".to_string(),
            Format::Xls => "un libro de Excel 97-2003 (.xls)".to_string(),
            Format::Ods => "una hoja de cálculo OpenDocument (.ods)".to_string(),
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
    /// Something the user should know that does not stop the reading, in Spanish (e.g. the
    /// extension does not match the content).
    pub note: Option<String>,
}

/// Looks at the content (not the extension) and tells the format, encoding, delimiter and,
/// for workbooks, the sheets. Errors are in Spanish and say what to do.
pub fn sniff(source: &Source) -> Result<Sniffed, ReadError> {
    let size = source.size()?;
    if size == 0 {
        return Err(empty_error(source));
    }
    let mut input = source.input()?;
    let head = read_head(&mut input, SNIFF_BYTES).map_err(|e| io_error(source, &e))?;
    if head.is_empty() {
        return Err(empty_error(source));
    }
    input
        .seek(SeekFrom::Start(0))
        .map_err(|e| io_error(source, &e))?;
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
    ReadError(format!(
        "«{}»: el archivo está vacío (no tiene datos). Exporte de nuevo la base desde el sistema \
         o desde Excel y vuelva a cargarla.",
        source.name()
    ))
}

fn not_a_table(source: &Source, what: &str) -> ReadError {
    ReadError(format!(
        "«{}» no es una tabla legible: {what}. Ábralo en Excel y guárdelo de nuevo como .xlsx o \
         como CSV, y vuelva a cargarlo.",
        source.name()
    ))
}

fn damaged_workbook(source: &Source) -> ReadError {
    ReadError(format!(
        "«{}»: libro de Excel dañado o incompleto (por ejemplo, una descarga o una copia que no \
         terminó). Ábralo en Excel y guárdelo de nuevo como .xlsx o CSV; si Excel tampoco puede \
         abrirlo, pida el archivo otra vez. No se importó nada.",
        source.name()
    ))
}

fn password_error(source: &Source) -> ReadError {
    ReadError(format!(
        "«{}» está protegido con contraseña. Ábralo en Excel, quite la contraseña (Archivo > \
         Información > Proteger libro) y guárdelo de nuevo como .xlsx o CSV.",
        source.name()
    ))
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
    let tail = read_tail(&mut input, size, 256 * 1024).map_err(|e| io_error(source, &e))?;
    let has_directory = contains(&tail, b"PK\x05\x06");
    let is_ods = head.len() > 38
        && &head[30..38] == b"mimetype"
        && contains(head, b"opendocument.spreadsheet");
    if !is_ods && contains(head, b"application/vnd.oasis.opendocument") {
        return Err(not_a_table(
            source,
            "es un documento OpenDocument que no es una hoja de cálculo",
        ));
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
                    return Err(ReadError(format!(
                        "«{}» no tiene hojas de cálculo con datos. Ábralo en Excel, revise que \
                         la tabla esté en una hoja normal y guárdelo de nuevo.",
                        source.name()
                    )));
                }
                return Ok((*format, sheets));
            }
            Err(OpenError::Password) => password = true,
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
        Err(damaged_workbook(source))
    } else {
        Err(not_a_table(
            source,
            "es un archivo comprimido (ZIP) que no contiene una hoja de cálculo (¿un documento de \
             Word o una carpeta comprimida?)",
        ))
    }
}

fn sniff_ole(source: &Source, input: Input) -> Result<(Format, Vec<String>), ReadError> {
    match Book::open(Format::Xls, input) {
        Ok(book) => {
            let sheets = book.worksheet_names();
            if sheets.is_empty() {
                return Err(ReadError(format!(
                    "«{}» no tiene hojas de cálculo con datos. Ábralo en Excel y guárdelo de \
                     nuevo como .xlsx o CSV.",
                    source.name()
                )));
            }
            Ok((Format::Xls, sheets))
        }
        Err(OpenError::Password) => Err(password_error(source)),
        Err(OpenError::Other(e)) => {
            log::debug!("{}: no se abrió como .xls: {e}", source.name());
            // An encrypted .xlsx is an OLE file too: calamine's Xlsx reader recognises it.
            if let Ok(reader) = source.input()
                && let Err(OpenError::Password) = Book::open(Format::Xlsx, reader)
            {
                return Err(password_error(source));
            }
            Err(ReadError(format!(
                "«{}»: libro de Excel dañado o incompleto, o un archivo de Office que no es una \
                 hoja de cálculo (por ejemplo, un documento de Word antiguo). Ábralo en Excel y \
                 guárdelo de nuevo como .xlsx o CSV.",
                source.name()
            )))
        }
    }
}

fn sniff_text(source: &Source, head: &[u8], whole: bool) -> Result<Format, ReadError> {
    if head.starts_with(b"%PDF") {
        return Err(not_a_table(source, "es un documento PDF"));
    }
    if head.starts_with(b"{\\rtf") {
        return Err(not_a_table(
            source,
            "es un documento de texto enriquecido (RTF)",
        ));
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
        return Err(not_a_table(
            source,
            "su contenido es binario (no es texto separado por comas ni un libro de Excel)",
        ));
    }
    let start: String = text.trim_start().chars().take(2048).collect();
    if start.starts_with('<') {
        let lower = start.to_lowercase();
        let what = if lower.contains("urn:schemas-microsoft-com:office:spreadsheet") {
            "es una «Hoja de cálculo XML 2003» de Excel"
        } else if lower.contains("<html") || lower.contains("<table") || lower.contains("<!doctype")
        {
            "es una página web (HTML) que algunos sistemas exportan con extensión .xls"
        } else {
            "es un documento XML"
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
    Some(format!(
        "«{}» tiene la extensión .{ext}, pero su contenido es {}: se leyó según el contenido. Si \
         no es el archivo que esperaba, revíselo antes de importar.",
        source.name(),
        format.describe()
    ))
}

// ---------------------------------------------------------------------------------------------
// Workbooks (calamine)
// ---------------------------------------------------------------------------------------------

enum Book {
    Xlsx(Xlsx<Input>),
    Xlsb(Xlsb<Input>),
    Xls(Xls<Input>),
    Ods(Ods<Input>),
}

enum OpenError {
    Password,
    Other(String),
}

/// Runs a parser call, turning a panic inside it into an error (a damaged file must never
/// bring the program down).
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("el lector de hojas de cálculo falló".to_string()))
}

impl Book {
    fn open(format: Format, input: Input) -> Result<Book, OpenError> {
        let result = catch_unwind(AssertUnwindSafe(|| match format {
            Format::Xlsx => calamine::open_workbook_from_rs::<Xlsx<Input>, _>(input)
                .map(Book::Xlsx)
                .map_err(|e| match e {
                    XlsxError::Password => OpenError::Password,
                    other => OpenError::Other(other.to_string()),
                }),
            Format::Xlsb => calamine::open_workbook_from_rs::<Xlsb<Input>, _>(input)
                .map(Book::Xlsb)
                .map_err(|e| OpenError::Other(e.to_string())),
            Format::Xls => calamine::open_workbook_from_rs::<Xls<Input>, _>(input)
                .map(Book::Xls)
                .map_err(|e| match e {
                    XlsError::Password => OpenError::Password,
                    other => OpenError::Other(other.to_string()),
                }),
            Format::Ods => calamine::open_workbook_from_rs::<Ods<Input>, _>(input)
                .map(Book::Ods)
                .map_err(|e| match e {
                    OdsError::Password => OpenError::Password,
                    other => OpenError::Other(other.to_string()),
                }),
            Format::Delimited { .. } => Err(OpenError::Other("no es un libro".to_string())),
        }));
        result.unwrap_or_else(|_| Err(OpenError::Other("el lector falló".to_string())))
    }

    fn metadata(&self) -> &[calamine::Sheet] {
        match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        }
    }

    /// Worksheet names (chart, macro and dialog sheets left out), with whether each is visible.
    fn worksheets(&self) -> Vec<(String, bool)> {
        self.metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    fn worksheet_names(&self) -> Vec<String> {
        self.worksheets().into_iter().map(|(n, _)| n).collect()
    }

    fn range(&mut self, sheet: &str) -> Result<Range<Data>, String> {
        guarded(|| match self {
            Book::Xlsx(b) => b.worksheet_range(sheet).map_err(|e| e.to_string()),
            Book::Xlsb(b) => b.worksheet_range(sheet).map_err(|e| e.to_string()),
            Book::Xls(b) => b.worksheet_range(sheet).map_err(|e| e.to_string()),
            Book::Ods(b) => b.worksheet_range(sheet).map_err(|e| e.to_string()),
        })
    }
}

/// Collects streamed cells into rows (cells arrive row by row, left to right).
#[derive(Default)]
struct Assembler {
    row: Option<u32>,
    cells: Vec<String>,
    truncated: Vec<(usize, usize)>,
}

impl Assembler {
    fn push(&mut self, (row, col): (u32, u32), text: &str) -> Option<RawRow> {
        let mut done = None;
        if self.row != Some(row) {
            done = self.finish();
            self.row = Some(row);
        }
        let col = col as usize;
        if col < MAX_COLUMNS {
            if self.cells.len() <= col {
                self.cells.resize(col + 1, String::new());
            }
            let (cell, cut) = clean_cell(text);
            if let Some(len) = cut {
                self.truncated.push((col, len));
            }
            self.cells[col] = cell;
        }
        done
    }

    fn finish(&mut self) -> Option<RawRow> {
        let row = self.row.take()?;
        Some(RawRow {
            number: row as usize + 1,
            cells: std::mem::take(&mut self.cells),
            truncated: std::mem::take(&mut self.truncated),
            recoded: false,
        })
    }
}

/// The first non-blank rows of an `.xlsx` sheet (for choosing the default sheet).
fn xlsx_first_rows(book: &mut Xlsx<Input>, sheet: &str, n: usize) -> Result<Vec<RawRow>, String> {
    guarded(|| {
        let mut reader = book
            .worksheet_cells_reader(sheet)
            .map_err(|e| e.to_string())?;
        let mut asm = Assembler::default();
        let mut rows = Vec::new();
        while rows.len() < n {
            match reader.next_cell().map_err(|e| e.to_string())? {
                Some(cell) => {
                    let text = dataref_text(cell.get_value());
                    if let Some(row) = asm.push(cell.get_position(), &text)
                        && !raw_blank(&row.cells)
                    {
                        rows.push(row);
                    }
                }
                None => {
                    if let Some(row) = asm.finish()
                        && !raw_blank(&row.cells)
                    {
                        rows.push(row);
                    }
                    break;
                }
            }
        }
        Ok(rows)
    })
}

/// Messages from the `.xlsx` reader thread.
enum Msg {
    Rows(Vec<RawRow>),
    Failed(String),
    Done,
}

/// Streams an `.xlsx` sheet from a thread that owns the workbook.
fn spawn_xlsx(mut book: Xlsx<Input>, sheet: String) -> io::Result<Receiver<Msg>> {
    let (tx, rx) = sync_channel::<Msg>(BATCH_QUEUE);
    std::thread::Builder::new()
        .name("lector-xlsx".to_string())
        .spawn(move || {
            let result = guarded(|| stream_xlsx(&mut book, &sheet, &tx));
            // A closed channel (the reader was dropped) is not an error.
            let _ = match result {
                Ok(()) => tx.send(Msg::Done),
                Err(e) => tx.send(Msg::Failed(e)),
            };
        })?;
    Ok(rx)
}

fn stream_xlsx(book: &mut Xlsx<Input>, sheet: &str, tx: &SyncSender<Msg>) -> Result<(), String> {
    let mut reader = book
        .worksheet_cells_reader(sheet)
        .map_err(|e| e.to_string())?;
    let mut asm = Assembler::default();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let text = dataref_text(cell.get_value());
        if let Some(row) = asm.push(cell.get_position(), &text) {
            batch.push(row);
            if batch.len() >= BATCH_ROWS && tx.send(Msg::Rows(std::mem::take(&mut batch))).is_err()
            {
                return Ok(());
            }
        }
    }
    if let Some(row) = asm.finish() {
        batch.push(row);
    }
    if !batch.is_empty() {
        let _ = tx.send(Msg::Rows(batch));
    }
    Ok(())
}

/// Cell text: numbers as typed (integral ones as their digits), dates DD/MM/AAAA, text as is.
fn dataref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(dt) => datetime_text(dt),
        DataRef::DateTimeIso(s) => iso_text(s),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn data_text(value: &Data) -> String {
    match value {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::String(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(dt) => datetime_text(dt),
        Data::DateTimeIso(s) => iso_text(s),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "VERDADERO" } else { "FALSO" }.to_string()
}

/// An integral number as its digits (3001234567.0 -> `3001234567`); others with a dot and
/// at most 15 significant digits, as Excel shows them.
fn float_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == 0.0 {
        return "0".to_string();
    }
    if f.fract() == 0.0 {
        return format!("{f:.0}");
    }
    let magnitude = f.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 20) as usize;
    let text = format!("{f:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

fn time_text(h: u32, m: u32, s: u32) -> String {
    if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

/// A date cell as DD/MM/AAAA (with the time when it has one; a pure time as HH:MM).
fn datetime_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        let total = (dt.as_f64() * 86_400.0).round() as i64;
        let sign = if total < 0 { "-" } else { "" };
        let total = total.unsigned_abs();
        return format!(
            "{sign}{}:{:02}:{:02}",
            total / 3600,
            (total / 60) % 60,
            total % 60
        );
    }
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    let time = time_text(u32::from(h), u32::from(mi), u32::from(s));
    if dt.as_f64() < 1.0 && dt.as_f64() >= 0.0 {
        return time;
    }
    let date = format!("{d:02}/{mo:02}/{y:04}");
    if h == 0 && mi == 0 && s == 0 {
        date
    } else {
        format!("{date} {time}")
    }
}

/// An ISO date (ODS) as DD/MM/AAAA; anything unparseable verbatim.
fn iso_text(s: &str) -> String {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.format("%d/%m/%Y").to_string();
    }
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        let date = dt.format("%d/%m/%Y").to_string();
        let t = dt.time();
        if t.hour() == 0 && t.minute() == 0 && t.second() == 0 {
            return date;
        }
        return format!("{date} {}", time_text(t.hour(), t.minute(), t.second()));
    }
    if let Ok(t) = NaiveTime::parse_from_str(s, "%H:%M:%S%.f") {
        return time_text(t.hour(), t.minute(), t.second());
    }
    s.to_string()
}

// ---------------------------------------------------------------------------------------------
// Delimited text
// ---------------------------------------------------------------------------------------------

/// Why the text reader stopped: one record grew past [`MAX_RECORD_BYTES`].
#[derive(Debug)]
struct RecordTooLong {
    line: usize,
    quoted: bool,
}

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = MAX_RECORD_BYTES / (1024 * 1024);
        if self.quoted {
            write!(
                f,
                "el registro que empieza en la línea {} pasa de {mb} MB: casi siempre son unas \
                 comillas (\") sin cerrar. Corrija esa línea en Excel o en un editor de texto y \
                 vuelva a cargar el archivo. No se importó nada",
                self.line
            )
        } else {
            write!(
                f,
                "la línea {} pasa de {mb} MB sin un salto de línea: no parece una tabla. Ábralo \
                 en Excel y guárdelo de nuevo como .xlsx o CSV. No se importó nada",
                self.line
            )
        }
    }
}

impl std::error::Error for RecordTooLong {}

#[derive(Clone, Copy)]
enum GuardState {
    StartRecord,
    StartField,
    InField,
    InQuoted,
    QuoteInQuoted,
}

/// Follows the CSV quoting rules (those of `csv-core`: a quote opens a quoted field only at
/// the start of a field, `""` is a quote inside one, `\r`, `\n` and `\r\n` end a record, empty
/// lines are skipped) over the UTF-8 byte stream fed to `csv`, to:
/// - tell the line where each record starts (`csv`'s own record position points just after
///   the previous record, before any empty lines or the `\n` of a `\r\n`), sent as
///   (byte offset, line) through `starts`;
/// - stop a runaway record before `csv` buffers the rest of the file into it.
struct RecordGuard<R> {
    inner: R,
    delimiter: u8,
    state: GuardState,
    record_bytes: usize,
    line: usize,
    record_line: usize,
    offset: u64,
    after_cr: bool,
    starts: Sender<(u64, usize)>,
}

impl<R: Read> RecordGuard<R> {
    fn new(inner: R, delimiter: u8, starts: Sender<(u64, usize)>) -> Self {
        RecordGuard {
            inner,
            delimiter,
            state: GuardState::StartRecord,
            record_bytes: 0,
            line: 1,
            record_line: 1,
            offset: 0,
            after_cr: false,
            starts,
        }
    }

    fn step(&mut self, b: u8) -> bool {
        let end_of_line = b == b'\n' || b == b'\r';
        let mut record_ends = false;
        self.state = match self.state {
            GuardState::StartRecord | GuardState::StartField => {
                if matches!(self.state, GuardState::StartRecord) && !end_of_line {
                    self.record_line = self.line;
                    // The reader may be gone (table dropped): nothing to tell then.
                    let _ = self.starts.send((self.offset, self.line));
                }
                if b == b'"' {
                    GuardState::InQuoted
                } else if b == self.delimiter {
                    GuardState::StartField
                } else if end_of_line {
                    record_ends = true;
                    GuardState::StartRecord
                } else {
                    GuardState::InField
                }
            }
            GuardState::InField => {
                if b == self.delimiter {
                    GuardState::StartField
                } else if end_of_line {
                    record_ends = true;
                    GuardState::StartRecord
                } else {
                    GuardState::InField
                }
            }
            GuardState::InQuoted => {
                if b == b'"' {
                    GuardState::QuoteInQuoted
                } else {
                    GuardState::InQuoted
                }
            }
            GuardState::QuoteInQuoted => {
                if b == b'"' {
                    GuardState::InQuoted
                } else if b == self.delimiter {
                    GuardState::StartField
                } else if end_of_line {
                    record_ends = true;
                    GuardState::StartRecord
                } else {
                    GuardState::InField
                }
            }
        };
        // Lines end with `\n`, `\r\n` or a lone `\r` (old Mac "CSV (Macintosh)").
        if b == b'\r' || (b == b'\n' && !self.after_cr) {
            self.line += 1;
        }
        self.after_cr = b == b'\r';
        self.offset += 1;
        if record_ends {
            self.record_bytes = 0;
        } else {
            self.record_bytes += 1;
        }
        self.record_bytes <= MAX_RECORD_BYTES
    }
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            if !self.step(b) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    RecordTooLong {
                        line: self.record_line,
                        quoted: matches!(
                            self.state,
                            GuardState::InQuoted | GuardState::QuoteInQuoted
                        ),
                    },
                ));
            }
        }
        Ok(n)
    }
}

struct CsvSource {
    reader: csv::Reader<Box<dyn Read + Send>>,
    record: csv::ByteRecord,
    /// Record starts (byte offset, line) found by the [`RecordGuard`] ahead of `reader`.
    starts: Receiver<(u64, usize)>,
    last_line: usize,
    name: String,
}

impl CsvSource {
    /// The line where the record just read starts: the first start the guard saw at or after
    /// `csv`'s record position.
    fn start_line(&mut self) -> usize {
        let Some(position) = self.record.position() else {
            return self.last_line + 1;
        };
        let byte = position.byte();
        while let Ok((offset, line)) = self.starts.try_recv() {
            if offset >= byte {
                return line;
            }
        }
        position.line() as usize
    }

    fn next_raw(&mut self) -> Option<Result<RawRow, String>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let number = self.start_line();
                self.last_line = number;
                let mut cells = Vec::with_capacity(self.record.len());
                let mut truncated = Vec::new();
                let mut recoded = false;
                for (i, field) in self.record.iter().enumerate() {
                    let text = match std::str::from_utf8(field) {
                        Ok(s) => Cow::Borrowed(s),
                        Err(_) => {
                            recoded = true;
                            WINDOWS_1252.decode_without_bom_handling(field).0
                        }
                    };
                    let (cell, cut) = clean_cell(&text);
                    if let Some(len) = cut {
                        truncated.push((i, len));
                    }
                    cells.push(cell);
                }
                Some(Ok(RawRow {
                    number,
                    cells,
                    truncated,
                    recoded,
                }))
            }
            Err(e) => {
                let too_long = match e.kind() {
                    csv::ErrorKind::Io(io) => io
                        .get_ref()
                        .and_then(|inner| inner.downcast_ref::<RecordTooLong>())
                        .map(ToString::to_string),
                    _ => None,
                };
                Some(Err(match too_long {
                    Some(msg) => format!("«{}»: {msg}.", self.name),
                    None => format!(
                        "No se pudo seguir leyendo «{}» después de la línea {} ({e}). Verifique \
                         que el archivo no se esté modificando ni esté en una unidad \
                         desconectada y vuelva a intentarlo. No se importó nada.",
                        self.name, self.last_line
                    ),
                }))
            }
        }
    }
}

fn open_delimited(
    source: &Source,
    encoding: &'static str,
    delimiter: u8,
) -> Result<CsvSource, ReadError> {
    let input = source.input()?;
    let enc = Encoding::for_label(encoding.as_bytes()).ok_or_else(|| {
        ReadError(format!(
            "Codificación de texto desconocida ({encoding}). Guarde el archivo como «CSV UTF-8» \
             en Excel y vuelva a cargarlo."
        ))
    })?;
    let decoded: Box<dyn Read + Send> = if enc == UTF_8 {
        // Passed through unchanged (minus the BOM); fields that are not valid UTF-8 are read
        // as Windows-1252 one by one.
        Box::new(
            DecodeReaderBytesBuilder::new()
                .utf8_passthru(true)
                .strip_bom(true)
                .build(input),
        )
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(enc))
                .strip_bom(true)
                .build(input),
        )
    };
    let (tx, starts) = channel();
    let guarded: Box<dyn Read + Send> = Box::new(RecordGuard::new(decoded, delimiter, tx));
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(guarded);
    Ok(CsvSource {
        reader,
        record: csv::ByteRecord::new(),
        starts,
        last_line: 0,
        name: source.name(),
    })
}

// ---------------------------------------------------------------------------------------------
// Rows and tables
// ---------------------------------------------------------------------------------------------

/// A row as read, before the header is known.
struct RawRow {
    number: usize,
    cells: Vec<String>,
    /// (column index, original length in characters) of each cut cell.
    truncated: Vec<(usize, usize)>,
    /// Some field was not valid UTF-8 and was read as Windows-1252.
    recoded: bool,
}

fn raw_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Trims a cell and cuts it to [`MAX_CELL_CHARS`]; returns the original length when cut.
fn clean_cell(text: &str) -> (String, Option<usize>) {
    let t = text.trim();
    if t.len() <= MAX_CELL_CHARS {
        return (t.to_string(), None);
    }
    match t.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => (t[..end].to_string(), Some(t.chars().count())),
        None => (t.to_string(), None),
    }
}

enum RawSource {
    Csv(Box<CsvSource>),
    Stream {
        rx: Receiver<Msg>,
        buffer: VecDeque<RawRow>,
        finished: bool,
    },
    Range {
        range: Range<Data>,
        next: usize,
    },
}

impl RawSource {
    fn next_raw(&mut self) -> Option<Result<RawRow, String>> {
        match self {
            RawSource::Csv(csv) => csv.next_raw(),
            RawSource::Stream {
                rx,
                buffer,
                finished,
            } => loop {
                if let Some(row) = buffer.pop_front() {
                    return Some(Ok(row));
                }
                if *finished {
                    return None;
                }
                match rx.recv() {
                    Ok(Msg::Rows(rows)) => buffer.extend(rows),
                    Ok(Msg::Done) => *finished = true,
                    Ok(Msg::Failed(e)) => {
                        *finished = true;
                        return Some(Err(e));
                    }
                    Err(_) => {
                        *finished = true;
                        return Some(Err("el lector se detuvo antes de terminar".to_string()));
                    }
                }
            },
            RawSource::Range { range, next } => {
                let (start_row, start_col) = range.start()?;
                let cells = range.rows().nth(*next)?;
                let number = start_row as usize + *next + 1;
                *next += 1;
                let mut out = vec![String::new(); start_col as usize];
                let mut truncated = Vec::new();
                for (i, value) in cells.iter().enumerate() {
                    let (cell, cut) = clean_cell(&data_text(value));
                    if let Some(len) = cut {
                        truncated.push((start_col as usize + i, len));
                    }
                    out.push(cell);
                }
                Some(Ok(RawRow {
                    number,
                    cells: out,
                    truncated,
                    recoded: false,
                }))
            }
        }
    }
}

/// One data row, or a text record that cannot be trusted, or the end of readable data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowResult {
    /// A data row. Its cells match [`Table::headers`] one to one. It may be blank
    /// ([`Row::is_blank`]): callers skip blank rows and do not count them.
    Ok(Row),
    /// A delimited-text record whose field count differs from the header's (a row cut short,
    /// or an unquoted delimiter that shifted the columns). Never import it: report it with its
    /// line number. `cells` are the fields as read.
    WrongWidth {
        /// The line where the record starts.
        number: usize,
        /// The fields as read (trimmed, cut to [`MAX_CELL_CHARS`]).
        cells: Vec<String>,
        /// The header's field count.
        expected: usize,
    },
    /// The file could not be read further (disk error, damaged workbook part, runaway quoted
    /// field). The iterator ends after this; the import must be abandoned as a whole.
    Failed {
        /// The last row read before the failure (0 if none).
        number: usize,
        /// What happened and what to do, in Spanish.
        error: ReadError,
    },
}

/// An open table: the header found, the column mapping, and the data rows as a stream.
pub struct Table {
    /// The row number of the header (spreadsheet row or text line, 1-based).
    pub header_row: usize,
    /// The header cells, trimmed, left to right.
    pub headers: Vec<String>,
    /// What each column means ([`map_columns`] of `headers`), same length as `headers`.
    pub fields: Vec<Field>,
    /// The worksheet read, for workbooks.
    pub sheet: Option<String>,
    source: RawSource,
    pending: VecDeque<RawRow>,
    /// First column of the table (workbooks: columns left of the header are dropped).
    offset: usize,
    /// Text files: every record must have exactly this many fields.
    check_width: bool,
    warnings: Vec<String>,
    dropped_warnings: usize,
    recoded_warned: bool,
    /// Workbook rows with values right of the last header column: (count, first row).
    outside: (usize, usize),
    last_number: usize,
    done: bool,
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("header_row", &self.header_row)
            .field("headers", &self.headers)
            .field("fields", &self.fields)
            .field("sheet", &self.sheet)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl Table {
    /// The data rows after the header, in file order, read as they are consumed (bounded
    /// memory). Blank rows are yielded as [`RowResult::Ok`] (skip them with [`Row::is_blank`]);
    /// a text file's empty lines are never yielded at all.
    pub fn rows(&mut self) -> impl Iterator<Item = RowResult> + '_ {
        std::iter::from_fn(move || self.next_row())
    }

    /// Warnings so far, in Spanish (cut cells with their row and column, encoding fall-backs,
    /// a header that had to be guessed…). Complete once [`Table::rows`] is exhausted.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn warn(&mut self, text: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(text);
        } else {
            self.dropped_warnings += 1;
            let summary = format!("… y {} avisos más del mismo tipo.", self.dropped_warnings);
            if self.dropped_warnings == 1 {
                self.warnings.push(summary);
            } else if let Some(last) = self.warnings.last_mut() {
                *last = summary;
            }
        }
    }

    fn column_name(&self, index: usize) -> String {
        match index
            .checked_sub(self.offset)
            .and_then(|i| self.headers.get(i))
        {
            Some(h) if !h.is_empty() => format!("«{h}»"),
            _ => format!("{}", index + 1),
        }
    }

    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            let (count, first) = self.outside;
            if count > 0 {
                self.warn(format!(
                    "{count} filas (la primera, la fila {first}) tienen datos a la derecha de la \
                     última columna con encabezado; esos datos no se leyeron. Si los necesita, \
                     póngales un encabezado en Excel y vuelva a cargar el archivo."
                ));
            }
        }
    }

    fn next_row(&mut self) -> Option<RowResult> {
        if self.done {
            return None;
        }
        let raw = match self.pending.pop_front() {
            Some(raw) => raw,
            None => match self.source.next_raw() {
                None => {
                    self.finish();
                    return None;
                }
                Some(Err(error)) => {
                    self.finish();
                    return Some(RowResult::Failed {
                        number: self.last_number,
                        error: ReadError(error),
                    });
                }
                Some(Ok(raw)) => raw,
            },
        };
        self.last_number = raw.number;
        Some(self.shape(raw))
    }

    fn shape(&mut self, raw: RawRow) -> RowResult {
        let RawRow {
            number,
            mut cells,
            truncated,
            recoded,
        } = raw;
        for (col, len) in truncated {
            let column = self.column_name(col);
            self.warn(format!(
                "Fila {number}, columna {column}: el texto tenía {len} caracteres y se recortó a \
                 los primeros {MAX_CELL_CHARS}."
            ));
        }
        if recoded && !self.recoded_warned {
            self.recoded_warned = true;
            self.warn(format!(
                "Algunas filas (la primera, la línea {number}) no estaban en UTF-8 y se leyeron \
                 como Windows-1252: revise las tildes y eñes de esas filas."
            ));
        }
        let width = self.headers.len();
        let blank = raw_blank(&cells);
        if self.check_width {
            if cells.len() != width && !blank {
                return RowResult::WrongWidth {
                    number,
                    cells,
                    expected: width,
                };
            }
        } else {
            let end = self.offset + width;
            if !blank && cells.len() > end && !raw_blank(&cells[end..]) {
                if self.outside.0 == 0 {
                    self.outside.1 = number;
                }
                self.outside.0 += 1;
            }
            if self.offset > 0 {
                cells.drain(..self.offset.min(cells.len()));
            }
        }
        cells.resize(width, String::new());
        RowResult::Ok(Row { number, cells })
    }
}

/// Whether a cell looks like a column name (not data) and what it means.
fn header_cell_field(cell: &str) -> Option<Field> {
    let cell = cell.trim();
    if cell.is_empty()
        || cell.chars().count() > 60
        || cell.chars().filter(char::is_ascii_digit).count() > 2
    {
        return None;
    }
    match map_header(cell) {
        Field::Extra(_) | Field::Ignore => None,
        known => Some(known),
    }
}

/// How header-like a row is: (recognised phone columns, recognised columns, non-empty cells).
fn header_score(cells: &[String]) -> (usize, usize, usize) {
    let mut phones = 0;
    let mut known = 0;
    let mut filled = 0;
    for cell in cells {
        if !cell.trim().is_empty() {
            filled += 1;
        }
        if let Some(field) = header_cell_field(cell) {
            known += 1;
            if field == Field::Phone {
                phones += 1;
            }
        }
    }
    (phones, known, filled)
}

/// A header: one phone column among several cells, or two known columns.
fn is_header(cells: &[String]) -> bool {
    let (phones, known, filled) = header_score(cells);
    (phones >= 1 && filled >= 2) || known >= 2
}

/// Finds the header among the first rows; returns the table, or an error if all is blank.
fn build_table(
    mut source: RawSource,
    sheet: Option<String>,
    workbook: bool,
    name: &str,
) -> Result<Table, ReadError> {
    let mut seen: Vec<RawRow> = Vec::new();
    let mut non_blank = 0usize;
    let mut header_at: Option<usize> = None;
    let mut weak_at: Option<usize> = None;
    while non_blank < HEADER_SEARCH_ROWS {
        match source.next_raw() {
            None => break,
            Some(Err(e)) => return Err(ReadError(e)),
            Some(Ok(row)) => {
                if raw_blank(&row.cells) {
                    continue;
                }
                non_blank += 1;
                seen.push(row);
                let cells = &seen[seen.len() - 1].cells;
                if is_header(cells) {
                    header_at = Some(seen.len() - 1);
                    break;
                }
                if weak_at.is_none() && header_score(cells).0 >= 1 {
                    weak_at = Some(seen.len() - 1);
                }
            }
        }
    }
    let mut warnings = Vec::new();
    let index = match header_at.or(weak_at) {
        Some(i) => i,
        None if seen.is_empty() => {
            return Err(ReadError(match &sheet {
                Some(s) => format!(
                    "La hoja «{s}» de «{name}» está vacía. Elija la hoja que tiene los \
                     contactos."
                ),
                None => format!(
                    "«{name}»: el archivo está vacío (todas sus filas están en blanco). Exporte \
                     de nuevo la base y vuelva a cargarla."
                ),
            }));
        }
        None => {
            warnings.push(format!(
                "No se reconoció la fila de encabezados en las primeras {HEADER_SEARCH_ROWS} \
                 filas; se tomó la fila {} como encabezado. Revise la asignación de columnas.",
                seen[0].number
            ));
            0
        }
    };
    let mut rest: VecDeque<RawRow> = seen.drain(index..).collect();
    let Some(header) = rest.pop_front() else {
        return Err(ReadError(format!(
            "«{name}»: no se encontró la fila de encabezados."
        )));
    };
    let (offset, headers) = if workbook {
        let first = header.cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
        let last = header
            .cells
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(first, |i| i + 1);
        (first, header.cells[first..last].to_vec())
    } else {
        (0, header.cells.clone())
    };
    let fields = map_columns(&headers);
    Ok(Table {
        header_row: header.number,
        headers,
        fields,
        sheet,
        source,
        pending: rest,
        offset,
        check_width: !workbook,
        warnings,
        dropped_warnings: 0,
        recoded_warned: false,
        outside: (0, 0),
        last_number: header.number,
        done: false,
    })
}

/// Opens a sniffed file: finds the header row (maybe below title rows), maps the columns and
/// prepares the row stream. `sheet` picks a worksheet by name; `None` takes the first
/// visible sheet with a recognisable header (else the first one with data). A file with no
/// phone column opens fine (its `fields` just hold no [`Field::Phone`]).
pub fn open(source: &Source, sniffed: &Sniffed, sheet: Option<&str>) -> Result<Table, ReadError> {
    let name = source.name();
    match sniffed.format {
        Format::Delimited {
            encoding,
            delimiter,
        } => {
            let csv = open_delimited(source, encoding, delimiter)?;
            build_table(RawSource::Csv(Box::new(csv)), None, false, &name)
        }
        format => open_workbook(source, format, sheet, &name),
    }
}

fn open_workbook(
    source: &Source,
    format: Format,
    sheet: Option<&str>,
    name: &str,
) -> Result<Table, ReadError> {
    let mut book = match Book::open(format, source.input()?) {
        Ok(book) => book,
        Err(OpenError::Password) => return Err(password_error(source)),
        Err(OpenError::Other(e)) => {
            log::warn!("{name}: no se abrió como {format:?}: {e}");
            return Err(damaged_workbook(source));
        }
    };
    let sheets = book.worksheets();
    let damaged = |e: String| {
        log::warn!("{name}: hoja ilegible: {e}");
        damaged_workbook(source)
    };
    let chosen = match sheet {
        Some(wanted) => match sheets.iter().find(|(n, _)| n == wanted) {
            Some((n, _)) => n.clone(),
            None => {
                let list: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
                return Err(ReadError(format!(
                    "«{name}» no tiene una hoja llamada «{wanted}». Hojas disponibles: {}.",
                    list.join(", ")
                )));
            }
        },
        None => {
            let mut with_header = None;
            let mut with_data = None;
            for (sheet_name, visible) in sheets.iter().filter(|(_, v)| *v).chain(
                // Hidden sheets only if no visible one has data.
                sheets.iter().filter(|(_, v)| !*v),
            ) {
                let rows: Vec<Vec<String>> = match &mut book {
                    Book::Xlsx(b) => xlsx_first_rows(b, sheet_name, HEADER_SEARCH_ROWS)
                        .map_err(damaged)?
                        .into_iter()
                        .map(|r| r.cells)
                        .collect(),
                    other => {
                        let range = other.range(sheet_name).map_err(damaged)?;
                        range
                            .rows()
                            .map(|r| r.iter().map(data_text).collect::<Vec<_>>())
                            .filter(|cells| !raw_blank(cells))
                            .take(HEADER_SEARCH_ROWS)
                            .collect()
                    }
                };
                if rows.is_empty() {
                    continue;
                }
                if with_data.is_none() {
                    with_data = Some(sheet_name.clone());
                }
                if *visible && rows.iter().any(|r| is_header(r)) {
                    with_header = Some(sheet_name.clone());
                    break;
                }
            }
            match with_header.or(with_data) {
                Some(s) => s,
                None => {
                    return Err(ReadError(format!(
                        "«{name}» no tiene datos: todas sus hojas están vacías. Revise que \
                         guardó el libro con los contactos."
                    )));
                }
            }
        }
    };
    let raw = match book {
        Book::Xlsx(b) => {
            let rx = spawn_xlsx(b, chosen.clone()).map_err(|e| io_error(source, &e))?;
            RawSource::Stream {
                rx,
                buffer: VecDeque::new(),
                finished: false,
            }
        }
        mut other => {
            let range = other.range(&chosen).map_err(damaged)?;
            RawSource::Range { range, next: 0 }
        }
    };
    build_table(raw, Some(chosen), true, name)
}

/// What the column-mapping screen needs: the file's format, the sheet and header found, the
/// proposed mapping and the first data rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    /// What [`sniff`] found (format, sheets, note).
    pub sniffed: Sniffed,
    /// The worksheet read (workbooks only).
    pub sheet: Option<String>,
    /// The header's row number.
    pub header_row: usize,
    /// The header cells.
    pub headers: Vec<String>,
    /// The proposed mapping, one per header.
    pub fields: Vec<Field>,
    /// Up to `n` first non-blank, well-formed data rows.
    pub rows: Vec<Row>,
    /// Warnings met while reading those rows.
    pub warnings: Vec<String>,
}

/// Sniffs, opens and reads the first `n` non-blank well-formed data rows (looking through at
/// most 10,000 rows), for the column-mapping screen.
pub fn preview(source: &Source, sheet: Option<&str>, n: usize) -> Result<Preview, ReadError> {
    let sniffed = sniff(source)?;
    let mut table = open(source, &sniffed, sheet)?;
    let mut rows = Vec::new();
    if n > 0 {
        for (scanned, result) in table.rows().enumerate() {
            match result {
                RowResult::Ok(row) if !row.is_blank() => rows.push(row),
                RowResult::Ok(_) | RowResult::WrongWidth { .. } => {}
                RowResult::Failed { error, .. } => return Err(error),
            }
            if rows.len() >= n || scanned + 1 >= PREVIEW_SCAN_ROWS {
                break;
            }
        }
    }
    let warnings = table.warnings().to_vec();
    Ok(Preview {
        sniffed,
        sheet: table.sheet,
        header_row: table.header_row,
        headers: table.headers,
        fields: table.fields,
        rows,
        warnings,
    })
}

// ---------------------------------------------------------------------------------------------
// Column mapping
// ---------------------------------------------------------------------------------------------

const NEGATIVE: &[&str] = &[
    "tipo",
    "operador",
    "operadora",
    "compania",
    "fecha",
    "hora",
    "indicativo",
    "extension",
    "ext",
    "estado",
    "date",
    "type",
    "status",
    "carrier",
];
const PHONE: &[&str] = &[
    "tel",
    "tels",
    "telf",
    "tlf",
    "tfno",
    "telefono",
    "telefonos",
    "telephone",
    "phone",
    "phones",
    "celular",
    "celulares",
    "cel",
    "cell",
    "cellphone",
    "cellular",
    "movil",
    "moviles",
    "mobile",
    "fijo",
    "fija",
    "whatsapp",
    "whatsap",
    "wasap",
    "wsp",
];
const EMAIL: &[&str] = &["correo", "correos", "email", "emails", "mail", "mails"];
const DOCUMENT: &[&str] = &[
    "cedula",
    "cedulas",
    "documento",
    "documentos",
    "doc",
    "identificacion",
    "identification",
    "document",
    "id",
    "cc",
    "nit",
    "dni",
    "nuip",
    "pasaporte",
    "passport",
];
const PROGRAM: &[&str] = &[
    "programa",
    "programas",
    "carrera",
    "carreras",
    "program",
    "programme",
    "programs",
    "major",
    "curso",
];
const CITY: &[&str] = &[
    "ciudad",
    "ciudades",
    "municipio",
    "municipios",
    "city",
    "town",
];
const NOTES: &[&str] = &[
    "observaciones",
    "observacion",
    "obs",
    "notas",
    "nota",
    "comentarios",
    "comentario",
    "notes",
    "note",
    "comments",
    "comment",
    "remarks",
];
/// A name of someone else (guardian, adviser…) is not the contact's name.
const THIRD_PARTY: &[&str] = &[
    "acudiente",
    "padre",
    "madre",
    "asesor",
    "asesora",
    "referido",
    "referente",
    "responsable",
    "agente",
    "colegio",
    "institucion",
    "empresa",
    "universidad",
    "usuario",
];
const FIRST_NAME: &[&str] = &["nombre", "nombres", "firstname", "givenname"];
const LAST_NAME: &[&str] = &[
    "apellido",
    "apellidos",
    "lastname",
    "surname",
    "surnames",
    "familyname",
];

fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// The words of a header: lower case, accents folded, digits and punctuation as spaces;
/// `camel` also splits `telefonoFijo` into two words.
fn header_words(header: &str, camel: bool) -> Vec<String> {
    let mut folded = String::with_capacity(header.len());
    let mut prev_lower = false;
    for c in header.chars() {
        if camel && c.is_uppercase() && prev_lower {
            folded.push(' ');
        }
        prev_lower = c.is_lowercase();
        for l in c.to_lowercase() {
            let l = fold_accent(l);
            if l.is_alphabetic() && l != 'º' && l != 'ª' {
                folded.push(l);
            } else {
                folded.push(' ');
            }
        }
    }
    folded.split_whitespace().map(str::to_string).collect()
}

fn classify(words: &[String]) -> Option<Field> {
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let has = |word: &str| words.iter().any(|w| w == word);
    if words.is_empty() || any(NEGATIVE) {
        return None;
    }
    let phone_word = words
        .iter()
        .any(|w| w.starts_with("telef") || w.starts_with("celu"));
    if any(PHONE) || phone_word || (any(&["numero", "no", "nro", "num"]) && has("contacto")) {
        return Some(Field::Phone);
    }
    if any(EMAIL) {
        return Some(Field::Email);
    }
    if any(DOCUMENT) {
        return Some(Field::Document);
    }
    if any(PROGRAM) {
        return Some(Field::Program);
    }
    if any(CITY) {
        return Some(Field::City);
    }
    if any(NOTES) {
        return Some(Field::Notes);
    }
    if any(THIRD_PARTY) {
        return None;
    }
    let first = any(FIRST_NAME);
    let last = any(LAST_NAME);
    let english_name = has("name") || has("names");
    if (first && (last || any(&["completo", "completos"])))
        || has("fullname")
        || (english_name && has("full"))
        || (english_name && words.len() == 1)
    {
        return Some(Field::FullName);
    }
    if last || (english_name && any(&["last", "family", "sur"])) {
        return Some(Field::LastName);
    }
    if first || (english_name && any(&["first", "given"])) {
        return Some(Field::FirstName);
    }
    None
}

/// What one header means (see [`map_columns`]).
fn map_header(header: &str) -> Field {
    let trimmed = header.trim();
    if trimmed.is_empty() {
        return Field::Ignore;
    }
    classify(&header_words(trimmed, false))
        .or_else(|| classify(&header_words(trimmed, true)))
        .unwrap_or_else(|| Field::Extra(trimmed.to_string()))
}

/// Proposes what each column means from the words its header contains (Spanish or English;
/// case, accents, punctuation, underscores and digits ignored): `Tel. móvil`, `telefono_2`,
/// `TEL FIJO`, `WhatsApp` → [`Field::Phone`]; `No. de documento`, `Cédula`, `CC` →
/// [`Field::Document`]; `Nombres y apellidos`, `APELLIDO, NOMBRE` → [`Field::FullName`];
/// `E-mail` → [`Field::Email`]; `Programa de interés` → [`Field::Program`]; `Municipio` →
/// [`Field::City`]; `Observaciones` → [`Field::Notes`]; anything else →
/// [`Field::Extra`] with the trimmed header; an empty header → [`Field::Ignore`].
pub fn map_columns(headers: &[String]) -> Vec<Field> {
    headers.iter().map(|h| map_header(h)).collect()
}
