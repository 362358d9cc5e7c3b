//! The import job: reads a contact file, applies the rules row by row (phone, duplicate,
//! opt-out, import), and loads the contacts in short chunks under an invisible batch that one
//! final commit makes visible. Cancelled, failed or killed, the campaign is as it was.

use std::collections::HashSet;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use super::phone::E164;
use super::read::{self, RowResult, Source};
use super::{Field, ReadError, Row};
use crate::domain::Actor;
use crate::domain::contact::{DataOrigin, ImportCounts, Issue, IssueKind, NewContact};
use crate::i18n::{t, tf};
use crate::store::{Error, Store};

mod rules;
mod spill;

use rules::*;
use spill::*;

/// Rows written per transaction: small enough that agents' writes wait only milliseconds.
pub const CHUNK_ROWS: usize = 10_000;

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
    /// 0.0–1.0: reading follows the bytes the reader has consumed (0–60 %), writing the rows.
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
    // The file's extra columns, in file order, go with the batch (script placeholders, the
    // contact card's fields).
    let columns = Columns::new(&fields, &table.headers).extra_names();
    if let Err(e) = store.import_columns(actor, batch_id, &columns) {
        let _ = store.import_abort(batch_id);
        return Err(e.into());
    }
    let db = Db {
        store,
        batch_id,
        campaign_id,
    };
    let outcome = process(
        table,
        &sniffed,
        fields,
        options,
        Some(&db),
        Some(store),
        progress,
        cancel,
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
    let never = AtomicBool::new(false);
    process(
        table,
        &sniffed,
        fields,
        options,
        None,
        store,
        &|_| {},
        &never,
    )
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

/// The real import's side: the store, its batch and campaign.
struct Db<'a> {
    store: &'a Store,
    batch_id: i64,
    campaign_id: i64,
}

/// Rows of the file kept between the passes, in file order, in a temporary file (so memory
/// What the passes decide for each candidate row (index: the candidate's sequence number).
const HAS_DOC: u8 = 1;
const OPTED_OUT: u8 = 2;
const DUP_FILE: u8 = 4;
const DUP_DOC_FILE: u8 = 8;
const DUP_CAMPAIGN: u8 = 16;
const DUP: u8 = DUP_FILE | DUP_DOC_FILE | DUP_CAMPAIGN;

/// No link yet.
const NO_LINK: u8 = u8::MAX;
/// Documents link after every phone.
const DOC_POS: u8 = 7;

/// A phone entry in 12 bytes: the phone (big-endian, 8 bytes) then `seq << 2 | position among
/// the row's phones` (3 for the 4th and later; big-endian, 4 bytes), so that byte order is
/// (phone, seq) order.
type PhoneEntry = [u8; 12];

fn pe_new(phone: u64, sp: u32) -> PhoneEntry {
    let mut e = [0; 12];
    e[..8].copy_from_slice(&phone.to_be_bytes());
    e[8..].copy_from_slice(&sp.to_be_bytes());
    e
}
fn pe_phone(e: &PhoneEntry) -> u64 {
    u64::from_be_bytes([e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]])
}
fn pe_sp(e: &PhoneEntry) -> u32 {
    u32::from_be_bytes([e[8], e[9], e[10], e[11]])
}

/// Marks the entry that brings a new lookup key (the first imported row with it).
const NEW_KEY: u32 = 1 << 31;

/// Keys of the candidates, collected in pass 1 and sorted in pass 2.
#[derive(Default)]
struct Keys {
    /// The phones of every candidate.
    phones: Vec<PhoneEntry>,
    /// Documents, length-prefixed, one after the other.
    arena: Vec<u8>,
    /// (offset of the document in the arena, seq).
    docs: Vec<(u32, u32)>,
    /// Per seq: flags.
    flags: Vec<u8>,
}

impl Keys {
    fn doc(&self, off: u32) -> &str {
        let o = off as usize;
        let n = u16::from_le_bytes([self.arena[o], self.arena[o + 1]]) as usize;
        std::str::from_utf8(&self.arena[o + 2..o + 2 + n]).unwrap_or("")
    }

