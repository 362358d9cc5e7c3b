//! What only SQLite needs: opening a file, pragmas, online backup.

use std::path::Path;

use rusqlite::Connection;

use super::{Error, Result};
use crate::i18n::tf;

const PRAGMAS: &str = "PRAGMA foreign_keys = ON;
PRAGMA busy_timeout = 5000;
PRAGMA synchronous = NORMAL;
PRAGMA analysis_limit = 1000;
PRAGMA cache_size = -32768;
PRAGMA wal_autocheckpoint = 8000;";

/// Opens (creating its folder if needed) an SQLite file in WAL mode.
pub fn open_file(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Db(tf(
                "store.err_create_dir",
                &[("path", &dir.display()), ("detail", &e)],
            ))
        })?;
    }
    let c = Connection::open(path).map_err(|e| {
        Error::Db(tf(
            "store.err_open",
            &[("path", &path.display()), ("detail", &e)],
        ))
    })?;
    // A file that is not a database fails here, with a clear message.
    c.execute_batch(PRAGMAS)
        .and_then(|()| c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)))
        .map_err(|e| {
            Error::Db(tf(
                "store.err_not_a_db",
                &[("path", &path.display()), ("detail", &e)],
            ))
        })?;
    Ok(c)
}

/// A private in-memory database.
pub fn open_memory() -> Result<Connection> {
    let c = Connection::open_in_memory()?;
    c.execute_batch(PRAGMAS)?;
    Ok(c)
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
