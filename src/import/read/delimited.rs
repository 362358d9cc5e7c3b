//! Delimited text (CSV, TSV…): decoding to UTF-8, a guard that follows the quoting rules to
//! number records by the line where they start and to stop a runaway quoted field, and the
//! `csv` reader on top.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, Sender, channel};

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::source::Input;
use super::table::{RawRow, clean_cell};
use super::{MAX_RECORD_BYTES, ReadError};
use crate::import::Cause;

/// Why the text reader stopped: one record grew past [`MAX_RECORD_BYTES`].
#[derive(Clone, Copy, Debug)]
struct RecordTooLong {
    line: usize,
    quoted: bool,
}

/// For logs only: the user sees [`ReadError::RecordTooLong`].
impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = MAX_RECORD_BYTES / (1024 * 1024);
        write!(
            f,
            "the record starting at line {} is over {mb} MB (quoted: {})",
            self.line, self.quoted
        )
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

pub(super) struct CsvSource {
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

    pub(super) fn next_raw(&mut self) -> Option<Result<RawRow, ReadError>> {
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
                        .copied(),
                    _ => None,
                };
                let name = self.name.clone();
                Some(Err(match too_long {
                    Some(RecordTooLong { line, quoted }) => {
                        ReadError::RecordTooLong { name, line, quoted }
                    }
                    None => ReadError::Stopped {
                        name,
                        line: self.last_line,
                        source: Cause::new(e),
                    },
                }))
            }
        }
    }
}

pub(super) fn open_delimited(
    input: Input,
    encoding: &'static str,
    delimiter: u8,
    name: &str,
) -> Result<CsvSource, ReadError> {
    let enc =
        Encoding::for_label(encoding.as_bytes()).ok_or_else(|| ReadError::UnknownEncoding {
            encoding: encoding.to_string(),
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
        name: name.to_string(),
    })
}
