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
    pub(super) full_name: Option<usize>,
    pub(super) first_name: Option<usize>,
    pub(super) last_name: Option<usize>,
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
        Columns {
            phones: fields
                .iter()
                .enumerate()
                .filter(|(_, f)| **f == Field::Phone)
                .map(|(i, _)| i)
                .collect(),
            full_name: col(&Field::FullName),
            first_name: col(&Field::FirstName),
            last_name: col(&Field::LastName),
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
        let name = match (
            cell(self.cols.full_name),
            cell(self.cols.first_name),
            cell(self.cols.last_name),
        ) {
            (Some(f), _, _) => f,
            (None, a, b) => [a, b].into_iter().flatten().collect::<Vec<_>>().join(" "),
        };
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
