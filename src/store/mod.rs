//! The only place that speaks SQL. One [`Store`] over an engine ([`db::Conn`]); its methods
//! speak domain types and check the acting user's permissions.

pub mod archive;
pub mod audit;
pub mod backup;
pub mod briefs;
pub mod calls;
pub mod campaigns;
pub mod card;
pub mod catalogs;
pub mod check;
pub mod contacts;
pub mod counts;
pub mod db;
pub mod distribution;
pub mod enrolments;
pub mod inbound;
pub mod indicators;
pub mod interested;
pub mod migrate;
pub mod outbox;
pub mod password;
pub mod process;
pub mod results;
pub mod scripts;
pub mod settings;
pub mod sqlite;
pub mod strategies;
pub mod tally;
pub mod users;
pub mod weekly;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::domain::{Action, Actor, Clock, FieldError, SystemClock};
use crate::i18n::{Msg, t};
use db::{Conn, EngineKind};

/// What was asked for and does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// A brief.
    Brief,
    /// A campaign.
    Campaign,
    /// A department.
    Department,
    /// A program or service.
    Program,
    /// A script.
    Script,
    /// A strategy.
    Strategy,
    /// A user.
    User,
    /// An agent to take or give contacts.
    Agent,
    /// A message of the outbox.
    Message,
}

impl What {
    /// The locale key of "… does not exist".
    pub fn key(self) -> &'static str {
        match self {
            What::Brief => "brief.err_not_found",
            What::Campaign => "campaign.err_not_found",
            What::Department => "department.err_not_found",
            What::Program => "program.err_not_found",
            What::Script => "script.err_not_found",
            What::Strategy => "strategy.err_not_found",
            What::User => "user.err_not_found",
            What::Agent => "distribution.err_no_agents",
            What::Message => "outbox.err_not_found",
        }
    }
}

/// The schema versions of a database the program cannot use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaVersions {
    /// The database's schema version.
    pub found: i64,
    /// The newest version this program knows.
    pub supported: i64,
}

/// What can go wrong in the store. Each error keeps its cause; its words (`Display`) are made
/// in the language current when it is shown.
#[derive(Debug)]
pub enum Error {
    /// The acting user may not do this (the reason's locale key).
    Forbidden(Msg),
    /// A field is wrong; shown under that field.
    Invalid(FieldError),
    /// The thing asked for does not exist.
    NotFound(What),
    /// The change conflicts with what is stored (a login already taken, the last head…).
    Conflict(Msg),
    /// The database was written by a newer version of the program (it was not touched).
    NewerSchema(SchemaVersions),
    /// Another connection holds the database (busy or locked) longer than the wait allows.
    Busy(rusqlite::Error),
    /// The file is damaged or is not a database. `path` when it was found on opening.
    Corrupt {
        /// The file, when known.
        path: Option<PathBuf>,
        /// The engine's error.
        source: rusqlite::Error,
    },
    /// A constraint of the schema refused the change (unique, foreign key, check…).
    Constraint {
        /// The constraint or `table.column` the engine named, when it did.
        constraint: Option<String>,
        /// The engine's error.
        source: rusqlite::Error,
    },
    /// The database file could not be opened.
    Open {
        /// The file.
        path: PathBuf,
        /// The engine's error.
        source: rusqlite::Error,
    },
    /// The database's folder could not be created.
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// Reading or writing a file failed.
    Io(std::io::Error),
    /// Any other failure of the engine.
    Engine(rusqlite::Error),
    /// Anything else, with its words (server mode not yet available, hashing failed…).
    Other(Msg),
    /// A login was refused (wrong password, held back, deactivated account).
    Login(crate::domain::login::LoginError),
}

impl Error {
    /// The words for the user, as a message translated when shown.
    pub fn msg(&self) -> Msg {
        match self {
            Error::Forbidden(m) | Error::Conflict(m) | Error::Other(m) => m.clone(),
            Error::Invalid(f) => f.message.clone(),
            Error::NotFound(w) => Msg::new(w.key()),
            Error::NewerSchema(v) => Msg::with(
                "store.err_newer_schema",
                &[("found", &v.found), ("supported", &v.supported)],
            ),
            Error::Busy(e) => Msg::with("store_err.busy", &[("detail", e)]),
            Error::Corrupt {
                path: Some(path),
                source,
            } => Msg::with(
                "store.err_not_a_db",
                &[("path", &path.display()), ("detail", source)],
            ),
            Error::Corrupt { path: None, source } => {
                Msg::with("store_err.corrupt", &[("detail", source)])
            }
            Error::Constraint { constraint, source } => Msg::with(
                "store_err.constraint",
                &[
                    ("constraint", &constraint.as_deref().unwrap_or("?")),
                    ("detail", source),
                ],
            ),
            Error::Open { path, source } => Msg::with(
                "store.err_open",
                &[("path", &path.display()), ("detail", source)],
            ),
            Error::CreateDir { path, source } => Msg::with(
                "store.err_create_dir",
                &[("path", &path.display()), ("detail", source)],
            ),
            Error::Io(e) => Msg::with("store_err.io", &[("detail", e)]),
            Error::Engine(e) => Msg::with("store.err_db", &[("detail", e)]),
            Error::Login(l) => l.msg(),
        }
    }

