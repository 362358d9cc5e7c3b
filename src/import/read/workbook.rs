//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) through calamine: opening without
//! panicking, choosing the sheet, cell values as text, and streaming an `.xlsx` sheet from a
//! reader thread.

use std::collections::VecDeque;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{
    Data, DataRef, ExcelDateTime, Ods, OdsError, Range, Reader, SheetType, SheetVisible, Xls,
    XlsError, Xlsb, Xlsx, XlsxError,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::guard;
use super::header::is_header;
use super::sniff::{damaged_workbook, implausible, password_error};
use super::source::{BytesRead, Input, io_error};
use super::table::{RawRow, RawSource, Table, build_table, clean_cell, raw_blank};
use super::{Format, HEADER_SEARCH_ROWS, ReadError, Source};
use crate::import::{Limit, WorkbookFailure};

/// Rows per message from the `.xlsx` reader thread, and messages in flight.
const BATCH_ROWS: usize = 256;
const BATCH_QUEUE: usize = 4;
/// Columns of a worksheet (Excel's own limit).
const MAX_COLUMNS: usize = 16_384;

pub(super) enum Book {
    Xlsx(Xlsx<Input>),
    Xlsb(Xlsb<Input>),
    Xls(Xls<Input>),
    Ods(Ods<Input>),
}

pub(super) enum OpenError {
    Password,
    /// Refused before the library allocated anything: see [`super::guard`].
    Implausible(Limit),
    Other(WorkbookFailure),
}

/// Runs a parser call, turning a panic inside it into an error (a damaged file must never
/// bring the program down).
fn guarded<T>(f: impl FnOnce() -> Result<T, WorkbookFailure>) -> Result<T, WorkbookFailure> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(Err(WorkbookFailure::Panicked))
}

/// A parser's error, kept as its message.
fn parser(e: impl std::fmt::Display) -> WorkbookFailure {
    WorkbookFailure::Parser(e.to_string())
}

