//! The rules of procedure 5.1 step 3 for one row: its phones (old landlines completed only when
//! accepted), a duplicate of an earlier row or of the campaign, and the contact it becomes.

use std::collections::BTreeMap;

use super::super::phone::{E164, PhoneParser, complete_landline};
use super::super::{Field, Row};
use super::ImportOptions;
use crate::domain::brief::is_email;
use crate::domain::contact::{Issue, IssueKind, NewContact};
use crate::i18n::{t, tf};

/// A row that passed the phone and duplicate rules, waiting for the opt-out check.
pub(super) struct Candidate {
    pub(super) contact: NewContact,
    pub(super) warnings: Vec<Issue>,
}

pub(super) fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Where each meaning sits among the file's columns.
pub(super) struct Columns {
    pub(super) phones: Vec<usize>,
    /// Every column of each kind of name, in file order.
    pub(super) full_name: Vec<usize>,
    pub(super) first_name: Vec<usize>,
    pub(super) last_name: Vec<usize>,
    pub(super) email: Option<usize>,
    pub(super) program: Option<usize>,
    pub(super) city: Option<usize>,
    pub(super) document: Option<usize>,
    /// Extra fields and notes, kept under their header.
    pub(super) extra: Vec<(usize, String)>,
}

impl Columns {
    pub(super) fn new(fields: &[Field], headers: &[String]) -> Self {
        let col = |f: &Field| fields.iter().position(|x| x == f);
        let all = |f: &Field| -> Vec<usize> {
            fields
                .iter()
                .enumerate()
                .filter(|(_, x)| *x == f)
                .map(|(i, _)| i)
                .collect()
        };
        Columns {
            phones: all(&Field::Phone),
            full_name: all(&Field::FullName),
            first_name: all(&Field::FirstName),
            last_name: all(&Field::LastName),
            email: col(&Field::Email),
            program: col(&Field::Program),
            city: col(&Field::City),
            document: col(&Field::Document),
            extra: fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| match f {
                    Field::Extra(name) => Some((i, name.clone())),
                    Field::Notes => Some((i, headers.get(i).cloned().unwrap_or_default())),
                    _ => None,
                })
                .collect(),
        }
    }

    /// The headers of the extra columns (kept in each contact's `extra`), in file order, each
    /// once: recorded with the batch.
    pub(super) fn extra_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, name) in &self.extra {
            if !name.trim().is_empty() && !out.contains(name) {
                out.push(name.clone());
            }
        }
        out
    }
}

/// The full name from a row's name cells: the full-name columns if any is filled, else the
/// first names then the last names (each in file order); words joined by single spaces.
pub(super) fn full_name<'a>(
    full: impl IntoIterator<Item = &'a str>,
    first: impl IntoIterator<Item = &'a str>,
    last: impl IntoIterator<Item = &'a str>,
) -> String {
    let words = |parts: Vec<&'a str>| -> String {
        parts
            .iter()
            .flat_map(|p| p.split_whitespace())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let whole = words(full.into_iter().collect());
    if !whole.is_empty() {
        return whole;
    }
    words(first.into_iter().chain(last).collect())
}

/// What the rules say of one row.
pub(super) enum Verdict {
    /// Not loaded (no valid phone, wrong width): counted as rejected.
    Rejected(Issue),
    /// Passed steps 1 and 3 (its cells kept for a duplicate's report); duplicates and the
    /// opt-out register are decided once the whole file is read.
    Candidate(Candidate, Vec<String>),
}

/// The per-row rules of procedure 5.1 step 3, with what they remember across rows.
pub(super) struct Rules<'a> {
    pub(super) parser: &'a PhoneParser,
    pub(super) cols: Columns,
    pub(super) options: &'a ImportOptions,
    /// Rows rejected that an area code would complete.
    pub(super) completable: i64,
}

