//! `check`: integrity, foreign keys, schema version, the archive's hashes and the dashboards'
//! counts.

use super::db::Conn;
use super::{Result, Store, migrate};

pub use crate::domain::archive::CheckReport;

const COUNTED: [&str; 8] = [
    "users",
    "departments",
    "programs",
    "briefs",
    "campaigns",
    "campaign_contacts",
    "call_attempts",
    "inbound_calls",
];

impl Store {
    /// Checks the database. It only reads: on a store from [`Store::open_read_only`] the file
    /// is left exactly as it was (an older schema is reported, not upgraded).
    pub fn check(&self) -> Result<CheckReport> {
        self.read(|c| {
            let schema_version = migrate::stored_version(c)?;
            let (integrity, fk) = engine_checks(c)?;
            let mut counts = std::collections::BTreeMap::new();
            for table in COUNTED {
                // An older schema may not have every table yet.
                if !migrate::has_table(c, table)? {
                    continue;
                }
                let n = c
                    .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])?
                    .i64(0);
                counts.insert(table.to_owned(), n);
            }
            // An older schema may not keep hashes yet.
            let archive_mismatches = if has_column(c, "archived_records", "sha256")? {
                super::archive::verify_in(c, None)?
                    .into_iter()
                    .filter(|v| !v.ok)
                    .map(|v| format!("{}: {}", v.id, v.title))
                    .collect()
            } else {
                Vec::new()
            };
            let count_mismatches = super::counts::mismatches(c)?;
            let ok = integrity == ["ok"]
                && fk.is_empty()
                && archive_mismatches.is_empty()
                && count_mismatches.is_empty()
                && schema_version == migrate::latest();
            Ok(CheckReport {
                ok,
                schema_version,
                program_schema_version: migrate::latest(),
                integrity,
                foreign_key_errors: fk,
                counts,
                archive_mismatches,
                count_mismatches,
            })
        })
    }
}

fn engine_checks(c: &mut Conn) -> Result<(Vec<String>, Vec<String>)> {
    match c {
        Conn::Sqlite(_) => {
            let integrity = c
                .query("PRAGMA integrity_check", &[])?
                .iter()
                .map(|r| r.text(0))
                .collect();
            let fk = c
                .query("PRAGMA foreign_key_check", &[])?
                .iter()
                .map(|r| format!("{}({}) -> {}", r.text(0), r.i64(1), r.text(2)))
                .collect();
            Ok((integrity, fk))
        }
    }
}

fn has_column(c: &mut Conn, table: &str, column: &str) -> Result<bool> {
    match c {
        Conn::Sqlite(_) => Ok(c
            .query_one(
                "SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2",
                crate::params![table, column],
            )?
            .i64(0)
            > 0),
    }
}