impl Book {
    pub(super) fn open(format: Format, mut input: Input) -> Result<Book, OpenError> {
        guard::check(format, &mut input).map_err(OpenError::Implausible)?;
        let result = catch_unwind(AssertUnwindSafe(|| match format {
            Format::Xlsx => calamine::open_workbook_from_rs::<Xlsx<Input>, _>(input)
                .map(Book::Xlsx)
                .map_err(|e| match e {
                    XlsxError::Password => OpenError::Password,
                    other => OpenError::Other(WorkbookFailure::Parser(other.to_string())),
                }),
            Format::Xlsb => calamine::open_workbook_from_rs::<Xlsb<Input>, _>(input)
                .map(Book::Xlsb)
                .map_err(|e| OpenError::Other(WorkbookFailure::Parser(e.to_string()))),
            Format::Xls => calamine::open_workbook_from_rs::<Xls<Input>, _>(input)
                .map(Book::Xls)
                .map_err(|e| match e {
                    XlsError::Password => OpenError::Password,
                    other => OpenError::Other(WorkbookFailure::Parser(other.to_string())),
                }),
            Format::Ods => calamine::open_workbook_from_rs::<Ods<Input>, _>(input)
                .map(Book::Ods)
                .map_err(|e| match e {
                    OdsError::Password => OpenError::Password,
                    other => OpenError::Other(WorkbookFailure::Parser(other.to_string())),
                }),
            Format::Delimited { .. } => Err(OpenError::Other(WorkbookFailure::Parser(
                "not a workbook".to_string(),
            ))),
        }));
        result.unwrap_or(Err(OpenError::Other(WorkbookFailure::Panicked)))
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

    pub(super) fn worksheet_names(&self) -> Vec<String> {
        self.worksheets().into_iter().map(|(n, _)| n).collect()
    }

    fn range(&mut self, sheet: &str) -> Result<Range<Data>, WorkbookFailure> {
        guarded(|| match self {
            Book::Xlsx(b) => b.worksheet_range(sheet).map_err(parser),
            Book::Xlsb(b) => b.worksheet_range(sheet).map_err(parser),
            Book::Xls(b) => b.worksheet_range(sheet).map_err(parser),
            Book::Ods(b) => b.worksheet_range(sheet).map_err(parser),
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

/// A cell as streamed: its position and its text.
type StreamedCell = ((u32, u32), String);

/// Runs `f` over the cells of a streamable sheet (`.xlsx`, `.xlsm`, `.xlsb`), in file order.
fn with_cells<T>(
    book: &mut Book,
    sheet: &str,
    f: impl FnOnce(
        &mut dyn FnMut() -> Result<Option<StreamedCell>, WorkbookFailure>,
    ) -> Result<T, WorkbookFailure>,
) -> Result<T, WorkbookFailure> {
    match book {
        Book::Xlsx(b) => {
            let mut reader = b.worksheet_cells_reader(sheet).map_err(parser)?;
            f(&mut || {
                Ok(reader
                    .next_cell()
                    .map_err(parser)?
                    .map(|c| (c.get_position(), dataref_text(c.get_value()))))
            })
        }
        Book::Xlsb(b) => {
            let mut reader = b.worksheet_cells_reader(sheet).map_err(parser)?;
            f(&mut || {
                Ok(reader
                    .next_cell()
                    .map_err(parser)?
                    .map(|c| (c.get_position(), dataref_text(c.get_value()))))
            })
        }
        Book::Xls(_) | Book::Ods(_) => Err(WorkbookFailure::Parser(
            "not a streamable workbook".to_string(),
        )),
    }
}

/// The first non-blank rows of a streamable sheet (for choosing the default sheet).
fn first_rows(book: &mut Book, sheet: &str, n: usize) -> Result<Vec<RawRow>, WorkbookFailure> {
    guarded(|| {
        with_cells(book, sheet, |next| {
            let mut asm = Assembler::default();
            let mut rows = Vec::new();
            while rows.len() < n {
                match next()? {
                    Some((pos, text)) => {
                        if let Some(row) = asm.push(pos, &text)
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
    })
}

/// Messages from the reader thread.
enum Msg {
    Rows(Vec<RawRow>),
    Failed(WorkbookFailure),
    Done,
}

/// Streams a sheet from a thread that owns the workbook (`.xlsx`, `.xlsm`, `.xlsb`).
fn spawn_stream(mut book: Book, sheet: String) -> io::Result<Receiver<Msg>> {
    let (tx, rx) = sync_channel::<Msg>(BATCH_QUEUE);
    std::thread::Builder::new()
        .name("lector-xlsx".to_string())
        .spawn(move || {
            let result = guarded(|| with_cells(&mut book, &sheet, |next| stream(next, &tx)));
            // A closed channel (the reader was dropped) is not an error.
            let _ = match result {
                Ok(()) => tx.send(Msg::Done),
                Err(e) => tx.send(Msg::Failed(e)),
            };
        })?;
    Ok(rx)
}

fn stream(
    next: &mut dyn FnMut() -> Result<Option<StreamedCell>, WorkbookFailure>,
    tx: &SyncSender<Msg>,
) -> Result<(), WorkbookFailure> {
    let mut asm = Assembler::default();
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some((pos, text)) = next()? {
        if let Some(row) = asm.push(pos, &text) {
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

/// The rows of an `.xlsx` sheet as they arrive from the reader thread.
pub(super) struct XlsxStream {
    name: String,
    rx: Receiver<Msg>,
    buffer: VecDeque<RawRow>,
    finished: bool,
}

impl XlsxStream {
    pub(super) fn next_raw(&mut self) -> Option<Result<RawRow, ReadError>> {
        loop {
            if let Some(row) = self.buffer.pop_front() {
                return Some(Ok(row));
            }
            if self.finished {
                return None;
            }
            match self.rx.recv() {
                Ok(Msg::Rows(rows)) => self.buffer.extend(rows),
                Ok(Msg::Done) => self.finished = true,
                Ok(Msg::Failed(cause)) => {
                    self.finished = true;
                    return Some(Err(ReadError::SheetFailed {
                        name: self.name.clone(),
                        cause,
                    }));
                }
                Err(_) => {
                    self.finished = true;
                    return Some(Err(ReadError::SheetFailed {
                        name: self.name.clone(),
                        cause: WorkbookFailure::Stopped,
                    }));
                }
            }
        }
    }
}

/// The rows of a sheet loaded whole (`.xls`, `.xlsb`, `.ods`).
pub(super) struct SheetRows {
    range: Range<Data>,
    next: usize,
    /// The file was read whole at open: the position follows the rows handed out, as the
    /// same fraction of the file's bytes.
    progress: BytesRead,
}

impl SheetRows {
    pub(super) fn next_raw(&mut self) -> Option<Result<RawRow, ReadError>> {
        let (start_row, start_col) = self.range.start()?;
        let cells = self.range.rows().nth(self.next)?;
        let number = start_row as usize + self.next + 1;
        self.next += 1;
        let height = self.range.height().max(1) as u128;
        let at = u128::from(self.progress.total()) * self.next as u128 / height;
        self.progress
            .advance_to(u64::try_from(at).unwrap_or(u64::MAX));
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

pub(super) fn open_workbook(
    source: &Source,
    format: Format,
    sheet: Option<&str>,
    name: &str,
    progress: BytesRead,
) -> Result<Table, ReadError> {
    // Streamed sheets count the bytes calamine reads; loaded ones follow their rows.
    let input = match format {
        Format::Xlsx | Format::Xlsb => source.counted_input(&progress)?,
        _ => source.input()?,
    };
    let mut book = match Book::open(format, input) {
        Ok(book) => book,
        Err(OpenError::Password) => return Err(password_error(source)),
        Err(OpenError::Implausible(limit)) => return Err(implausible(source, limit)),
        Err(OpenError::Other(e)) => {
            log::warn!("{name}: no se abrió como {format:?}: {e}");
            return Err(damaged_workbook(source, Some(e)));
        }
    };
    let sheets = book.worksheets();
    let damaged = |e: WorkbookFailure| {
        log::warn!("{name}: hoja ilegible: {e}");
        damaged_workbook(source, Some(e))
    };
    let chosen = match sheet {
        Some(wanted) => match sheets.iter().find(|(n, _)| n == wanted) {
            Some((n, _)) => n.clone(),
            None => {
                return Err(ReadError::NoSuchSheet {
                    name: name.to_string(),
                    sheet: wanted.to_string(),
                    available: sheets.iter().map(|(n, _)| n.clone()).collect(),
                });
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
                    b @ (Book::Xlsx(_) | Book::Xlsb(_)) => {
                        first_rows(b, sheet_name, HEADER_SEARCH_ROWS)
                            .map_err(damaged)?
                            .into_iter()
                            .map(|r| r.cells)
                            .collect()
                    }
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
                    return Err(ReadError::AllSheetsEmpty {
                        name: name.to_string(),
                    });
                }
            }
        }
    };
    let raw = match book {
        b @ (Book::Xlsx(_) | Book::Xlsb(_)) => {
            let rx = spawn_stream(b, chosen.clone()).map_err(|e| io_error(source, e))?;
            RawSource::Stream(XlsxStream {
                name: name.to_string(),
                rx,
                buffer: VecDeque::new(),
                finished: false,
            })
        }
        mut other => {
            let range = other.range(&chosen).map_err(damaged)?;
            RawSource::Range(SheetRows {
                range,
                next: 0,
                progress: progress.clone(),
            })
        }
    };
    build_table(raw, Some(chosen), true, name, progress)
}
