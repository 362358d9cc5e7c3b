//! Backups: a consistent copy while the program is in use ([`Store::backup_to`]), the
//! automatic copy on the first start of each day (claimed in a write transaction, so two desks
//! starting at once do not both run it; the oldest pruned), checking a copy without touching
//! it ([`Store::open_backup`]), and restoring one ([`Store::restore_from`]) after checking it,
//! refused while other desks have the database open.
//!
//! Which desks have the database open is kept in `desks`: every window registers its
//! `host:pid` when it opens, refreshes `seen_at` every [`DESK_BEAT_SECS`] and removes its row
//! when it closes. A desk counts as open while its row is younger than [`DESK_STALE_SECS`]
//! (and, on this host, while its process exists). SQLite's locks cannot tell: in WAL mode an
//! idle connection holds no lock, and our own window keeps several connections open.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::check::CheckReport;
use super::db::Conn;
use super::{Error, Result, SchemaVersions, Store, Target, migrate, require, sqlite};
use crate::domain::archive::{BackupSettings, auto_backup_name, to_prune};
use crate::domain::{Action, Actor, SystemClock, format};
use crate::i18n::Msg;
use crate::params;

/// How often an open window says it is still there.
pub const DESK_BEAT_SECS: i64 = 60;
/// A desk not heard from for this long is gone (its program was killed or its machine is off).
pub const DESK_STALE_SECS: i64 = 3 * DESK_BEAT_SECS;

/// Settings keys.
const KEY_DIR: &str = "backup_dir";
const KEY_KEEP: &str = "backup_keep";
/// The local day (`2026-12-01`) whose automatic copy has been claimed.
const KEY_DAY: &str = "backup_auto_day";

/// Another desk that has the database open.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Desk {
    /// `host:pid`.
    pub owner: String,
    /// Who is logged in there (empty: nobody yet).
    pub user_login: String,
    /// Last heard from (UTC seconds).
    pub seen_at: i64,
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Restored {
    /// The copy of the database as it was just before, kept beside it.
    pub safety_copy: Option<PathBuf>,
    /// The backup's schema version (older ones were brought up to date).
    pub schema_version: i64,
}

/// This process's desk tag (`host:pid`).
pub fn desk_owner() -> String {
    super::contacts::owner_tag()
}

impl Store {
    /// How often an open window says it is still there ([`DESK_BEAT_SECS`]).
    pub const DESK_BEAT: std::time::Duration =
        std::time::Duration::from_secs(DESK_BEAT_SECS as u64);

