//! Checks what a workbook declares before the workbook library (calamine) allocates for it.
//!
//! calamine trusts several sizes written in the file. Measured in its 0.38 sources:
//! - `.xls`: at open it parses every sheet; a DIMENSIONS record makes it
//!   `reserve(rows × cols)` cells (40 bytes each: a 120 KB file asked for 687 GB and the
//!   process aborted), the cells found are then laid out densely over their bounding box
//!   (`Range::from_sparse`), and its OLE reader follows sector chains without noticing a loop
//!   (the directory chain has no length bound at all: a loop grows memory until it runs out).
//! - `.ods`: at open it expands `number-rows-repeated` rows and `number-columns-repeated`
//!   cells into dense ranges of up to 100 million cells (3 GB), for every sheet.
//! - `.xlsx`: it reserves the shared-string table by the `uniqueCount` it declares.
//! - `.xlsb`: a loaded sheet is dense over its bounding box (we stream it instead).
//!
//! So before handing a file to calamine we read the same structures ourselves, cheaply and
//! with memory bounded by the file's own size, and refuse what is beyond the format's limits
//! or what would take more than [`MAX_LOADED_CELLS`] once loaded. Anything we cannot parse is
//! left to calamine, which then fails with its own error: we only refuse on evidence.

use std::io::{self, Read, Seek, SeekFrom};

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

use super::source::Input;
use super::{Format, MAX_LOADED_CELLS};
use crate::import::{Broken, Limit};

/// `.xls` (BIFF8) sheet limits.
const XLS_ROWS: u64 = 65_536;
const XLS_COLS: u64 = 256;
/// `.xlsx`/`.ods` sheet limits (Excel's; calamine caps `.ods` repeats at the same).
const ROWS: u64 = 1_048_576;
const COLS: u64 = 16_384;
/// Copies of rows with values an `.ods` sheet may hold only by `number-rows-repeated`: a
/// contact list never repeats one row thousands of times (those would all be duplicates of
/// one phone), while a 1.5 KB file repeating one a million times would cost a minute of
/// import for nothing. Empty repeated rows (LibreOffice writes a million at every sheet's
/// end) do not count.
const MAX_REPEATED_ROWS: u64 = 10_000;
/// Shared strings reserved at most whatever the file claims (24 bytes each).
const MAX_SHARED_STRINGS: u64 = 8 * 1024 * 1024;
/// Entries of a zip container looked at, and bytes of XML read to find the `<sst>` start.
const SST_HEAD_BYTES: u64 = 64 * 1024;

/// Checks a workbook before calamine opens it. `Ok(())` when nothing implausible was found
/// (including when the file could not be parsed: calamine will say so itself).
pub(super) fn check(format: Format, input: &mut Input) -> Result<(), Limit> {
    let result = match format {
        Format::Xls => check_xls(input),
        Format::Ods => check_ods(input),
        Format::Xlsx => check_xlsx(input),
        Format::Xlsb | Format::Delimited { .. } => Ok(()),
    };
    // Whatever happened, calamine starts from the beginning.
    let _ = input.seek(SeekFrom::Start(0));
    result
}

fn sheet_label(name: Option<&str>, index: usize) -> String {
    match name {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => format!("#{}", index + 1),
    }
}

fn too_many(sheet: String, cells: u64) -> Limit {
    Limit::TooManyCells {
        sheet,
        cells,
        max: MAX_LOADED_CELLS,
    }
}

// ---------------------------------------------------------------------------------------------
// .xls: the OLE container and the BIFF records

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// calamine's `RESERVED_SECTORS`: ids from here on end a DIFAT chain.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8).map(|s| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    })
}

/// Why a chain could not be read: calamine fails too (`Give`), or it would loop (`Refuse`).
enum Stop {
    Give,
    Refuse(Limit),
}

impl From<Limit> for Stop {
    fn from(l: Limit) -> Self {
        Stop::Refuse(l)
    }
}

/// The sectors of an OLE file held in memory (calamine holds the same), as calamine sees
/// them: sector `id` starts right after the header, at `(id + 1) × size`.
struct Sectors<'a> {
    file: &'a [u8],
    size: usize,
    maxid: u32,
    /// Mini sectors (64 bytes) inside the mini stream instead.
    mini: bool,
}