    fn add(&mut self, c: &NewContact) -> u32 {
        let seq = self.flags.len() as u32;
        let mut flags = 0;
        for (i, p) in std::iter::once(c.phone)
            .chain(c.alt_phones.iter().copied())
            .enumerate()
        {
            self.phones.push(pe_new(p, seq << 2 | (i.min(3) as u32)));
        }
        if let Some(d) = c.document.as_deref().filter(|d| d.len() < 1 << 15) {
            flags |= HAS_DOC;
            self.docs.push((self.arena.len() as u32, seq));
            self.arena
                .extend_from_slice(&(d.len() as u16).to_le_bytes());
            self.arena.extend_from_slice(d.as_bytes());
        }
        self.flags.push(flags);
        seq
    }
}

/// Per candidate: its best link to a person so far (lowest position wins), in 4 bytes: an
/// existing person (`EXISTING | index` into `existing`), an earlier candidate of this file (its
/// seq), and once resolved a new person (`NEW | rank` in the batch's range).
struct Links {
    pos: Vec<u8>,
    to: Vec<u32>,
    existing: Vec<i64>,
}

const EXISTING: u32 = 1 << 31;
const NEW: u32 = 1 << 30;

impl Links {
    /// The person id of a resolved link.
    fn person(&self, seq: u32, first_new: i64) -> i64 {
        let to = self.to[seq as usize];
        if to & EXISTING != 0 {
            self.existing[(to & !EXISTING) as usize]
        } else {
            first_new + (to & !NEW) as i64
        }
    }

    fn offer(&mut self, seq: u32, pos: u8, to: u32) {
        let s = seq as usize;
        if pos < self.pos[s] {
            self.pos[s] = pos;
            self.to[s] = to;
        }
    }
}

