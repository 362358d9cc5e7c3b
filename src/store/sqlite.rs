//! What only SQLite needs: opening a file (for writing, for reading only), pragmas, online backup.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Error, Result};

const PRAGMAS: &str = "PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
PRAGMA analysis_limit = 1000;
PRAGMA cache_size = -8192;
PRAGMA wal_autocheckpoint = 8000;";

/// Prepared statements kept per connection. Recording a call alone runs some thirty distinct
/// statements (the outcome, the undo's snapshot, the dashboards' counts); rusqlite's default of
/// 16 made each of them be parsed again every time.
const STATEMENT_CACHE: usize = 256;

/// How long a write waits for another desk's write lock before failing as busy.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// How often a waiting write asks for the lock again. SQLite's own handler backs off to once
/// every 100 ms, and an import leaves the lock free for 15 ms between its turns: asking that
/// rarely, a desk could miss several turns (430–630 ms waits were measured).
const BUSY_POLL: std::time::Duration = std::time::Duration::from_millis(5);

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
    let mut c = Connection::open(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    set_busy_timeout(&mut c, BUSY_WAIT)?;
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
    c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
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
    c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    c.execute_batch(PRAGMAS)?;
    Ok(c)
}

/// Sets how long a statement waits for another connection's lock before failing as busy,
/// asking again every [`BUSY_POLL`] meanwhile (zero: it fails at once).
pub fn set_busy_timeout(c: &mut Connection, timeout: std::time::Duration) -> Result<()> {
    if timeout.is_zero() {
        c.busy_timeout(timeout)?;
        return Ok(());
    }
    let mut since = std::time::Instant::now();
    c.busy_handler(Some(move |count: i32| {
        if count == 0 {
            since = std::time::Instant::now();
        }
        if since.elapsed() >= timeout {
            return false;
        }
        std::thread::sleep(BUSY_POLL);
        true
    }))?;
    Ok(())
}

/// Opens a file that nothing may be writing (a backup) strictly for reading: `immutable`, so
/// SQLite takes no lock and creates no `-wal`/`-shm` beside it, and `query_only` on top. The
/// file is left byte for byte as it was.
pub fn open_file_immutable(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::Open {
            path: path.to_path_buf(),
            source: rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(path.display().to_string()),
            ),
        });
    }
    let uri = immutable_uri(path);
    let c = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
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

/// `file:/the/path?immutable=1`, with the characters a URI reserves escaped.
fn immutable_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut s = String::from("file:");
    for ch in abs.to_string_lossy().replace('\\', "/").chars() {
        match ch {
            '?' | '#' | '%' => s.push_str(&format!("%{:02X}", ch as u32)),
            c => s.push(c),
        }
    }
    // A Windows path (C:/…) needs a leading slash in a URI.
    if !s.starts_with("file:/") {
        s.insert(5, '/');
    }
    s.push_str("?immutable=1");
    s
}

/// The temporary name a copy is written under before it is renamed to `out` (same folder, so
/// the rename is atomic).
pub fn partial_name(out: &Path) -> std::path::PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "copia".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

/// Copies the live database to `out`: SQLite's online backup with every page in one step (one
/// read transaction on `c`: a consistent snapshot, whatever other connections write meanwhile;
/// a backup stepped a few pages at a time restarts whenever someone writes) into a temporary
/// name in `out`'s folder, turned into a plain rollback-journal file (no `-wal` needed beside
/// it), flushed to disk, then renamed to `out`. A failure leaves no partial file and `out` as it was.
pub fn backup(c: &Connection, out: &Path) -> Result<()> {
    let tmp = partial_name(out);
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        {
            let mut dst = Connection::open(&tmp).map_err(|source| Error::Open {
                path: tmp.clone(),
                source,
            })?;
            {
                let b = rusqlite::backup::Backup::new(c, &mut dst)?;
                loop {
                    match b.step(-1)? {
                        rusqlite::backup::StepResult::Done => break,
                        // Another connection holds a lock this instant: try again shortly.
                        _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                    }
                }
            }
            dst.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            })?;
            dst.close().map_err(|(_, e)| Error::from(e))?;
        }
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, out)?;
        // The rename itself reaches the disk with the folder (where the system allows it).
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Replaces the database of `dst` (the writer) with the whole content of `src` (a checked
/// backup, opened immutable) in one step, through SQLite's own locking: other connections see
/// the restored data on their next read.
pub fn restore(src: &Connection, dst: &mut Connection) -> Result<()> {
    let b = rusqlite::backup::Backup::new(src, dst)?;
    let mut tries = 0;
    loop {
        match b.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            _ if tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => {
                return Err(Error::Busy(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    None,
                )));
            }
        }
    }
}
