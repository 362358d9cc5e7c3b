//! Rows and tables: a raw row source (text, streamed sheet or loaded sheet), the [`Table`] the
//! caller iterates, cell cleaning, row shaping and the warnings met on the way.

use std::collections::VecDeque;
use std::fmt;

use super::delimited::CsvSource;
use super::header::{Found, find_header, map_columns};
use super::source::BytesRead;
use super::workbook::{SheetRows, XlsxStream};
use super::{Field, HEADER_SEARCH_ROWS, MAX_CELL_CHARS, ReadError, Row};
use crate::i18n::tf;

/// Detailed warnings kept; later ones are only counted.
const MAX_WARNINGS: usize = 100;

/// A row as read, before the header is known.
pub(super) struct RawRow {
    pub(super) number: usize,
    pub(super) cells: Vec<String>,
    /// (column index, original length in characters) of each cut cell.
    pub(super) truncated: Vec<(usize, usize)>,
    /// Some field was not valid UTF-8 and was read as Windows-1252.
    pub(super) recoded: bool,
}

pub(super) fn raw_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Trims a cell and cuts it to [`MAX_CELL_CHARS`]; returns the original length when cut.
pub(super) fn clean_cell(text: &str) -> (String, Option<usize>) {
    let t = text.trim();
    if t.len() <= MAX_CELL_CHARS {
        return (t.to_string(), None);
    }
    match t.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => (t[..end].to_string(), Some(t.chars().count())),
        None => (t.to_string(), None),
    }
}

pub(super) enum RawSource {
    Csv(Box<CsvSource>),
    Stream(XlsxStream),
    Range(SheetRows),
}

impl RawSource {
    pub(super) fn next_raw(&mut self) -> Option<Result<RawRow, ReadError>> {
        match self {
            RawSource::Csv(csv) => csv.next_raw(),
            RawSource::Stream(stream) => stream.next_raw(),
            RawSource::Range(rows) => rows.next_raw(),
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
        /// What happened (shown with what to do, in the language in use).
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
    progress: BytesRead,
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

    /// Warnings so far, in the language in use when they were met (cut cells with their row and column, encoding fall-backs,
    /// a header that had to be guessed…). Complete once [`Table::rows`] is exhausted.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn warn(&mut self, text: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(text);
        } else {
            self.dropped_warnings += 1;
            let summary = tf("read.warn_more", &[("count", &self.dropped_warnings)]);
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
            Some(h) if !h.is_empty() => tf("read.column_named", &[("header", h)]),
            _ => format!("{}", index + 1),
        }
    }

    /// Bytes of the file read so far for the rows handed out (never more than
    /// [`Table::bytes_total`]; equal to it once [`Table::rows`] is exhausted). Text files and
    /// streamed sheets (`.xlsx`, `.xlsb`) count the bytes actually read from the file, a little
    /// ahead of the rows (read buffers); `.xls` and `.ods`, read whole at open, advance with
    /// the share of their rows handed out. For a progress bar, instead of an estimate per row.
    pub fn bytes_read(&self) -> u64 {
        self.progress.get()
    }

    /// The file's size in bytes.
    pub fn bytes_total(&self) -> u64 {
        self.progress.total()
    }

    /// A handle on the same position, to read from another thread (e.g. the window's, while
    /// the import iterates [`Table::rows`] on its own thread).
    pub fn bytes_progress(&self) -> BytesRead {
        self.progress.clone()
    }

    fn finish(&mut self) {
        if !self.done {
            self.done = true;
            let (count, first) = self.outside;
            if count > 0 {
                self.warn(tf(
                    "read.warn_outside",
                    &[("count", &count), ("first", &first)],
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
                    self.progress.finish();
                    self.finish();
                    return None;
                }
                Some(Err(error)) => {
                    self.finish();
                    return Some(RowResult::Failed {
                        number: self.last_number,
                        error,
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
            self.warn(tf(
                "read.warn_cell_cut",
                &[
                    ("row", &number),
                    ("len", &len),
                    ("max", &MAX_CELL_CHARS),
                    ("column", &column),
                ],
            ));
        }
        if recoded && !self.recoded_warned {
            self.recoded_warned = true;
            self.warn(tf("read.warn_recoded", &[("row", &number)]));
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

/// Finds the header among the first rows; returns the table, or an error if all is blank.
pub(super) fn build_table(
    mut source: RawSource,
    sheet: Option<String>,
    workbook: bool,
    name: &str,
    progress: BytesRead,
) -> Result<Table, ReadError> {
    let Found {
        header,
        rest,
        guessed,
    } = find_header(&mut source, sheet.as_deref(), name)?;
    let mut warnings = Vec::new();
    if guessed {
        warnings.push(tf(
            "read.warn_header_guessed",
            &[("rows", &HEADER_SEARCH_ROWS), ("row", &header.number)],
        ));
    }
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
        progress,
    })
}
