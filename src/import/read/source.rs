//! Where a file's bytes are ([`Source`]: on disk or in memory) and a seekable reader over them.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::ReadError;
use super::sniff::SNIFF_BYTES;

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
    pub(super) fn extension(&self) -> Option<String> {
        let path = match self {
            Source::File(path) => path.as_path(),
            Source::Bytes { name, .. } => Path::new(name.as_str()),
        };
        path.extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .filter(|e| !e.is_empty())
    }

    /// A fresh reader positioned at the start.
    pub(super) fn input(&self) -> Result<Input, ReadError> {
        let kind = match self {
            Source::File(path) => File::open(path)
                .map(|f| Kind::File(BufReader::with_capacity(64 * 1024, f)))
                .map_err(|e| io_error(self, e))?,
            Source::Bytes { data, .. } => Kind::Bytes(Cursor::new(Shared(Arc::clone(data)))),
        };
        Ok(Input {
            kind,
            counter: None,
        })
    }

    /// A fresh reader that adds every byte it reads to `progress`.
    pub(super) fn counted_input(&self, progress: &BytesRead) -> Result<Input, ReadError> {
        let mut input = self.input()?;
        input.counter = Some(progress.clone());
        Ok(input)
    }

    /// Size in bytes.
    pub(super) fn size(&self) -> Result<u64, ReadError> {
        match self {
            Source::File(path) => {
                let meta = std::fs::metadata(path).map_err(|e| io_error(self, e))?;
                if meta.is_dir() {
                    return Err(ReadError::Folder { name: self.name() });
                }
                Ok(meta.len())
            }
            Source::Bytes { data, .. } => Ok(data.len() as u64),
        }
    }
}

/// Shared bytes usable by `Cursor`.
#[derive(Clone)]
pub(super) struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// How far the reading of a file is, in bytes: shared between the reader (a streaming
/// thread, or the iterator itself) and whoever shows the progress. Cheap to clone; every clone
/// sees the same position. Get one from [`Table::bytes_progress`](super::Table::bytes_progress).
#[derive(Clone, Debug)]
pub struct BytesRead {
    read: Arc<AtomicU64>,
    total: u64,
}

impl BytesRead {
    pub(super) fn new(total: u64) -> Self {
        BytesRead {
            read: Arc::new(AtomicU64::new(0)),
            total,
        }
    }

    /// Bytes of the file read so far, never more than [`BytesRead::total`]. Only grows.
    pub fn get(&self) -> u64 {
        self.read.load(Ordering::Relaxed).min(self.total)
    }

    /// The file's size in bytes.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// `get() / total()`, from 0.0 to 1.0 (1.0 for an empty file).
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.get() as f64 / self.total as f64
        }
    }

    pub(super) fn add(&self, n: u64) {
        self.read.fetch_add(n, Ordering::Relaxed);
    }

    /// Moves the position forward to `at` (never back).
    pub(super) fn advance_to(&self, at: u64) {
        self.read.fetch_max(at, Ordering::Relaxed);
    }

    /// The whole file has been read.
    pub(super) fn finish(&self) {
        self.advance_to(self.total);
    }
}

enum Kind {
    File(BufReader<File>),
    Bytes(Cursor<Shared>),
}

/// A readable, seekable source (file or memory), maybe counting the bytes it reads.
pub(super) struct Input {
    kind: Kind,
    counter: Option<BytesRead>,
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &mut self.kind {
            Kind::File(f) => f.read(buf),
            Kind::Bytes(c) => c.read(buf),
        }?;
        if let Some(counter) = &self.counter {
            counter.add(n as u64);
        }
        Ok(n)
    }
}

impl Seek for Input {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match &mut self.kind {
            Kind::File(f) => f.seek(pos),
            Kind::Bytes(c) => c.seek(pos),
        }
    }
}

pub(super) fn io_error(source: &Source, e: io::Error) -> ReadError {
    ReadError::io(source.name(), e)
}

/// Reads up to `limit` bytes from the start.
pub(super) fn read_head(input: &mut Input, limit: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(limit.min(SNIFF_BYTES));
    input.by_ref().take(limit as u64).read_to_end(&mut head)?;
    Ok(head)
}

/// Reads up to `limit` bytes from the end.
pub(super) fn read_tail(input: &mut Input, size: u64, limit: u64) -> io::Result<Vec<u8>> {
    let start = size.saturating_sub(limit);
    input.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::new();
    input.by_ref().take(limit).read_to_end(&mut tail)?;
    input.seek(SeekFrom::Start(0))?;
    Ok(tail)
}
