//! The import job: reads a contact file, applies the rules row by row (phone, duplicate,
//! opt-out, import), and loads the contacts in short chunks under an invisible batch that one
//! final commit makes visible. Cancelled, failed or killed, the campaign is as it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use super::phone::{E164, PhoneParser, complete_landline};
use super::read::{self, RowResult, Source};
use super::{Field, ReadError, Row};
use crate::domain::Actor;
use crate::domain::brief::is_email;
use crate::domain::contact::{DataOrigin, ImportCounts, Issue, IssueKind, NewContact};
use crate::i18n::{t, tf};
use crate::store::{Error, Store};

/// Rows written per transaction: small enough that agents' writes wait only milliseconds.
pub const CHUNK_ROWS: usize = 20_000;

/// How duplicates are recognised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dedupe {
    /// By the row's (first valid) phone.
    #[default]
    Phone,
    /// By document number (siblings may share a parent's phone); rows without a document by phone.
    Document,
}

/// What the user chose for an import.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Sheet of a workbook (default: the first with a recognisable header).
    pub sheet: Option<String>,
    /// The user's column mapping, overriding the automatic one (same length as the headers).
    pub mapping: Option<Vec<Field>>,
    /// Duplicates by phone or by document.
    pub dedupe: Dedupe,
    /// Where the base comes from, its purpose and the evidence of authorisation (Ley 1581).
    pub origin: DataOrigin,
    /// Keep the imported phones in the report (tests and checks; 8 bytes a row).
    pub keep_phones: bool,
    /// Complete old 7-digit landlines with the area code of the row's city (only when the user
    /// accepted the suggestion; never silently).
    pub complete_landlines: bool,
}

/// Issues kept in memory for the report; all of them are in the database (`import_issues`).
pub const ISSUES_IN_REPORT: usize = 5_000;

/// Progress of a running import.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Data rows processed.
    pub rows: u64,
    /// 0.0–1.0, estimated from the bytes read.
    pub fraction: f32,
}

/// What an import (or a dry run) gave.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// The batch (none for a dry run).
    pub batch_id: Option<i64>,
    /// The counts.
    pub counts: ImportCounts,
    /// File-level notes and warnings (extension mismatch, truncated texts, no data rows…).
    pub warnings: Vec<String>,
    /// Rows not loaded, and rows loaded with a warning (the first [`ISSUES_IN_REPORT`]).
    pub issues: Vec<Issue>,
    /// How many issues there were in all.
    pub issues_total: usize,
    /// Rejected rows whose 7-digit landline could be completed with their city's area code.
    pub completable: i64,
    /// The format found ("CSV UTF-8 «,»", "Excel (hoja Contactos)").
    pub format: String,
    /// The phones of imported rows in file order, E.164 (for checks and summaries).
    #[serde(skip)]
    pub imported_phones: Vec<E164>,
}

/// Why an import did not run: the file could not be read, or the store refused it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read (nothing was imported).
    #[error("{0}")]
    Read(#[from] ReadError),
    /// The store refused or failed (nothing was imported).
    #[error("{0}")]
    Store(#[from] Error),
    /// The user cancelled (nothing was imported).
    #[error("{}", t("import.err_cancelled"))]
    Cancelled,
}

impl From<std::io::Error> for ImportError {
    /// A system failure around the import (no thread for the job, …): the store's I/O error.
    fn from(e: std::io::Error) -> Self {
        ImportError::Store(Error::Io(e))
    }
}

/// Where the rows go: the database (a real import) or nowhere (a dry run).
trait Sink {
    fn already_in_campaign(&self) -> (&HashSet<E164>, &HashSet<String>);
    fn opted_out(&self, phones: &[E164]) -> Result<HashSet<E164>, Error>;
    fn write(&mut self, contacts: &[NewContact], issues: &[Issue]) -> Result<(), Error>;
}

struct DbSink<'a> {
    store: &'a Store,
    batch_id: i64,
    campaign_id: i64,
    phones: HashSet<E164>,
    docs: HashSet<String>,
}