impl Sectors<'_> {
    fn get(&self, id: u32) -> Result<&[u8], Stop> {
        if id > self.maxid {
            return Err(Stop::Give);
        }
        let start = if self.mini {
            id as usize * self.size
        } else {
            (id as usize + 1) * self.size
        };
        let end = (start + self.size).min(self.file.len());
        Ok(self.file.get(start..end).unwrap_or(&[]))
    }

    /// The bytes of a chain, up to `len` (as calamine's `get_chain`), refusing a loop that
    /// calamine would follow forever (or until `len`, which may be 2^64).
    fn chain(&self, start: u32, fat: &[u32], len: u64) -> Result<Vec<u8>, Stop> {
        let mut out = Vec::new();
        let mut seen = vec![false; self.maxid as usize + 1];
        let mut id = start;
        while id != ENDOFCHAIN {
            let sector = self.get(id)?;
            let slot = seen.get_mut(id as usize).ok_or(Stop::Give)?;
            if *slot {
                return Err(Limit::Broken(Broken::ChainLoop).into());
            }
            *slot = true;
            let room = len.saturating_sub(out.len() as u64);
            let take = (sector.len() as u64).min(room) as usize;
            out.extend_from_slice(&sector[..take]);
            if out.len() as u64 >= len {
                break;
            }
            // calamine indexes the FAT without a check (a panic, caught).
            id = *fat.get(id as usize).ok_or(Stop::Give)?;
        }
        Ok(out)
    }
}

fn check_xls(input: &mut Input) -> Result<(), Limit> {
    let mut file = Vec::new();
    if input.read_to_end(&mut file).is_err() {
        return Ok(());
    }
    match workbook_stream(&file) {
        Ok(stream) => check_biff(&stream),
        Err(Stop::Give) => Ok(()),
        Err(Stop::Refuse(limit)) => Err(limit),
    }
}

/// The `Workbook` (or BIFF5 `Book`) stream, read the way calamine reads it.
fn workbook_stream(file: &[u8]) -> Result<Vec<u8>, Stop> {
    let header = file.get(..512).ok_or(Stop::Give)?;
    if header[..8] != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return Err(Stop::Give);
    }
    let version = u16_at(header, 26).ok_or(Stop::Give)?;
    let size = match u16_at(header, 30) {
        Some(9) => 512usize,
        Some(12) => 4096usize,
        _ => return Err(Stop::Give),
    };
    if u16_at(header, 32) != Some(6) {
        return Err(Stop::Give);
    }
    let dir_start = u32_at(header, 48).ok_or(Stop::Give)?;
    let mini_fat_start = u32_at(header, 60).ok_or(Stop::Give)?;
    let mini_fat_len = u32_at(header, 64).ok_or(Stop::Give)? as u64;
    let difat_start = u32_at(header, 68).ok_or(Stop::Give)?;
    let maxid = u32::try_from(file.len() / size).unwrap_or(u32::MAX);
    let sectors = Sectors {
        file,
        size,
        maxid,
        mini: false,
    };
    let mut difat: Vec<u32> = header[76..512]
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut id = difat_start;
    let mut hops = 0usize;
    while id < RESERVED_SECTORS {
        hops += 1;
        if hops > maxid as usize + 1 {
            return Err(Stop::Give);
        }
        let sector = sectors.get(id)?;
        difat.extend(
            sector
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        id = difat.pop().ok_or(Stop::Give)?;
    }
    let fat_ids: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
    // More FAT sectors than the file has sectors: the FAT would outgrow the file.
    if fat_ids.len() > maxid as usize + 1 {
        return Err(Limit::Broken(Broken::Header).into());
    }
    let mut fat = Vec::with_capacity(fat_ids.len() * size / 4);
    for id in fat_ids {
        fat.extend(
            sectors
                .get(id)?
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    let dirs = sectors.chain(dir_start, &fat, u64::MAX)?;
    // (name, start, len) of each directory entry.
    let entries: Vec<(String, u32, u64)> = dirs
        .chunks_exact(128)
        .map(|e| {
            let units: Vec<u16> = e[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|u| *u != 0)
                .collect();
            let start = u32_at(e, 116).unwrap_or(ENDOFCHAIN);
            let len = if size == 512 {
                u32_at(e, 120).map_or(0, u64::from)
            } else {
                u64_at(e, 120).unwrap_or(0)
            };
            (String::from_utf16_lossy(&units), start, len)
        })
        .collect();
    let Some(root) = entries.first() else {
        return Err(Stop::Give);
    };
    if version != 3 && root.1 == ENDOFCHAIN {
        return Err(Stop::Give);
    }
    let (ministream, minifat) = if mini_fat_len > 0 {
        let ministream = sectors.chain(root.1, &fat, root.2)?;
        let minifat = sectors.chain(
            mini_fat_start,
            &fat,
            mini_fat_len.saturating_mul(size as u64),
        )?;
        let minifat: Vec<u32> = minifat
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        (ministream, minifat)
    } else {
        (Vec::new(), Vec::new())
    };
    let find = |name: &str| {
        entries
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, start, len)| (*start, *len))
    };
    let (start, len) = find("Workbook")
        .or_else(|| find("Book"))
        .ok_or(Stop::Give)?;
    if len < 4096 {
        let mini = Sectors {
            file: &ministream,
            size: 64,
            maxid: maxid.saturating_mul(8),
            mini: true,
        };
        mini.chain(start, &minifat, len)
    } else {
        sectors.chain(start, &fat, len)
    }
}