    /// Whether another connection held the database too long (trying again may work).
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Busy(_))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().render())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Busy(e)
            | Error::Engine(e)
            | Error::Corrupt { source: e, .. }
            | Error::Constraint { source: e, .. }
            | Error::Open { source: e, .. } => Some(e),
            Error::CreateDir { source, .. } => Some(source),
            Error::Io(e) => Some(e),
            Error::Invalid(_)
            | Error::Forbidden(_)
            | Error::NotFound(_)
            | Error::Conflict(_)
            | Error::NewerSchema(_)
            | Error::Other(_)
            | Error::Login(_) => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    /// Sorts the engine's error by its code: busy or locked, damaged, a constraint, or other.
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let rusqlite::Error::SqliteFailure(failure, message) = &e else {
            return Error::Engine(e);
        };
        match failure.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::Busy(e),
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => Error::Corrupt {
                path: None,
                source: e,
            },
            ErrorCode::ConstraintViolation => {
                // "UNIQUE constraint failed: users.login", "FOREIGN KEY constraint failed"…
                let constraint = message.as_deref().map(|m| {
                    m.split_once(": ")
                        .map_or(m, |(_, what)| what)
                        .trim()
                        .to_owned()
                });
                Error::Constraint {
                    constraint,
                    source: e,
                }
            }
            _ => Error::Engine(e),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
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
///
/// Two connections to an SQLite file: the writer (every [`Store::write`], one at a time) and a
/// reader opened read-only (every [`Store::read`], in WAL mode never waiting for a writer,
/// ours or another desk's). An in-memory database has one connection for both.
#[derive(Clone)]
pub struct Store {
    writer: Arc<Mutex<Conn>>,
    reader: Arc<Mutex<Conn>>,
    /// Opened by [`Store::open_read_only`]: no migration, nothing may be written.
    read_only: bool,
    clock: Arc<dyn Clock>,
    target: Target,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("target", &self.target)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// A transaction: a write one from [`Store::write`] (everything done through it lands together
/// or not at all) or a read one from [`Store::read`] (one consistent snapshot; writing through
/// it fails). Helpers that only read take either.
pub struct Tx<'a> {
    /// The connection, inside `BEGIN`.
    pub conn: &'a mut Conn,
    /// "Now" for this transaction, UTC seconds.
    pub now: i64,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl std::ops::DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
    }
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

