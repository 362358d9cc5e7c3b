//! What only SQLite needs: opening a file (for writing, for reading only), pragmas, online backup.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Error, Result};

const PRAGMAS: &str = "PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA synchronous = NORMAL;
PRAGMA analysis_limit = 1000;
PRAGMA cache_size = -8192;
PRAGMA wal_autocheckpoint = 8000;";

/// Pragmas of a connection that only reads (no journal mode, no checkpoints of its own).
const READER_PRAGMAS: &str = "PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA cache_size = -2048;
PRAGMA query_only = 1;";

/// A failure while first reading a file just opened: busy stays busy; anything else means the
/// file is not a (sound) database.
fn unreadable(path: &Path, e: rusqlite::Error) -> Error {
    match Error::from(e) {
        Error::Busy(e) => Error::Busy(e),
        Error::Corrupt { source, .. }
        | Error::Engine(source)
        | Error::Constraint { source, .. } => Error::Corrupt {
            path: Some(path.to_path_buf()),
            source,
        },
        other => other,
    }
}

/// Opens (creating its folder if needed) an SQLite file in WAL mode.
pub fn open_file(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let c = Connection::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    // A file that is not a database fails here, with a clear message.
    c.execute_batch(PRAGMAS)
        .and_then(|()| c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)))
        .map_err(|e| unreadable(path, e))?;
    Ok(c)
}

/// Opens an existing SQLite file for reading only: nothing is created, and nothing done
/// through this connection can change the file (`query_only` on top of the read-only open).
pub fn open_file_read_only(path: &Path) -> Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    c.execute_batch(READER_PRAGMAS)
        .and_then(|()| {
            c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
        })
        .map_err(|e| unreadable(path, e))?;
    Ok(c)
}

/// A private in-memory database.
pub fn open_memory() -> Result<Connection> {
    let c = Connection::open_in_memory()?;
    c.execute_batch(PRAGMAS)?;
    Ok(c)
}

/// Sets how long a statement waits for another connection's lock before failing as busy.
pub fn set_busy_timeout(c: &Connection, timeout: std::time::Duration) -> Result<()> {
    c.busy_timeout(timeout)?;
    Ok(())
}

/// Copies the live database to `out` with SQLite's online backup.
pub fn backup(c: &Connection, out: &Path) -> Result<()> {
    c.backup(
        rusqlite::MAIN_DB,
        out,
        None::<fn(rusqlite::backup::Progress)>,
    )?;
    Ok(())
}
