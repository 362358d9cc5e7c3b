//! Append-only, numbered migrations for both engines, tracked in `schema_version`.
//! A database written by a newer program is refused, never touched.
//! (Modelled on cargo's `src/cargo/util/sqlite.rs`.)

use super::db::Conn;
use super::{Error, Result};

/// The migrations, in order. Never edit one that has shipped: append a new one.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_model.sql"),
    include_str!("migrations/0002_import.sql"),
    include_str!("migrations/0003_fold_keys.sql"),
    include_str!("migrations/0004_import_lookup.sql"),
    include_str!("migrations/0005_assignment.sql"),
    include_str!("migrations/0006_call_queue.sql"),
    include_str!("migrations/0007_call_rules.sql"),
    include_str!("migrations/0008_contact_card.sql"),
    include_str!("migrations/0009_tally.sql"),
    include_str!("migrations/0010_inbound.sql"),
    include_str!("migrations/0013_weekly.sql"),
    include_str!("migrations/0016_archive.sql"),
    include_str!("migrations/0017_enrolments.sql"),
    include_str!("migrations/0018_process.sql"),
    include_str!("migrations/0019_results_report.sql"),
    include_str!("migrations/0020_indicators.sql"),
    include_str!("migrations/0021_attempt_hours.sql"),
    COUNTS,
    include_str!("migrations/0023_drop_breakdown.sql"),
];

/// The migration that creates the dashboards' counts; the program fills them after its SQL.
const COUNTS: &str = include_str!("migrations/0022_counts.sql");

/// What a migration computes in the program after its SQL (in the same transaction). Known by
/// its text, not its position: versions are positions in [`MIGRATIONS`], not file numbers.
fn step(conn: &mut Conn, sql: &str) -> Result<()> {
    if sql == COUNTS {
        // Local days and hashes, which the SQL cannot compute.
        super::counts::fill(conn)?;
    }
    Ok(())
}

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

/// The schema version of the open database, without creating anything (0 when the database
/// has no `schema_version` table): for a database opened only to read.
pub fn stored_version(conn: &mut Conn) -> Result<i64> {
    if !has_table(conn, "schema_version")? {
        return Ok(0);
    }
    Ok(conn
        .query_one("SELECT MAX(version) FROM schema_version", &[])?
        .opt_i64(0)
        .unwrap_or(0))
}

/// Whether the database has a table named `name`.
pub fn has_table(conn: &mut Conn, name: &str) -> Result<bool> {
    let sql = match conn.kind() {
        super::db::EngineKind::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1"
        }
        super::db::EngineKind::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ?1"
        }
    };
    Ok(conn.query_one(sql, crate::params![name])?.i64(0) > 0)
}

/// Brings the schema up to date, one transaction per migration.
pub fn migrate(conn: &mut Conn, now: i64) -> Result<()> {
    let found = current_version(conn)?;
    if found > latest() {
        return Err(Error::NewerSchema(super::SchemaVersions {
            found,
            supported: latest(),
        }));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        conn.begin()?;
        let applied = conn
            .execute_batch(sql)
            .and_then(|_| step(conn, sql))
            .and_then(|_| {
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