fn lock(m: &Mutex<Conn>) -> MutexGuard<'_, Conn> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
            Target::Postgres(_) => {
                return Err(Error::Other(Msg::new("store.err_postgres_not_yet")));
            }
        };
        migrate::migrate(&mut conn, clock.now())?;
        // An import killed half-way left an invisible batch: remove what it wrote.
        contacts::purge_dead_batches(&mut conn, clock.now(), true)?;
        let writer = Arc::new(Mutex::new(conn));
        let reader = match target {
            // Opened after the writer, so the file, its schema and its WAL exist.
            Target::Sqlite(path) => {
                Arc::new(Mutex::new(Conn::Sqlite(sqlite::open_file_read_only(path)?)))
            }
            _ => writer.clone(),
        };
        Ok(Store {
            writer,
            reader,
            read_only: false,
            clock,
            target: target.clone(),
        })
    }

    /// Opens an existing database only to read it (`check`): no folder or file is created, the
    /// schema is not migrated, dead import batches are not purged, nothing can be written.
    /// A database written by a newer program is refused as [`Error::NewerSchema`]; an older
    /// one opens as it is.
    pub fn open_read_only(target: &Target) -> Result<Store> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let mut conn = match target {
            Target::Sqlite(path) => Conn::Sqlite(sqlite::open_file_read_only(path)?),
            // A private memory database has nothing to protect: an empty, current one.
            Target::Memory => {
                let mut c = Conn::Sqlite(sqlite::open_memory()?);
                migrate::migrate(&mut c, clock.now())?;
                c
            }
            Target::Postgres(_) => {
                return Err(Error::Other(Msg::new("store.err_postgres_not_yet")));
            }
        };
        let found = migrate::stored_version(&mut conn)?;
        if found > migrate::latest() {
            return Err(Error::NewerSchema(SchemaVersions {
                found,
                supported: migrate::latest(),
            }));
        }
        let conn = Arc::new(Mutex::new(conn));
        Ok(Store {
            writer: conn.clone(),
            reader: conn,
            read_only: true,
            clock,
            target: target.clone(),
        })
    }

    /// A second store over the same database, for a background job (SQLite in WAL mode lets
    /// it write while this one reads). An in-memory database can only share this connection.
    pub fn connect_again(&self) -> Result<Store> {
        match &self.target {
            Target::Memory => Ok(self.clone()),
            t if self.read_only => Self::open_read_only(t),
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

    /// Whether this store was opened only to read.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The engine behind the store.
    pub fn engine(&self) -> EngineKind {
        lock(&self.reader).kind()
    }

    /// The store's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The same store (the same connections) seeing time through another clock: `demo` records
    /// its past days at their own instants, so every derived field is the store's own.
    pub fn with_clock(&self, clock: Arc<dyn Clock>) -> Store {
        Store {
            clock,
            ..self.clone()
        }
    }

    /// "Now", UTC seconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// How long a statement waits for another connection's lock before failing with
    /// [`Error::Busy`] (5 s unless set), for both connections.
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<()> {
        for m in [&self.writer, &self.reader] {
            match &mut *lock(m) {
                Conn::Sqlite(c) => sqlite::set_busy_timeout(c, timeout)?,
            }
        }
        Ok(())
    }

    /// Runs `f` in one write transaction on the writer: committed when it returns `Ok`, rolled
    /// back otherwise. With another connection writing, it waits up to the busy timeout, then
    /// fails with [`Error::Busy`].
    pub fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut guard = lock(&self.writer);
        let conn = &mut *guard;
        conn.begin()?;
        let mut tx = Tx {
            conn,
            now: self.clock.now(),
        };
        let t0 = std::time::Instant::now();
        let r = match f(&mut tx) {
            Ok(v) => {
                tx.conn.commit()?;
                Ok(v)
            }
            Err(e) => {
                tx.conn.rollback();
                Err(e)
            }
        };
        if trace_writes() {
            eprintln!("trace: write tx {:?}", t0.elapsed());
        }
        r
    }

    /// Runs `f` in one read transaction on the reader (a deferred `BEGIN` … `COMMIT`: one
    /// consistent snapshot, no write lock). Nothing written through it is kept: on a file it
    /// fails (the reader is read-only); in memory, where reader and writer are one connection,
    /// the connection is `query_only` for the duration.
    pub fn read<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        let mut guard = lock(&self.reader);
        let conn = &mut *guard;
        let shared = Arc::ptr_eq(&self.reader, &self.writer) && !self.read_only;
        if shared {
            conn.execute_batch("PRAGMA query_only = 1")?;
        }
        let result = Self::in_read_tx(conn, self.clock.now(), f);
        if shared {
            conn.execute_batch("PRAGMA query_only = 0")?;
        }
        result
    }

    fn in_read_tx<T>(
        conn: &mut Conn,
        now: i64,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        conn.begin_read()?;
        let mut tx = Tx { conn, now };
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

    /// Runs `f` on the writer outside any transaction, for what manages its own (purging a
    /// batch, `ANALYZE`).
    pub(crate) fn on_writer<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        let mut guard = lock(&self.writer);
        f(&mut guard)
    }
}

/// Refuses an action the actor may not do, with the reason in the user's language.
pub fn require(actor: &Actor, action: Action) -> Result<()> {
    if actor.can(action) {
        Ok(())
    } else {
        Err(Error::Forbidden(Msg::new("perm.forbidden")))
    }
}

/// Normalises a catalog name for uniqueness: trimmed, lower-case, accents folded, spaces collapsed.
pub fn name_key(name: &str) -> String {
    crate::domain::text::fold(name)
}

/// Whether `TELEMERCADEO_IMPORT_TRACE` asks for every write transaction's time on stderr (read
/// once: a write should not look up the environment).
fn trace_writes() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("TELEMERCADEO_IMPORT_TRACE").is_some())
}
