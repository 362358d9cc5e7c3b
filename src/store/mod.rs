//! The only place that speaks SQL. One [`Store`] over an engine ([`db::Conn`]); its methods
//! speak domain types and check the acting user's permissions.

pub mod audit;
pub mod briefs;
pub mod campaigns;
pub mod catalogs;
pub mod check;
pub mod contacts;
pub mod db;
pub mod distribution;
pub mod migrate;
pub mod password;
pub mod scripts;
pub mod settings;
pub mod sqlite;
pub mod strategies;
pub mod users;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::domain::{Action, Actor, Clock, FieldError, SystemClock};
use crate::i18n::{t, tf};
use db::{Conn, EngineKind};

/// What can go wrong in the store. Every message is already in the user's language.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The acting user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A field is wrong; shown under that field.
    #[error("{0}")]
    Invalid(FieldError),
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The change conflicts with what is stored (a login already taken, the last head…).
    #[error("{0}")]
    Conflict(String),
    /// The database was written by a newer version of the program.
    #[error("{0}")]
    NewerSchema(String),
    /// The engine failed.
    #[error("{0}")]
    Db(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(tf("store.err_db", &[("detail", &e)]))
    }
}

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Invalid(e)
    }
}

/// Store result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A private in-memory SQLite database (tests).
    Memory,
    /// A PostgreSQL server (server mode, not yet available).
    Postgres(String),
}

impl Target {
    /// Reads a `--db` argument: a `postgres://` URL or a file path.
    pub fn parse(s: &str) -> Target {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Target::Postgres(s.to_owned())
        } else if s == ":memory:" {
            Target::Memory
        } else {
            Target::Sqlite(PathBuf::from(s))
        }
    }

    /// The default database: `telemercadeo.sqlite3` in the user's data directory.
    pub fn default_path() -> PathBuf {
        directories::ProjectDirs::from("co", "Telemercadeo", "telemercadeo")
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from("."))
            .join("telemercadeo.sqlite3")
    }

    /// How the status bar names it (a server URL without its password).
    pub fn label(&self) -> String {
        match self {
            Target::Sqlite(p) => p.display().to_string(),
            Target::Memory => t("store.memory"),
            Target::Postgres(url) => match url.split_once('@') {
                Some((head, host)) => {
                    let scheme_user = head.rsplit_once(':').map_or(head, |(a, _)| a);
                    if scheme_user.ends_with('/') {
                        format!("{head}@{host}")
                    } else {
                        format!("{scheme_user}@{host}")
                    }
                }
                None => url.clone(),
            },
        }
    }
}

/// The program's data, shared by the GUI, the command line and background jobs.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Conn>>,
    clock: Arc<dyn Clock>,
    target: Target,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("target", &self.target)
            .finish()
    }
}

/// A write transaction: everything done through it lands together or not at all.
pub struct Tx<'a> {
    /// The connection, inside `BEGIN`.
    pub conn: &'a mut Conn,
    /// "Now" for this transaction, UTC seconds.
    pub now: i64,
}

impl Tx<'_> {
    /// Records who did what in the audit log, in this transaction.
    pub fn audit(
        &mut self,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        self.audit_as(&actor.audit_name(), action, entity, entity_id, detail)
    }

    /// Records an audit entry under a plain name (e.g. a login that is being held back).
    pub fn audit_as(
        &mut self,
        who: &str,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            crate::params![self.now, who, action, entity, entity_id, detail],
        )?;
        Ok(())
    }
}

impl Store {
    /// Opens (creating if needed) the database at `target` and brings its schema up to date.
    pub fn open(target: &Target) -> Result<Store> {
        Self::open_with_clock(target, Arc::new(SystemClock))
    }

    /// Opens with a given clock (tests set the time).
    pub fn open_with_clock(target: &Target, clock: Arc<dyn Clock>) -> Result<Store> {
        let mut conn = match target {
            Target::Sqlite(path) => Conn::Sqlite(sqlite::open_file(path)?),
            Target::Memory => Conn::Sqlite(sqlite::open_memory()?),
            Target::Postgres(_) => return Err(Error::Db(t("store.err_postgres_not_yet"))),
        };
        migrate::migrate(&mut conn, clock.now())?;
        // An import killed half-way left an invisible batch: remove what it wrote.
        contacts::purge_dead_batches(&mut conn, clock.now(), true)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            clock,
            target: target.clone(),
        })
    }

    /// A second connection to the same database, for a background job (SQLite in WAL mode lets
    /// it write while this one reads). An in-memory database can only share this connection.
    pub fn connect_again(&self) -> Result<Store> {
        match &self.target {
            Target::Memory => Ok(self.clone()),
            t => Self::open_with_clock(t, self.clock.clone()),
        }
    }

    /// A fresh in-memory database (tests).
    pub fn memory() -> Result<Store> {
        Self::open(&Target::Memory)
    }

    /// Where this store's data lives.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The engine behind the store.
    pub fn engine(&self) -> EngineKind {
        self.lock().kind()
    }

    /// The store's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// "Now", UTC seconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    fn lock(&self) -> MutexGuard<'_, Conn> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` in one write transaction: committed when it returns `Ok`, rolled back otherwise.
    pub fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut guard = self.lock();
        let conn = &mut *guard;
        conn.begin()?;
        let mut tx = Tx {
            conn,
            now: self.clock.now(),
        };
        match f(&mut tx) {
            Ok(v) => {
                tx.conn.commit()?;
                Ok(v)
            }
            Err(e) => {
                tx.conn.rollback();
                Err(e)
            }
        }
    }

    /// Runs read-only queries.
    pub fn read<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        let mut guard = self.lock();
        f(&mut guard)
    }

    /// Copies the database to `out` (a consistent SQLite file, even while others write).
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        match &*self.lock() {
            Conn::Sqlite(c) => sqlite::backup(c, out),
        }
    }
}

/// Refuses an action the actor may not do, with the reason in the user's language.
pub fn require(actor: &Actor, action: Action) -> Result<()> {
    if actor.can(action) {
        Ok(())
    } else {
        Err(Error::Forbidden(t("perm.forbidden")))
    }
}

/// Normalises a catalog name for uniqueness: trimmed, lower-case, accents folded, spaces collapsed.
pub fn name_key(name: &str) -> String {
    crate::domain::text::fold(name)
}