/// Phone and document groups in key order: dedupe (the first row wins), the campaign's
/// contacts, the persons already known, and the links between rows of the file.
fn decide(
    keys: &mut Keys,
    options: &ImportOptions,
    db: Option<&Db<'_>>,
    dup_of: &mut Vec<(u32, u32)>,
) -> Result<Links, ImportError> {
    keys.phones.sort_unstable();
    let arena = std::mem::take(&mut keys.arena);
    let doc_of = |off: u32| {
        let o = off as usize;
        let n = u16::from_le_bytes([arena[o], arena[o + 1]]) as usize;
        &arena[o + 2..o + 2 + n]
    };
    keys.docs
        .sort_unstable_by(|a, b| doc_of(a.0).cmp(doc_of(b.0)).then(a.1.cmp(&b.1)));
    let phones = &keys.phones;
    let docs = &keys.docs;
    let first_of_group = |i: usize| i == 0 || pe_phone(&phones[i - 1]) != pe_phone(&phones[i]);
    let doc_first = |i: usize| i == 0 || doc_of(docs[i - 1].0) != doc_of(docs[i].0);

    // Persons already known, by phone and by document (a read, outside the writer lock).
    let mut phone_hits: Vec<(u32, i64)> = Vec::new();
    let mut doc_hits: Vec<(u32, i64)> = Vec::new();
    let mut campaign_phones = HashSet::new();
    let mut campaign_docs: Vec<u32> = Vec::new();
    if let Some(db) = db {
        db.store.person_phones_lookup(
            db.batch_id,
            phones.len(),
            &|i| pe_phone(&phones[i]),
            &mut |i, p| {
                if first_of_group(i) {
                    phone_hits.push((i as u32, p));
                }
            },
        )?;
        let as_str = |i: usize| std::str::from_utf8(doc_of(docs[i].0)).unwrap_or("");
        db.store
            .person_documents_lookup(db.batch_id, docs.len(), &as_str, &mut |i, p| {
                if doc_first(i) {
                    doc_hits.push((i as u32, p));
                }
            })?;
        // A contact's main phone always names its person: only known persons can already be
        // in the campaign.
        let pairs: Vec<(u64, i64)> = phone_hits
            .iter()
            .map(|(i, p)| (pe_phone(&phones[*i as usize]), *p))
            .collect();
        campaign_phones = db.store.campaign_main_phones(db.campaign_id, &pairs)?;
        if options.dedupe == Dedupe::Document {
            let mut i = 0;
            db.store.campaign_documents_each(db.campaign_id, &mut |d| {
                while i < docs.len() && doc_of(docs[i].0) < d.as_bytes() {
                    i += 1;
                }
                if i < docs.len() && doc_of(docs[i].0) == d.as_bytes() {
                    campaign_docs.push(i as u32);
                }
                i < docs.len()
            })?;
        }
    }

    // Dedupe: by document for rows that have one (document mode), else by the main phone.
    let by_doc = options.dedupe == Dedupe::Document;
    let flags = &mut keys.flags;
    let mut i = 0;
    while i < phones.len() {
        let mut j = i;
        let phone = pe_phone(&phones[i]);
        while j < phones.len() && pe_phone(&phones[j]) == phone {
            j += 1;
        }
        let in_campaign = campaign_phones.contains(&phone);
        let mut winner: Option<u32> = None;
        for e in &phones[i..j] {
            let sp = pe_sp(e);
            let seq = sp >> 2;
            if sp & 3 != 0 || (by_doc && flags[seq as usize] & HAS_DOC != 0) {
                continue;
            }
            if in_campaign {
                flags[seq as usize] |= DUP_CAMPAIGN;
            } else if let Some(w) = winner {
                flags[seq as usize] |= DUP_FILE;
                dup_of.push((seq, w));
            } else {
                winner = Some(seq);
            }
        }
        i = j;
    }
    if by_doc {
        let mut c = 0;
        let mut i = 0;
        while i < docs.len() {
            let mut j = i + 1;
            while j < docs.len() && !doc_first(j) {
                j += 1;
            }
            while c < campaign_docs.len() && (campaign_docs[c] as usize) < i {
                c += 1;
            }
            let in_campaign = c < campaign_docs.len() && campaign_docs[c] as usize == i;
            let first = docs[i].1;
            for &(_, seq) in &docs[i..j] {
                if in_campaign {
                    flags[seq as usize] |= DUP_CAMPAIGN;
                } else if seq != first {
                    flags[seq as usize] |= DUP_DOC_FILE;
                    dup_of.push((seq, first));
                }
            }
            i = j;
        }
    }
    let imported = |f: u8| f & (DUP | OPTED_OUT) == 0;

    // Links: a known person, else the first imported row with the same key.
    let n = flags.len();
    let mut links = Links {
        pos: vec![NO_LINK; n],
        to: vec![0; n],
        existing: Vec::new(),
    };
    let phones = &mut keys.phones;
    let mut h = 0;
    let mut i = 0;
    while i < phones.len() {
        let mut j = i;
        let phone = pe_phone(&phones[i]);
        while j < phones.len() && pe_phone(&phones[j]) == phone {
            j += 1;
        }
        let known = (h < phone_hits.len() && phone_hits[h].0 as usize == i).then(|| {
            h += 1;
            links.existing.push(phone_hits[h - 1].1);
            EXISTING | (links.existing.len() - 1) as u32
        });
        let mut first: Option<u32> = None;
        for e in &mut phones[i..j] {
            let sp = pe_sp(e);
            let (seq, pos) = (sp >> 2, (sp & 3) as u8);
            if !imported(flags[seq as usize]) {
                continue;
            }
            match (known, first) {
                (Some(p), _) => links.offer(seq, pos, p),
                (None, Some(f)) => links.offer(seq, pos, f),
                (None, None) => {
                    first = Some(seq);
                    *e = pe_new(phone, sp | NEW_KEY);
                }
            }
        }
        i = j;
    }
    let docs = &mut keys.docs;
    let mut h = 0;
    let mut i = 0;
    while i < docs.len() {
        let mut j = i + 1;
        while j < docs.len() && doc_of(docs[j - 1].0) == doc_of(docs[j].0) {
            j += 1;
        }
        let known = (h < doc_hits.len() && doc_hits[h].0 as usize == i).then(|| {
            h += 1;
            links.existing.push(doc_hits[h - 1].1);
            EXISTING | (links.existing.len() - 1) as u32
        });
        let mut first: Option<u32> = None;
        for e in &mut docs[i..j] {
            let seq = e.1;
            if !imported(flags[seq as usize]) {
                continue;
            }
            match (known, first) {
                (Some(p), _) => links.offer(seq, DOC_POS, p),
                (None, Some(f)) => links.offer(seq, DOC_POS, f),
                (None, None) => {
                    first = Some(seq);
                    e.1 = seq | NEW_KEY;
                }
            }
        }
        i = j;
    }
    keys.arena = arena;
    Ok(links)
}

