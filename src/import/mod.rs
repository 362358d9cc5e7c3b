//! Contact files: reading any file a department sends ([`read`]), phone normalisation
//! ([`phone`]), and the import job that cleans, dedupes and loads them ([`job`]).
//!
//! Import = reader + loader (atuin's pattern): the reader yields rows, the loader writes batches.

pub mod enrolments;
mod error;
pub mod job;
pub mod optout;
pub mod phone;
pub mod read;
pub mod synthetic;

pub use error::{Broken, Cause, Limit, LooksLike, ReadError, WorkbookFailure};

/// What a column of the file means.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    /// A phone number (several columns may be phones; left to right is the order of preference).
    Phone,
    /// Full name in one column ("NOMBRE COMPLETO", "APELLIDO, NOMBRE").
    FullName,
    /// First name(s).
    FirstName,
    /// Last name(s).
    LastName,
    /// E-mail.
    Email,
    /// Program or career of interest.
    Program,
    /// City or municipality.
    City,
    /// Identity document number (cédula, documento, identificación).
    Document,
    /// Notes, observations.
    Notes,
    /// Not one of the above: kept as an extra field (a script placeholder) under this name.
    Extra(String),
    /// Not imported.
    Ignore,
}

/// One data row of a file, as the user sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The row number the user sees: the spreadsheet row, or for text files the line where
    /// the record starts (1-based, header and title rows counted).
    pub number: usize,
    /// The cells, as text (numeric cells as their integer digits, dates as DD/MM/AAAA).
    pub cells: Vec<String>,
}

impl Row {
    /// Whether every cell is empty after trimming (such rows are skipped and not counted).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}