impl Sink for DbSink<'_> {
    fn already_in_campaign(&self) -> (&HashSet<E164>, &HashSet<String>) {
        (&self.phones, &self.docs)
    }
    fn opted_out(&self, phones: &[E164]) -> Result<HashSet<E164>, Error> {
        self.store.opted_out_among(phones)
    }
    fn write(&mut self, contacts: &[NewContact], issues: &[Issue]) -> Result<(), Error> {
        self.store
            .import_chunk(self.batch_id, self.campaign_id, contacts, issues)
    }
}

struct DrySink<'a> {
    store: Option<&'a Store>,
    empty_phones: HashSet<E164>,
    empty_docs: HashSet<String>,
}

impl Sink for DrySink<'_> {
    fn already_in_campaign(&self) -> (&HashSet<E164>, &HashSet<String>) {
        (&self.empty_phones, &self.empty_docs)
    }
    fn opted_out(&self, phones: &[E164]) -> Result<HashSet<E164>, Error> {
        match self.store {
            Some(s) => s.opted_out_among(phones),
            None => Ok(HashSet::new()),
        }
    }
    fn write(&mut self, _: &[NewContact], _: &[Issue]) -> Result<(), Error> {
        Ok(())
    }
}

/// Opens the file and settles the mapping; a file without a phone column goes no further.
fn open_for_import(
    source: &Source,
    options: &ImportOptions,
) -> Result<(read::Sniffed, read::Table, Vec<Field>), ImportError> {
    let sniffed = read::sniff(source)?;
    let table = read::open(source, &sniffed, options.sheet.as_deref())?;
    let fields = options
        .mapping
        .clone()
        .unwrap_or_else(|| table.fields.clone());
    if !fields.contains(&Field::Phone) {
        return Err(ReadError::NoPhoneColumn.into());
    }
    Ok((sniffed, table, fields))
}