    /// Copies the database to `out`: a consistent SQLite file even while other connections
    /// keep writing (SQLite's backup in one step into a temporary name, flushed, renamed).
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(Error::Other(Msg::with(
                "backup.err_no_folder",
                &[("path", &dir.display())],
            )));
        }
        match &*super::lock(&self.reader) {
            Conn::Sqlite(c) => sqlite::backup(c, out),
        }
    }

    /// The automatic backup's settings.
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        let rows = self.read(|tx| {
            tx.conn.query(
                "SELECT key, value FROM settings WHERE key IN (?1, ?2)",
                params![KEY_DIR, KEY_KEEP],
            )
        })?;
        let mut s = BackupSettings::default();
        for r in rows {
            match r.text(0).as_str() {
                KEY_DIR => s.folder = r.text(1),
                KEY_KEEP => {
                    if let Ok(n) = r.text(1).parse() {
                        s.keep = n;
                    }
                }
                _ => {}
            }
        }
        Ok(s)
    }

    /// The head saves the automatic backup's settings. Audited.
    pub fn save_backup_settings(&self, actor: &Actor, s: &BackupSettings) -> Result<()> {
        require(actor, Action::ManageArchive)?;
        s.validate()?;
        let folder = s.folder.trim().to_owned();
        self.write(|tx| {
            for (k, v) in [(KEY_DIR, folder.clone()), (KEY_KEEP, s.keep.to_string())] {
                tx.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )?;
            }
            tx.audit(
                actor,
                "backup.settings",
                "settings",
                None,
                &format!("{folder} | {}", s.keep),
            )
        })
    }

    /// The database file, when it is one.
    fn db_path(&self) -> Option<&Path> {
        match &self.target {
            Target::Sqlite(p) => Some(p),
            _ => None,
        }
    }

    /// Where automatic copies go: the folder of the settings, or `copias` next to the
    /// database. `None` for a database that is not a file.
    /// Where the automatic copies go when no folder is set: `copias/` next to the database
    /// (`None` for a server database).
    pub fn default_backup_folder(&self) -> Option<PathBuf> {
        self.db_path().map(default_folder)
    }

    pub fn backup_folder(&self) -> Result<Option<PathBuf>> {
        let Some(db) = self.db_path() else {
            return Ok(None);
        };
        let s = self.backup_settings()?;
        Ok(Some(if s.folder.trim().is_empty() {
            default_folder(db)
        } else {
            PathBuf::from(s.folder.trim())
        }))
    }

    fn db_stem(&self) -> String {
        self.db_path().and_then(|p| p.file_stem()).map_or_else(
            || "telemercadeo".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        )
    }

    /// The automatic copy of today (the settings' time zone), if no desk has taken it yet:
    /// the day is claimed in a write transaction (the second of two desks starting at once
    /// finds it taken and does nothing), the copy written, and the oldest automatic copies
    /// beyond the number to keep removed. Returns the copy written, or `None` when today's was
    /// already taken (or the database is not a file). A failed copy gives the day back.
    pub fn auto_backup(&self) -> Result<Option<PathBuf>> {
        let Some(folder) = self.backup_folder()? else {
            return Ok(None);
        };
        let settings = self.settings()?;
        let keep = self.backup_settings()?.keep;
        let today = format::local(self.now(), &settings)
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
        let before = self.write(|tx| {
            let before = tx
                .conn
                .query_opt("SELECT value FROM settings WHERE key = ?1", params![KEY_DAY])?
                .map(|r| r.text(0));
            if before.as_deref() == Some(today.as_str()) {
                return Ok(None);
            }
            tx.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![KEY_DAY, today.as_str()],
            )?;
            Ok(Some(before.unwrap_or_default()))
        })?;
        let Some(before) = before else {
            return Ok(None);
        };
        let stem = self.db_stem();
        let out = folder.join(auto_backup_name(&stem, &today));
        let done = std::fs::create_dir_all(&folder)
            .map_err(|source| Error::CreateDir {
                path: folder.clone(),
                source,
            })
            .and_then(|()| self.backup_to(&out));
        if let Err(e) = done {
            // Another start may try again today.
            let _ = self.write(|tx| {
                tx.conn.execute(
                    "UPDATE settings SET value = ?1 WHERE key = ?2 AND value = ?3",
                    params![before.as_str(), KEY_DAY, today.as_str()],
                )
            });
            return Err(e);
        }
        let names: Vec<String> = std::fs::read_dir(&folder)?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        for name in to_prune(&stem, names, keep) {
            if let Err(e) = std::fs::remove_file(folder.join(&name)) {
                log::warn!("backup: could not remove {name}: {e}");
            }
        }
        Ok(Some(out))
    }

    /// Opens a backup file to check it, without changing a byte of it (immutable, read-only):
    /// no schema migration; a copy written by a newer program is refused as
    /// [`Error::NewerSchema`]; a file that is not a database as [`Error::Corrupt`].
    pub fn open_backup(path: &Path) -> Result<Store> {
        let mut conn = Conn::Sqlite(sqlite::open_file_immutable(path)?);
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
            clock: Arc::new(SystemClock),
            target: Target::Sqlite(path.to_path_buf()),
        })
    }

    /// Checks a backup without changing it: [`Store::check`] on the file opened immutable.
    pub fn check_backup(path: &Path) -> Result<CheckReport> {
        Self::open_backup(path)?.check()
    }

    /// Registers this window as a desk that has the database open (or refreshes it).
    pub fn desk_beat(&self, user_login: &str) -> Result<()> {
        let owner = desk_owner();
        self.write(|tx| {
            let now = tx.now;
            tx.conn.execute(
                "INSERT INTO desks (owner, user_login, opened_at, seen_at) VALUES (?1, ?2, ?3, ?3)
                 ON CONFLICT (owner) DO UPDATE SET user_login = excluded.user_login, seen_at = excluded.seen_at",
                params![owner.as_str(), user_login, now],
            )?;
            Ok(())
        })
    }

    /// This window closes: its desk row goes.
    pub fn desk_leave(&self) -> Result<()> {
        let owner = desk_owner();
        self.write(|tx| {
            tx.conn.execute(
                "DELETE FROM desks WHERE owner = ?1",
                params![owner.as_str()],
            )?;
            Ok(())
        })
    }

    /// The other desks that have the database open now.
    pub fn other_desks(&self) -> Result<Vec<Desk>> {
        let me = desk_owner();
        self.read(|tx| {
            let now = tx.now;
            Ok(tx
                .conn
                .query(
                    "SELECT owner, user_login, seen_at FROM desks WHERE owner <> ?1 AND seen_at > ?2 ORDER BY owner",
                    params![me.as_str(), now - DESK_STALE_SECS],
                )?
                .iter()
                .map(|r| Desk {
                    owner: r.text(0),
                    user_login: r.text(1),
                    seen_at: r.i64(2),
                })
                .filter(|d| !super::contacts::owner_is_gone(&d.owner, d.seen_at, now))
                .collect())
        })
    }

    /// Replaces the whole database with a backup (the head, or the command line), after
    /// checking it: the engine's integrity check must pass and its schema must not be newer
    /// than this program's (an older one is brought up to date). Refused while another desk
    /// has the database open. The database as it was is first copied beside it
    /// (`…-antes-de-restaurar-….sqlite3`). The restore is audited in the restored database.
    pub fn restore_from(&self, actor: &Actor, backup: &Path) -> Result<Restored> {
        require(actor, Action::ManageArchive)?;
        // The backup, checked (a damaged file or a newer schema says so in the error).
        let report = Self::check_backup(backup).map_err(|e| match e {
            Error::NewerSchema(v) => Error::Other(Msg::with(
                "backup.err_newer",
                &[("found", &v.found), ("supported", &v.supported)],
            )),
            Error::Corrupt { source, .. } => {
                Error::Other(Msg::with("backup.err_corrupt", &[("detail", &source)]))
            }
            other => other,
        })?;
        if report.integrity != ["ok"] {
            return Err(Error::Other(Msg::with(
                "backup.err_corrupt",
                &[("detail", &report.integrity.join("; "))],
            )));
        }
        if report.schema_version == 0 {
            return Err(Error::Other(Msg::new("backup.err_not_ours")));
        }
        let others = self.other_desks()?;
        if !others.is_empty() {
            let names: Vec<String> = others
                .iter()
                .map(|d| {
                    if d.user_login.is_empty() {
                        d.owner.clone()
                    } else {
                        format!("{} ({})", d.owner, d.user_login)
                    }
                })
                .collect();
            return Err(Error::Conflict(Msg::with(
                "backup.err_desks_open",
                &[("desks", &names.join(", "))],
            )));
        }
        // The database as it is now, kept beside it.
        let safety_copy = match self.db_path() {
            Some(db) => {
                let stamp = chrono::DateTime::from_timestamp(self.now(), 0)
                    .map(|d| d.format("%Y%m%d-%H%M%S").to_string())
                    .unwrap_or_default();
                let out = db.with_file_name(format!(
                    "{}-antes-de-restaurar-{stamp}.sqlite3",
                    self.db_stem()
                ));
                self.backup_to(&out)?;
                Some(out)
            }
            None => None,
        };
        let src = sqlite::open_file_immutable(backup)?;
        let now = self.now();
        {
            let mut guard = super::lock(&self.writer);
            match &mut *guard {
                Conn::Sqlite(dst) => sqlite::restore(&src, dst)?,
            }
            migrate::migrate(&mut guard, now)?;
        }
        let detail = format!("{} | {}", backup.display(), report.schema_version);
        self.write(|tx| tx.audit(actor, "backup.restore", "database", None, &detail))?;
        Ok(Restored {
            safety_copy,
            schema_version: report.schema_version,
        })
    }
}

/// `copias/` next to the database file.
fn default_folder(db: &Path) -> PathBuf {
    db.parent()
        .map_or_else(|| PathBuf::from("copias"), |d| d.join("copias"))
}
