//! Append-only, numbered migrations for both engines, tracked in `schema_version`.
//! A database written by a newer program is refused, never touched.
//! (Modelled on cargo's `src/cargo/util/sqlite.rs`.)

use super::db::Conn;
use super::{Error, Result};
use crate::i18n::tf;

/// The migrations, in order. Never edit one that has shipped: append a new one.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_model.sql"),
    include_str!("migrations/0002_import.sql"),
    include_str!("migrations/0003_fold_keys.sql"),
];

/// The schema version this program writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// The schema version of the open database (0 for an empty one).
pub fn current_version(conn: &mut Conn) -> Result<i64> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )?;
    Ok(conn
        .query_one("SELECT MAX(version) FROM schema_version", &[])?
        .opt_i64(0)
        .unwrap_or(0))
}

/// Brings the schema up to date, one transaction per migration.
pub fn migrate(conn: &mut Conn, now: i64) -> Result<()> {
    let found = current_version(conn)?;
    if found > latest() {
        return Err(Error::NewerSchema(tf(
            "store.err_newer_schema",
            &[("found", &found), ("supported", &latest())],
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        conn.begin()?;
        let applied = conn.execute_batch(sql).and_then(|_| {
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
                crate::params![version, now],
            )
        });
        match applied {
            Ok(_) => conn.commit()?,
            Err(e) => {
                conn.rollback();
                return Err(e);
            }
        }
    }
    Ok(())
}