impl Rules<'_> {
    /// Step 1: the first valid phone among the phone columns, left to right; the others become
    /// alternates. Old 7-digit landlines are completed only when the user accepted it.
    pub(super) fn phones(&mut self, row: &Row) -> Vec<E164> {
        let mut found: Vec<E164> = Vec::new();
        for &c in &self.cols.phones {
            if let Some(cell) = row.cells.get(c) {
                for p in self.parser.parse_cell(cell) {
                    if !found.contains(&p) {
                        found.push(p);
                    }
                }
            }
        }
        if found.is_empty() {
            let city = self
                .cols
                .city
                .and_then(|i| row.cells.get(i))
                .map(String::as_str);
            let completed: Vec<E164> = self
                .cols
                .phones
                .iter()
                .filter_map(|c| row.cells.get(*c))
                .filter_map(|cell| complete_landline(self.parser, cell, city))
                .collect();
            if !completed.is_empty() {
                if self.options.complete_landlines {
                    found = completed;
                } else {
                    self.completable += 1;
                }
            }
        }
        found
    }

    /// The contact the row becomes (invalid e-mails left out with a warning).
    pub(super) fn contact(&self, row: &Row, found: &[E164], document: Option<String>) -> Candidate {
        let number = row.number as i64;
        let cell = |c: Option<usize>| {
            c.and_then(|i| row.cells.get(i))
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
        };
        let cells = |cols: &[usize]| -> Vec<&str> {
            cols.iter()
                .filter_map(|i| row.cells.get(*i))
                .map(String::as_str)
                .collect()
        };
        let name = full_name(
            cells(&self.cols.full_name),
            cells(&self.cols.first_name),
            cells(&self.cols.last_name),
        );
        let mut warnings = Vec::new();
        let email = match cell(self.cols.email) {
            Some(e) if is_email(&e) => Some(e),
            Some(e) => {
                warnings.push(Issue {
                    row: number,
                    kind: IssueKind::Aviso,
                    reason: tf("import.warn_email", &[("email", &e)]),
                    original: Vec::new(),
                });
                None
            }
            None => None,
        };
        let mut extra = BTreeMap::new();
        for (i, name) in &self.cols.extra {
            if let Some(v) = row.cells.get(*i).filter(|v| !v.trim().is_empty()) {
                extra.insert(name.clone(), v.trim().to_owned());
            }
        }
        Candidate {
            contact: NewContact {
                source_row: number,
                name,
                phone: found[0],
                alt_phones: found[1..].to_vec(),
                email,
                document,
                program: cell(self.cols.program),
                city: cell(self.cols.city),
                extra,
            },
            warnings,
        }
    }

    /// Steps 1, 2 and the contact, for one non-blank row.
    pub(super) fn judge(&mut self, row: Row, wrong_width: Option<usize>) -> Verdict {
        let number = row.number as i64;
        if let Some(expected) = wrong_width {
            return Verdict::Rejected(Issue {
                row: number,
                kind: IssueKind::Rechazada,
                reason: tf(
                    "import.reason_width",
                    &[("found", &row.cells.len()), ("expected", &expected)],
                ),
                original: row.cells,
            });
        }
        let found = self.phones(&row);
        let Some(&main) = found.first() else {
            return Verdict::Rejected(Issue {
                row: number,
                kind: IssueKind::Rechazada,
                reason: t("import.reason_no_phone"),
                original: row.cells,
            });
        };
        let document = self
            .cols
            .document
            .and_then(|i| row.cells.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|d| {
                let digits = digits_only(d);
                if digits.len() >= 5 {
                    digits
                } else {
                    d.to_owned()
                }
            });
        let _ = main;
        Verdict::Candidate(self.contact(&row, &found, document), row.cells)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_column_makes_the_full_name() {
        assert_eq!(
            full_name([], ["María", " José "], ["Rojas", "Peña"]),
            "María José Rojas Peña"
        );
        assert_eq!(
            full_name([], ["Juan", ""], ["Díaz  Gómez"]),
            "Juan Díaz Gómez"
        );
        assert_eq!(full_name([" Ana  Ruiz "], ["x"], ["y"]), "Ana Ruiz");
        assert_eq!(full_name([""], ["Ana"], []), "Ana");
        assert_eq!(full_name([], [], []), "");
    }

    #[test]
    fn extra_columns_are_named_once_in_file_order() {
        let fields = vec![
            Field::Phone,
            Field::Extra("Colegio".into()),
            Field::FirstName,
            Field::Notes,
            Field::Extra("Colegio".into()),
            Field::LastName,
            Field::FirstName,
        ];
        let headers: Vec<String> = [
            "Cel",
            "Colegio",
            "Nombre",
            "Observaciones",
            "Colegio",
            "Apellido",
            "Nombre 2",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let c = Columns::new(&fields, &headers);
        assert_eq!(c.extra_names(), ["Colegio", "Observaciones"]);
        assert_eq!(c.first_name, [2, 6]);
        assert_eq!(c.last_name, [5]);
    }
}