/// Reads every row, judges it, decides duplicates and persons for the whole file, and writes
/// the survivors chunk by chunk in file order.
#[allow(clippy::too_many_arguments)]
fn process(
    mut table: read::Table,
    sniffed: &read::Sniffed,
    fields: Vec<Field>,
    options: &ImportOptions,
    db: Option<&Db<'_>>,
    optout_store: Option<&Store>,
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
        completable: 0,
    };
    let started = std::time::Instant::now();
    // Pass 1: read, judge each row alone, keep it in the spill file and its keys in memory.
    let mut spill = Spill::new()?;
    let mut keys = Keys::default();
    let mut rows: u64 = 0;
    let mut optout_batch: Vec<(E164, u32)> = Vec::new();
    let flush_optout = |batch: &mut Vec<(E164, u32)>, keys: &mut Keys| -> Result<(), ImportError> {
        if let Some(s) = optout_store
            && !batch.is_empty()
        {
            let phones: Vec<E164> = batch.iter().map(|(p, _)| *p).collect();
            let out = s.opted_out_among(&phones)?;
            for (p, seq) in batch.iter() {
                if out.contains(p) {
                    keys.flags[*seq as usize] |= OPTED_OUT;
                }
            }
        }
        batch.clear();
        Ok(())
    };
    // Pass 1 (reading, 0–60 % of the bar) follows the bytes the reader has consumed; pass 3
    // follows the rows written out of the rows read.
    let bytes = table.bytes_progress();
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
                fraction: 0.6 * (bytes.fraction() as f32).min(0.999),
            });
            if rows.is_multiple_of(1 << 18)
                && let Some(db) = db
            {
                db.store.import_heartbeat(db.batch_id)?;
            }
        }
        let w = spill
            .out
            .as_mut()
            .ok_or_else(|| std::io::Error::other("spill"))?;
        match rules.judge(row, wrong_width) {
            Verdict::Rejected(issue) => {
                report.counts.rejected += 1;
                w.write_all(&[REC_ISSUE])?;
                put_issue(w, &issue)?;
            }
            Verdict::Candidate(c, cells) => {
                put_candidate(w, &c, &cells)?;
                let seq = keys.add(&c.contact);
                optout_batch.extend(
                    std::iter::once(c.contact.phone)
                        .chain(c.contact.alt_phones.iter().copied())
                        .map(|p| (p, seq)),
                );
                if optout_batch.len() >= CHUNK_ROWS {
                    flush_optout(&mut optout_batch, &mut keys)?;
                }
            }
        }
    }
    flush_optout(&mut optout_batch, &mut keys)?;
    if cancel.load(Ordering::Relaxed) {
        return Err(ImportError::Cancelled);
    }

    let trace = std::env::var_os("TELEMERCADEO_IMPORT_TRACE").is_some();
    let t0 = std::time::Instant::now();
    if trace {
        eprintln!("trace: read {:?} {}", started.elapsed(), hwm());
    }
    // Pass 2: duplicates, known persons and links, in key order.
    let mut dup_of: Vec<(u32, u32)> = Vec::new();
    let mut links = decide(&mut keys, options, db, &mut dup_of)?;
    if trace {
        eprintln!("trace: decide {:?} {}", t0.elapsed(), hwm());
    }
    dup_of.sort_unstable();
    // The rows that others duplicate: their row numbers are picked up in pass 3.
    let mut firsts: Vec<u32> = dup_of.iter().map(|d| d.1).collect();
    firsts.sort_unstable();
    firsts.dedup();
    let mut first_rows: Vec<u32> = vec![0; firsts.len()];
    let flags = std::mem::take(&mut keys.flags);
    let imported = |f: u8| f & (DUP | OPTED_OUT) == 0;
    // New persons: imported rows linked to nobody, numbered in file order from the batch's
    // reserved range; every other row takes the person of what it links to.
    let n_new = (0..flags.len())
        .filter(|s| imported(flags[*s]) && links.pos[*s] == NO_LINK)
        .count();
    let first_person = match db {
        Some(db) if n_new > 0 => db.store.import_reserve_persons(db.batch_id, n_new as i64)?,
        // A dry run writes nothing: any numbering will do.
        None => 1,
        // No new person: nothing is above every existing one.
        Some(_) => i64::MAX,
    };
    let mut rank = 0;
    #[allow(clippy::needless_range_loop)]
    for s in 0..flags.len() {
        if !imported(flags[s]) {
            continue;
        }
        if links.pos[s] == NO_LINK {
            links.to[s] = NEW | rank;
            rank += 1;
        } else if links.to[s] & EXISTING == 0 {
            links.to[s] = links.to[links.to[s] as usize];
        }
    }
    links.pos = Vec::new();
    let person = |seq: u32| links.person(seq, first_person);
    // New lookup keys in key order, in short transactions.
    let mut pacer = Pacer::default();
    if let Some(db) = db {
        let mut list: Vec<(u64, i64)> = Vec::with_capacity(KEYS_PER_TX);
        for e in keys.phones.iter().filter(|e| pe_sp(e) & NEW_KEY != 0) {
            list.push((pe_phone(e), person((pe_sp(e) & !NEW_KEY) >> 2)));
            if list.len() == KEYS_PER_TX {
                pacer.run(|| db.store.import_keys(db.batch_id, &list, &[]))?;
                list.clear();
            }
        }
        pacer.run(|| db.store.import_keys(db.batch_id, &list, &[]))?;
        let mut list: Vec<(&str, i64)> = Vec::with_capacity(KEYS_PER_TX);
        for (off, s) in keys.docs.iter().filter(|(_, s)| s & NEW_KEY != 0) {
            list.push((keys.doc(*off), person(s & !NEW_KEY)));
            if list.len() == KEYS_PER_TX {
                pacer.run(|| db.store.import_keys(db.batch_id, &[], &list))?;
                list.clear();
            }
        }
        pacer.run(|| db.store.import_keys(db.batch_id, &[], &list))?;
    }
    drop(keys);

    if trace {
        eprintln!("trace: keys written {:?} {}", t0.elapsed(), hwm());
    }
    // Pass 3: the rows again in file order; contacts and new persons written in chunks.
    let mut input = spill.reader()?;
    let total = flags.len().max(1);
    let mut seq: u32 = 0;
    let mut issues: Vec<Issue> = Vec::new();
    let mut contacts: Vec<NewContact> = Vec::with_capacity(CHUNK_ROWS);
    let mut persons: Vec<(i64, bool)> = Vec::with_capacity(CHUNK_ROWS);
    let mut top_new = first_person - 1;
    let mut d = 0;
    loop {
        let tag = match get_u8(&mut input) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(e.into()),
        };
        if tag == REC_ISSUE {
            issues.push(get_issue(&mut input)?);
            continue;
        }
        let (c, cells) = get_candidate(&mut input)?;
        let s = seq as usize;
        if let Ok(k) = firsts.binary_search(&seq) {
            first_rows[k] = c.contact.source_row as u32;
        }
        seq += 1;
        let f = flags[s];
        if f & DUP != 0 {
            report.counts.duplicates += 1;
            while d < dup_of.len() && (dup_of[d].0 as usize) < s {
                d += 1;
            }
            let first_row = (d < dup_of.len() && dup_of[d].0 as usize == s)
                .then(|| firsts.binary_search(&dup_of[d].1).ok())
                .flatten()
                .map(|k| first_rows[k]);
            let reason = match (f & DUP_CAMPAIGN != 0, f & DUP_DOC_FILE != 0, first_row) {
                (false, true, Some(r)) => tf("import.reason_duplicate_doc_file", &[("row", &r)]),
                (false, false, Some(r)) => tf("import.reason_duplicate_file", &[("row", &r)]),
                _ => t("import.reason_duplicate_campaign"),
            };
            issues.push(Issue {
                row: c.contact.source_row,
                kind: IssueKind::Duplicada,
                reason,
                original: cells,
            });
        } else if f & OPTED_OUT != 0 {
            report.counts.opted_out += 1;
            issues.push(Issue {
                row: c.contact.source_row,
                kind: IssueKind::Excluida,
                reason: t("import.reason_opted_out"),
                original: Vec::new(),
            });
        } else {
            report.counts.imported += 1;
            if options.keep_phones {
                report.imported_phones.push(c.contact.phone);
            }
            let p = links.person(s as u32, first_person);
            let new = p > top_new;
            if new {
                top_new = p;
            }
            persons.push((p, new));
            issues.extend(c.warnings);
            contacts.push(c.contact);
        }
        if s.is_multiple_of(1024) {
            if cancel.load(Ordering::Relaxed) {
                return Err(ImportError::Cancelled);
            }
            progress(Progress {
                rows,
                fraction: 0.6 + 0.4 * (s as f32 / total as f32).min(0.99),
            });
        }
        if contacts.len() >= CHUNK_ROWS {
            write_chunk(
                db,
                &mut pacer,
                &mut contacts,
                &mut persons,
                &mut issues,
                &mut report,
            )?;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(ImportError::Cancelled);
    }
    write_chunk(
        db,
        &mut pacer,
        &mut contacts,
        &mut persons,
        &mut issues,
        &mut report,
    )?;
    if trace {
        eprintln!("trace: contacts written {:?} {}", t0.elapsed(), hwm());
    }
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