/// BIFF records as calamine's `RecordIter` splits them (CONTINUE records are skipped here:
/// none of the records looked at spans one).
fn records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let typ = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

/// The bounding box of the cells met, as `Range::from_sparse` lays them out.
#[derive(Default)]
struct BoundingBox(Option<(u32, u32, u32, u32)>);

impl BoundingBox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(&self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

fn check_biff(stream: &[u8]) -> Result<(), Limit> {
    // The worksheets' offsets and names, from the globals' BoundSheet8 records.
    let mut sheets: Vec<(usize, Option<String>)> = Vec::new();
    for (typ, data) in records(stream) {
        match typ {
            0x0085 => {
                let Some(pos) = u32_at(data, 0) else { break };
                sheets.push((pos as usize, boundsheet_name(data)));
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut total = 0u64;
    let mut biggest: Option<(u64, String)> = None;
    for (index, (pos, name)) in sheets.iter().enumerate() {
        let Some(sheet_stream) = stream.get(*pos..) else {
            continue;
        };
        let label = || sheet_label(name.as_deref(), index);
        let mut reserve = 0u64;
        let mut cells = BoundingBox::default();
        let mut formulas = BoundingBox::default();
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, data) in records(sheet_stream) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |i| u16_at(data, i).map(u32::from);
            match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x0200 => {
                    let (rf, rl, cf, cl) = match data.len() {
                        10 => (
                            at(0).unwrap_or(0),
                            at(2).unwrap_or(0),
                            at(4).unwrap_or(0),
                            at(6).unwrap_or(0),
                        ),
                        14 | 16 => (
                            u32_at(data, 0).unwrap_or(0),
                            u32_at(data, 4).unwrap_or(0),
                            at(8).unwrap_or(0),
                            at(10).unwrap_or(0),
                        ),
                        _ => continue,
                    };
                    if u64::from(rl) > XLS_ROWS || u64::from(cl) > XLS_COLS || rf > rl {
                        return Err(Limit::BeyondFormat {
                            sheet: label(),
                            rows: u64::from(rl.max(rf)),
                            cols: u64::from(cl),
                            max_rows: XLS_ROWS,
                            max_cols: XLS_COLS,
                        });
                    }
                    // calamine: a first column past 0xFF (or past the last) counts from 0.
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    let rows = u64::from(rl.saturating_sub(rf)).max(1);
                    let cols = u64::from(cl.saturating_sub(cf)).max(1);
                    reserve = reserve.max(rows * cols);
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let (Some(r), Some(c)) = (at(0), at(2)) {
                        cells.add(r, c);
                    }
                }
                0x00BD => {
                    if let (Some(r), Some(c0), Some(c1)) =
                        (at(0), at(2), at(data.len().saturating_sub(2)))
                    {
                        cells.add(r, c0);
                        cells.add(r, c1.max(c0));
                    }
                }
                0x0006 => {
                    if let (Some(r), Some(c)) = (at(0), at(2)) {
                        cells.add(r, c);
                        formulas.add(r, c);
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        let sheet_cells = reserve.max(cells.cells()) + formulas.cells();
        total += sheet_cells;
        if biggest.as_ref().is_none_or(|(c, _)| sheet_cells > *c) {
            biggest = Some((sheet_cells, label()));
        }
        if total > MAX_LOADED_CELLS {
            let sheet = biggest.map_or_else(label, |(_, s)| s);
            return Err(too_many(sheet, total));
        }
    }
    Ok(())
}

/// A BIFF8 BoundSheet8 name (8-bit or UTF-16), for messages.
fn boundsheet_name(data: &[u8]) -> Option<String> {
    let cch = *data.get(6)? as usize;
    let flags = *data.get(7)?;
    let chars = data.get(8..)?;
    if flags & 1 == 1 {
        let units: Vec<u16> = chars
            .get(..cch * 2)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(chars.get(..cch)?.iter().map(|b| char::from(*b)).collect())
    }
}

// ---------------------------------------------------------------------------------------------
// .ods: content.xml, with its repeated rows and cells

fn attr_u64(e: &BytesStart<'_>, name: &str) -> Option<Option<u64>> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.as_ref() == name {
            return Some(a.value.trim().parse().ok());
        }
    }
    Some(None)
}

fn attr_string(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// What calamine would hold for one sheet, followed row by row.
#[derive(Default)]
struct OdsSheet {
    /// Cells pushed while reading (per XML row, not per repeat).
    raw: u64,
    /// Rows met so far (repeats expanded, capped like calamine at [`ROWS`]).
    rows: u64,
    /// Rows with a value that exist only by `number-rows-repeated` (beyond their first copy).
    repeated: u64,
    /// First and last rows (expanded) with a value, and the columns spanned.
    first_row: Option<u64>,
    last_row_end: u64,
    col_min: u64,
    col_max: u64,
}

impl OdsSheet {
    fn dense(&self) -> u64 {
        match self.first_row {
            Some(first) => {
                (self.last_row_end - first).saturating_mul(self.col_max + 1 - self.col_min)
            }
            None => 0,
        }
    }

    fn cells(&self) -> u64 {
        // Values and formulas are both kept, read and then laid out densely.
        self.raw.saturating_add(self.dense())
    }
}

/// The row being read: its cells as calamine pushes them.
#[derive(Default)]
struct OdsRow {
    repeats: u64,
    len: u64,
    first: Option<u64>,
    pending_empty: u64,
}

impl OdsRow {
    fn cell(&mut self, repeats: u64, value: bool) {
        if value {
            let gap = self.pending_empty.min(COLS - self.len.min(COLS));
            self.len += gap;
            let n = repeats.min(COLS - self.len.min(COLS));
            if n > 0 && self.first.is_none() {
                self.first = Some(self.len);
            }
            self.len += n;
            self.pending_empty = 0;
        } else {
            self.pending_empty = repeats;
        }
    }
}

fn check_ods(input: &mut Input) -> Result<(), Limit> {
    let Ok(mut zip) = zip::ZipArchive::new(&mut *input) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = XmlReader::from_reader(io::BufReader::new(content));
    xml.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut total = 0u64;
    let mut sheet: Option<(String, OdsSheet)> = None;
    let mut row: Option<OdsRow> = None;
    // A value inside the current cell (text or a child element) when its start tag said nothing.
    let mut cell: Option<(u64, bool)> = None;
    let mut index = 0usize;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    "table:table" if !empty => {
                        if let Some(name) = attr_string(e, "table:name") {
                            sheet = Some((name, OdsSheet::default()));
                        }
                    }
                    "table:table-row" if sheet.is_some() => {
                        let Some(Some(repeats)) =
                            attr_u64(e, "table:number-rows-repeated").map(|r| r.or(Some(1)))
                        else {
                            // Unparseable: calamine fails on it.
                            return Ok(());
                        };
                        let new = OdsRow {
                            repeats,
                            ..OdsRow::default()
                        };
                        if empty {
                            row = Some(new);
                            end_row(&mut sheet, &mut row);
                        } else {
                            row = Some(new);
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" if row.is_some() => {
                        let Some(Some(repeats)) =
                            attr_u64(e, "table:number-columns-repeated").map(|r| r.or(Some(1)))
                        else {
                            return Ok(());
                        };
                        let typed = attr_string(e, "office:value-type").is_some()
                            || attr_string(e, "table:formula").is_some();
                        if empty {
                            if let Some(r) = row.as_mut() {
                                r.cell(repeats, typed);
                            }
                        } else {
                            cell = Some((repeats, typed));
                        }
                    }
                    _ => {
                        // Any element inside a cell (text:p…) may carry a value.
                        if let Some((_, value)) = cell.as_mut() {
                            *value = true;
                        }
                    }
                }
            }
            Event::GeneralRef(_) | Event::CData(_) => {
                if let Some((_, value)) = cell.as_mut() {
                    *value = true;
                }
            }
            Event::Text(ref t) => {
                if let Some((_, value)) = cell.as_mut()
                    && !t.as_ref().trim().is_empty()
                {
                    *value = true;
                }
            }
            Event::End(ref e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => {
                    if let (Some((repeats, value)), Some(r)) = (cell.take(), row.as_mut()) {
                        r.cell(repeats, value);
                    }
                }
                "table:table-row" => end_row(&mut sheet, &mut row),
                "table:table" => {
                    if let Some((name, s)) = sheet.take() {
                        total = total.saturating_add(s.cells());
                        if total > MAX_LOADED_CELLS {
                            return Err(too_many(sheet_label(Some(&name), index), total));
                        }
                        index += 1;
                    }
                }
                _ => {}
            },
            _ => {}
        }
        // A sheet growing past the limits is refused without reading further.
        if let Some((name, s)) = &sheet
            && s.repeated > MAX_REPEATED_ROWS
        {
            return Err(Limit::RepeatedRows {
                sheet: sheet_label(Some(name), index),
                rows: s.repeated + 1,
                max: MAX_REPEATED_ROWS,
            });
        }
        if let Some((name, s)) = &sheet
            && total.saturating_add(s.cells()) > MAX_LOADED_CELLS
        {
            return Err(too_many(
                sheet_label(Some(name), index),
                total.saturating_add(s.cells()),
            ));
        }
        buf.clear();
    }
    Ok(())
}

fn end_row(sheet: &mut Option<(String, OdsSheet)>, row: &mut Option<OdsRow>) {
    let (Some((_, s)), Some(r)) = (sheet.as_mut(), row.take()) else {
        return;
    };
    let repeats = r.repeats.min(ROWS.saturating_sub(s.rows));
    let start = s.rows;
    s.rows += repeats;
    s.raw = s.raw.saturating_add(r.len);
    if let Some(first) = r.first {
        s.repeated = s.repeated.saturating_add(repeats.saturating_sub(1));
        if s.first_row.is_none() {
            s.first_row = Some(start);
            s.col_min = first;
            s.col_max = r.len.saturating_sub(1);
        }
        s.col_min = s.col_min.min(first);
        s.col_max = s.col_max.max(r.len.saturating_sub(1));
        s.last_row_end = s.rows;
    }
}

// ---------------------------------------------------------------------------------------------
// .xlsx: the shared-string table's declared count

fn check_xlsx(input: &mut Input) -> Result<(), Limit> {
    let Ok(mut zip) = zip::ZipArchive::new(&mut *input) else {
        return Ok(());
    };
    let names: Vec<String> = zip
        .file_names()
        .flatten()
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .map(|n| n.into_owned())
        .collect();
    for name in names {
        let Ok(entry) = zip.by_name(&name) else {
            continue;
        };
        let size = entry.size();
        let mut xml = XmlReader::from_reader(io::BufReader::new(entry.take(SST_HEAD_BYTES)));
        let mut buf = Vec::new();
        loop {
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(ref e)) | Ok(Event::Empty(ref e))
                    if e.local_name().as_ref() == "sst" =>
                {
                    if let Some(Some(count)) = attr_u64(e, "uniqueCount") {
                        // `<si/>` is 5 bytes: no table holds more strings than that allows.
                        let max = (size / 5).clamp(1024, MAX_SHARED_STRINGS);
                        if count > max {
                            return Err(Limit::TooManyStrings { count, max });
                        }
                    }
                    break;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    Ok(())
}
