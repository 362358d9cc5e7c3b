//! Filling the opt-out register from a file (an exclusion list such as the CRC's Registro de
//! Números Excluidos, or the institution's own).

use super::job::ImportError;
use super::read::{self, RowResult, Source};
use super::{Field, ReadError};
use crate::domain::Actor;
use crate::store::Store;

/// What an opt-out import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct OptoutReport {
    /// Non-blank data rows.
    pub rows_read: i64,
    /// Phones added to the register.
    pub added: i64,
    /// Phones that were there already.
    pub already: i64,
    /// Rows without a valid phone.
    pub rejected: i64,
}

/// Adds every valid phone of the file's phone columns (or, when no column is named like a phone,
/// of every column) to the register, in one transaction.
pub fn import_file(
    store: &Store,
    actor: &Actor,
    source: &Source,
    source_label: &str,
) -> Result<OptoutReport, ImportError> {
    let sniffed = read::sniff(source)?;
    let mut table = read::open(source, &sniffed, None)?;
    let phone_cols: Vec<usize> = match table
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Field::Phone)
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
    {
        cols if cols.is_empty() => (0..table.headers.len()).collect(),
        cols => cols,
    };
    let parser = super::phone::colombia();
    let mut report = OptoutReport::default();
    let mut phones = Vec::new();
    for item in table.rows() {
        let row = match item {
            RowResult::Ok(row) => row,
            RowResult::WrongWidth { number, cells, .. } => super::Row { number, cells },
            RowResult::Failed { error, .. } => return Err(error.into()),
        };
        if row.is_blank() {
            continue;
        }
        report.rows_read += 1;
        let found: Vec<u64> = phone_cols
            .iter()
            .filter_map(|c| row.cells.get(*c))
            .flat_map(|cell| parser.parse_cell(cell))
            .collect();
        if found.is_empty() {
            report.rejected += 1;
        }
        phones.extend(found);
    }
    if report.rows_read > 0 && phones.is_empty() {
        return Err(ReadError::NoPhoneColumn.into());
    }
    phones.sort_unstable();
    phones.dedup();
    let label = if source_label.trim().is_empty() {
        source.name()
    } else {
        source_label.trim().to_owned()
    };
    let (added, already) = store.optout_add(actor, &phones, &label)?;
    report.added = added;
    report.already = already;
    Ok(report)
}
