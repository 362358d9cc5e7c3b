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
//! Progress: [`Table::bytes_read`] (or a [`BytesRead`] handle from [`Table::bytes_progress`],
//! readable from any thread) tells how many bytes of the file the rows handed out so far
//! cost: text and streamed sheets count the bytes actually read from the file; sheets loaded
//! whole at open (`.xls`, `.ods`) advance with the share of their rows handed out.
//!
//! Memory: text files are read record by record through `csv` (never whole); `.xlsx`
//! and `.xlsb` worksheets are streamed cell by cell by a reader thread into a small bounded
//! channel. `.xls` and `.ods` are loaded whole at open (calamine has no streaming reader for
//! them), after a check of what they declare ([`MAX_LOADED_CELLS`]).

mod delimited;
mod guard;
mod header;
mod sniff;
mod source;
mod table;
mod workbook;

pub use header::map_columns;
pub use sniff::{Format, Sniffed, sniff};
pub use source::{BytesRead, Source};
pub use table::{RowResult, Table};

use delimited::open_delimited;
use table::{RawSource, build_table};
use workbook::open_workbook;

use super::{Field, ReadError, Row};

/// A cell longer than this many characters is cut to this length (with a warning).
pub const MAX_CELL_CHARS: usize = 10_000;

/// The header row is searched for among this many first non-blank rows.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// A single text record (one row, quoted line breaks included) larger than this many bytes
/// stops the reading with an error: it almost always means an unclosed quote.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;
/// Cells a workbook whose sheets the library loads whole (`.xls`, `.ods`) may take once
/// loaded, all sheets together (the library lays a sheet out densely over its used area and
/// keeps values and formulas): about 150 MB. A file declaring more (repeated rows, a stray
/// cell far away, a DIMENSIONS record beyond the format) is refused before it is loaded with
/// [`ReadError::Implausible`]. `.xlsx`, `.xlsm` and `.xlsb` sheets are streamed and have no
/// such limit.
pub const MAX_LOADED_CELLS: u64 = 2_500_000;

/// Rows [`preview`] looks through at most to find its sample.
const PREVIEW_SCAN_ROWS: usize = 10_000;

/// Opens a sniffed file: finds the header row (maybe below title rows), maps the columns and
/// prepares the row stream. `sheet` picks a worksheet by name; `None` takes the first
/// visible sheet with a recognisable header (else the first one with data). A file with no
/// phone column opens fine (its `fields` just hold no [`Field::Phone`]).
pub fn open(source: &Source, sniffed: &Sniffed, sheet: Option<&str>) -> Result<Table, ReadError> {
    let name = source.name();
    let progress = BytesRead::new(source.size()?);
    match sniffed.format {
        Format::Delimited {
            encoding,
            delimiter,
        } => {
            let csv = open_delimited(source.counted_input(&progress)?, encoding, delimiter, &name)?;
            build_table(RawSource::Csv(Box::new(csv)), None, false, &name, progress)
        }
        format => open_workbook(source, format, sheet, &name, progress),
    }
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