/// Imports a file into a campaign. All or nothing: the contacts appear at once at the end.
pub fn run(
    store: &Store,
    actor: &Actor,
    campaign_id: i64,
    source: &Source,
    options: &ImportOptions,
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<ImportReport, ImportError> {
    // Read the file's shape first: a file that cannot be read never opens a batch.
    let (sniffed, table, fields) = open_for_import(source, options)?;
    let file_name = source.name();
    let batch_id = store.import_begin(
        actor,
        campaign_id,
        &file_name,
        &describe(&sniffed, table.sheet.as_deref()),
        &options.origin,
    )?;
    let (phones, docs) = match store.campaign_keys(campaign_id) {
        Ok(k) => k,
        Err(e) => {
            let _ = store.import_abort(batch_id);
            return Err(e.into());
        }
    };
    let mut sink = DbSink {
        store,
        batch_id,
        campaign_id,
        phones,
        docs,
    };
    let outcome = process(
        table, &sniffed, fields, options, &mut sink, progress, cancel,
    );
    match outcome {
        Ok(mut report) => {
            report.batch_id = Some(batch_id);
            if let Err(e) = store.import_commit(actor, batch_id, &report.counts, &report.warnings) {
                let _ = store.import_abort(batch_id);
                return Err(e.into());
            }
            Ok(report)
        }
        Err(e) => {
            let _ = store.import_abort(batch_id);
            Err(e)
        }
    }
}

/// Applies the rules without writing anything: the counts and the rejected rows a department
/// sees when it attaches its base to a brief. With a store, the opt-out register is consulted.
pub fn dry_run(
    store: Option<&Store>,
    source: &Source,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let (sniffed, table, fields) = open_for_import(source, options)?;
    let mut sink = DrySink {
        store,
        empty_phones: HashSet::new(),
        empty_docs: HashSet::new(),
    };
    let never = AtomicBool::new(false);
    process(table, &sniffed, fields, options, &mut sink, &|_| {}, &never)
}

/// Progress by rows against a size estimate (about 100 bytes a row), never past 99 %.
// TODO: use the reader's byte position once `read::Table` reports it.
fn estimate_fraction(rows: u64, size: u64) -> f32 {
    let estimated_rows = (size / 100).max(1);
    (rows as f32 / estimated_rows as f32).min(0.99)
}

/// The format for the user: "un libro de Excel (.xlsx), hoja «Contactos»".
pub fn describe(sniffed: &read::Sniffed, sheet: Option<&str>) -> String {
    match sheet {
        Some(s) => tf(
            "import.format_sheet",
            &[("format", &sniffed.format.describe()), ("sheet", &s)],
        ),
        None => sniffed.format.describe(),
    }
}

/// A row that passed the phone and duplicate rules, waiting for the opt-out check.
struct Candidate {
    contact: NewContact,
    warnings: Vec<Issue>,
}

fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Where each meaning sits among the file's columns.
struct Columns {
    phones: Vec<usize>,
    full_name: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    email: Option<usize>,
    program: Option<usize>,
    city: Option<usize>,
    document: Option<usize>,
    /// Extra fields and notes, kept under their header.
    extra: Vec<(usize, String)>,
}

impl Columns {
    fn new(fields: &[Field], headers: &[String]) -> Self {
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
enum Verdict {
    /// Not loaded (no valid phone, wrong width): counted as rejected.
    Rejected(Issue),
    /// Not loaded: an earlier row or an existing contact has it.
    Duplicate(Issue),
    /// Passed; the opt-out register decides at the chunk's end.
    Candidate(Candidate),
}

/// The per-row rules of procedure 5.1 step 3, with what they remember across rows.
struct Rules<'a> {
    parser: &'a PhoneParser,
    cols: Columns,
    options: &'a ImportOptions,
    seen_phone: HashMap<E164, u32>,
    seen_doc: HashMap<String, u32>,
    /// Rows rejected that an area code would complete.
    completable: i64,
}

impl Rules<'_> {
    /// Step 1: the first valid phone among the phone columns, left to right; the others become
    /// alternates. Old 7-digit landlines are completed only when the user accepted it.
    fn phones(&mut self, row: &Row) -> Vec<E164> {
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

    /// Step 2: a duplicate of an earlier row of the file or of the campaign (the first wins).
    fn duplicate(
        &mut self,
        row: &Row,
        main: E164,
        document: Option<&String>,
        sink: &dyn Sink,
    ) -> Option<String> {
        let (campaign_phones, campaign_docs) = sink.already_in_campaign();
        match (self.options.dedupe, document) {
            (Dedupe::Document, Some(d)) => {
                if campaign_docs.contains(d) {
                    Some(t("import.reason_duplicate_campaign"))
                } else if let Some(first) = self.seen_doc.get(d) {
                    Some(tf("import.reason_duplicate_doc_file", &[("row", first)]))
                } else {
                    self.seen_doc.insert(d.clone(), row.number as u32);
                    None
                }
            }
            _ => {
                if campaign_phones.contains(&main) {
                    Some(t("import.reason_duplicate_campaign"))
                } else if let Some(first) = self.seen_phone.get(&main) {
                    Some(tf("import.reason_duplicate_file", &[("row", first)]))
                } else {
                    self.seen_phone.insert(main, row.number as u32);
                    None
                }
            }
        }
    }

    /// The contact the row becomes (invalid e-mails left out with a warning).
    fn contact(&self, row: &Row, found: &[E164], document: Option<String>) -> Candidate {
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
    fn judge(&mut self, row: Row, wrong_width: Option<usize>, sink: &dyn Sink) -> Verdict {
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
        if let Some(reason) = self.duplicate(&row, main, document.as_ref(), sink) {
            return Verdict::Duplicate(Issue {
                row: number,
                kind: IssueKind::Duplicada,
                reason,
                original: row.cells,
            });
        }
        Verdict::Candidate(self.contact(&row, &found, document))
    }
}

/// Steps 3–4 for a chunk: the opt-out register excludes, the rest is written with the chunk's
/// issues (kept in file order for the report).
fn flush_chunk(
    pending: &mut Vec<Candidate>,
    issues: &mut Vec<Issue>,
    report: &mut ImportReport,
    keep_phones: bool,
    sink: &mut dyn Sink,
) -> Result<(), ImportError> {
    let phones: Vec<E164> = pending
        .iter()
        .flat_map(|c| std::iter::once(c.contact.phone).chain(c.contact.alt_phones.iter().copied()))
        .collect();
    let out = sink.opted_out(&phones)?;
    let mut contacts = Vec::with_capacity(pending.len());
    for c in pending.drain(..) {
        let hit = std::iter::once(c.contact.phone)
            .chain(c.contact.alt_phones.iter().copied())
            .any(|p| out.contains(&p));
        if hit {
            report.counts.opted_out += 1;
            issues.push(Issue {
                row: c.contact.source_row,
                kind: IssueKind::Excluida,
                reason: t("import.reason_opted_out"),
                original: Vec::new(),
            });
        } else {
            report.counts.imported += 1;
            if keep_phones {
                report.imported_phones.push(c.contact.phone);
            }
            issues.extend(c.warnings);
            contacts.push(c.contact);
        }
    }
    issues.sort_by_key(|i| i.row);
    sink.write(&contacts, issues)?;
    report.issues_total += issues.len();
    let room = ISSUES_IN_REPORT.saturating_sub(report.issues.len());
    report.issues.extend(issues.drain(..).take(room));
    issues.clear();
    Ok(())
}

/// Reads every row, judges it, and writes the survivors chunk by chunk.
#[allow(clippy::too_many_arguments)]
fn process(
    mut table: read::Table,
    sniffed: &read::Sniffed,
    fields: Vec<Field>,
    options: &ImportOptions,
    sink: &mut dyn Sink,
    progress: &dyn Fn(Progress),
    cancel: &AtomicBool,
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport {
        format: describe(sniffed, table.sheet.as_deref()),
        ..Default::default()
    };
    if let Some(note) = &sniffed.note {
        report.warnings.push(note.clone());
    }
    let mut rules = Rules {
        parser: super::phone::colombia(),
        cols: Columns::new(&fields, &table.headers),
        options,
        seen_phone: HashMap::new(),
        seen_doc: HashMap::new(),
        completable: 0,
    };
    let mut pending: Vec<Candidate> = Vec::with_capacity(CHUNK_ROWS);
    let mut issues: Vec<Issue> = Vec::new();
    let mut rows: u64 = 0;

    for item in table.rows() {
        let (row, wrong_width) = match item {
            RowResult::Ok(row) => (row, None),
            RowResult::WrongWidth {
                number,
                cells,
                expected,
            } => (Row { number, cells }, Some(expected)),
            // The file broke off: the whole import is abandoned (nothing partial is kept).
            RowResult::Failed { error, .. } => return Err(error.into()),
        };
        if row.is_blank() {
            continue;
        }
        rows += 1;
        report.counts.rows_read += 1;
        if rows.is_multiple_of(1024) {
            if cancel.load(Ordering::Relaxed) {
                return Err(ImportError::Cancelled);
            }
            progress(Progress {
                rows,
                fraction: estimate_fraction(rows, sniffed.size),
            });
        }
        match rules.judge(row, wrong_width, sink) {
            Verdict::Rejected(issue) => {
                report.counts.rejected += 1;
                issues.push(issue);
            }
            Verdict::Duplicate(issue) => {
                report.counts.duplicates += 1;
                issues.push(issue);
            }
            Verdict::Candidate(c) => pending.push(c),
        }
        if pending.len() >= CHUNK_ROWS {
            flush_chunk(
                &mut pending,
                &mut issues,
                &mut report,
                options.keep_phones,
                sink,
            )?;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(ImportError::Cancelled);
    }
    flush_chunk(
        &mut pending,
        &mut issues,
        &mut report,
        options.keep_phones,
        sink,
    )?;
    report.completable = rules.completable;
    report.warnings.extend(table.warnings().iter().cloned());
    if report.counts.rows_read == 0 {
        report.warnings.push(t("import.no_rows"));
    }
    progress(Progress {
        rows,
        fraction: 1.0,
    });
    Ok(report)
}