/// The process's peak and current resident memory (trace output only).
fn hwm() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lookup keys written per transaction (in key order).
const KEYS_PER_TX: usize = 20_000;

/// Keeps the writer lock fair to other desks. SQLite has no queue for its lock: a desk waiting
/// polls it (the program's desks every 5 ms: `store::sqlite::set_busy_timeout`), and
/// back-to-back transactions can starve it. When the next transaction (as long as the last
/// one) would keep the lock taken past [`HOLD`] with no gap of at least [`GAP`], the import
/// first pauses for [`GAP`] so that a waiting desk gets in — three of its polls. The lock is
/// then never held longer than [`HOLD`] or one transaction, whichever is longer. (With SQLite's own handler, which backs off to every 100 ms, a 45 ms gap still
/// let a desk wait 430–630 ms.)
#[derive(Default)]
struct Pacer {
    held: std::time::Duration,
    last_end: Option<std::time::Instant>,
    /// How long the last transaction took.
    last_tx: std::time::Duration,
}

const HOLD: std::time::Duration = std::time::Duration::from_millis(150);
const GAP: std::time::Duration = std::time::Duration::from_millis(15);

impl Pacer {
    fn run<T, E>(&mut self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        if self.last_end.is_some_and(|t| t.elapsed() >= GAP) {
            self.held = std::time::Duration::ZERO;
        }
        // This transaction will take about as long as the last one: pause first when the lock
        // would otherwise stay taken past HOLD (not after it already has).
        if !self.held.is_zero() && self.held + self.last_tx > HOLD {
            std::thread::sleep(GAP);
            self.held = std::time::Duration::ZERO;
        }
        let t0 = std::time::Instant::now();
        let r = f();
        self.last_tx = t0.elapsed();
        self.held += self.last_tx;
        self.last_end = Some(std::time::Instant::now());
        r
    }
}

/// Writes a chunk (contacts with their persons, the issues of its rows) and moves the issues
/// into the report.
/// The values are made before the pacer's turn; only the transaction runs inside it.
fn write_chunk(
    db: Option<&Db<'_>>,
    pacer: &mut Pacer,
    contacts: &mut Vec<NewContact>,
    persons: &mut Vec<(i64, bool)>,
    issues: &mut Vec<Issue>,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    if let Some(db) = db {
        let chunk = db
            .store
            .import_prepare(db.batch_id, db.campaign_id, contacts, persons, issues);
        pacer.run(|| db.store.import_write_prepared(chunk))?;
    }
    contacts.clear();
    persons.clear();
    report.issues_total += issues.len();
    let room = ISSUES_IN_REPORT.saturating_sub(report.issues.len());
    report.issues.extend(issues.drain(..).take(room));
    issues.clear();
    Ok(())
}
