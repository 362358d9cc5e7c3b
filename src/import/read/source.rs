//! Where a file's bytes are ([`Source`]: on disk or in memory) and a seekable reader over them.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
        match self {
            Source::File(path) => File::open(path)
                .map(|f| Input::File(BufReader::with_capacity(64 * 1024, f)))
                .map_err(|e| io_error(self, e)),
            Source::Bytes { data, .. } => Ok(Input::Bytes(Cursor::new(Shared(Arc::clone(data))))),
        }
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

/// A readable, seekable source (file or memory).
pub(super) enum Input {
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
