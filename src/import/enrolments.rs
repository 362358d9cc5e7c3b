//! Reading the academic system's list of applicants or enrolled students (CSV or workbook, any
//! of the encodings and shapes the contact files come in) for `Store::enrolments_import`.
//!
//! Columns are recognised by their header like a contact file's: document, e-mail, phones,
//! program; besides, a header with «fecha» is the date and one with «estado», «etapa» or
//! «situación» the stage (inscrito, admitido, matriculado). A row without a document, a phone
//! or an e-mail cannot be matched: it is counted as rejected with its row number. A file with
//! none of those columns is refused whole.

use super::Field;
use super::job::ImportError;
use super::read::{self, RowResult, Source};
use crate::domain::enrolment::{EnrolmentReport, EnrolmentRow, Stage, document_key, email_key};
use crate::domain::text::fold;
use crate::domain::{Actor, FieldError};
use crate::store::{Error, Store};

/// Reads the list and keeps it, matched to persons. `stage` is the stage of rows whose file
/// has no stage column (or whose cell says none).
pub fn import_file(
    store: &Store,
    actor: &Actor,
    source: &Source,
    stage: Stage,
) -> Result<EnrolmentReport, ImportError> {
    let sniffed = read::sniff(source)?;
    let mut table = read::open(source, &sniffed, None)?;
    let col = |f: &Field| table.fields.iter().position(|x| x == f);
    let document = col(&Field::Document);
    let email = col(&Field::Email);
    let program = col(&Field::Program);
    let phones: Vec<usize> = table
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| **f == Field::Phone)
        .map(|(i, _)| i)
        .collect();
    let header = |words: &[&str]| {
        table
            .headers
            .iter()
            .position(|h| words.iter().any(|w| fold(h).contains(w)))
    };
    let date = header(&["fecha"]);
    let stage_col = header(&["estado", "etapa", "situacion"]);
    if document.is_none() && email.is_none() && phones.is_empty() {
        return Err(ImportError::Store(Error::Invalid(FieldError::new(
            crate::domain::Field::File,
            "enrolment.err_no_key_column",
        ))));
    }
    let parser = super::phone::colombia();
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    let mut rows_read = 0;
    for item in table.rows() {
        let row = match item {
            RowResult::Ok(row) => row,
            RowResult::WrongWidth { number, cells, .. } => super::Row { number, cells },
            RowResult::Failed { error, .. } => return Err(error.into()),
        };
        if row.is_blank() {
            continue;
        }
        rows_read += 1;
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.cells.get(i))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
        };
        let r = EnrolmentRow {
            row: row.number,
            document: cell(document).and_then(document_key),
            email: cell(email).and_then(email_key),
            phones: phones
                .iter()
                .filter_map(|c| row.cells.get(*c))
                .flat_map(|c| parser.parse_cell(c))
                .collect(),
            program: cell(program).map(str::to_owned),
            date: cell(date).and_then(crate::domain::brief::parse_date),
            stage: cell(stage_col).and_then(Stage::from_cell).unwrap_or(stage),
        };
        if r.matchable() {
            rows.push(r);
        } else {
            rejected.push(row.number);
        }
    }
    if rows.is_empty() {
        return Err(ImportError::Store(Error::Invalid(FieldError::new(
            crate::domain::Field::File,
            "enrolment.err_no_rows",
        ))));
    }
    Ok(store.enrolments_import(actor, &source.name(), rows_read, &rows, &rejected)?)
}
