//! Campaign contacts: import batches that stay invisible until one final commit, the row-level
//! import report, persons (one human across campaigns), the opt-out register, and the contacts
//! table paged by key.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::db::{Conn, Val};
use super::{Error, Result, Store, Tx, require};
use crate::domain::contact::{
    ContactFilter, ContactRow, ContactSort, ContactStatus, DataOrigin, ImportCounts, Issue,
    IssueKind, NewContact,
};
use crate::domain::{Action, Actor};
use crate::i18n::Msg;
use crate::params;

/// A batch not heard from for this long is considered dead (its process was killed) and purged.
pub const STALE_BATCH_SECS: i64 = 60;

/// `+573001234567`.
pub fn e164_text(n: u64) -> String {
    format!("+{n}")
}

/// The opt-out register keeps, for forgotten people, only this hash of the E.164 text.
pub fn phone_hash(n: u64) -> String {
    super::archive::sha256_hex(e164_text(n).as_bytes())
}

pub(crate) fn parse_e164(s: &str) -> Option<u64> {
    s.trim().strip_prefix('+').unwrap_or(s.trim()).parse().ok()
}

/// Who runs an import: `host:pid`.
pub fn owner_tag() -> String {
    format!("{}:{}", host_name(), std::process::id())
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_owned())
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_default()
}

/// Whether the process that owns a batch is gone: on this host a missing process is known at
/// once (where the system shows processes under /proc); otherwise a silent batch counts as dead
/// after [`STALE_BATCH_SECS`].
pub(crate) fn owner_is_gone(owner: &str, heartbeat: i64, now: i64) -> bool {
    if now - heartbeat > STALE_BATCH_SECS {
        return true;
    }
    match owner.rsplit_once(':') {
        Some((host, pid)) if host == host_name() && Path::new("/proc/self").exists() => {
            !Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => false,
    }
}

/// Deletes what unfinished (killed or failed) batches wrote; returns how many batches.
/// With `only_dead`, batches whose process still runs are left alone.
pub(crate) fn purge_dead_batches(conn: &mut Conn, now: i64, only_dead: bool) -> Result<usize> {
    let dead: Vec<i64> = conn
        .query(
            "SELECT id, owner, COALESCE(heartbeat_at, created_at) FROM import_batches WHERE status = 'en_curso'",
            &[],
        )?
        .iter()
        .filter(|r| !only_dead || owner_is_gone(&r.text(1), r.i64(2), now))
        .map(|r| r.i64(0))
        .collect();
    for id in &dead {
        conn.begin()?;
        let done = purge_batch(conn, *id);
        match done {
            Ok(()) => conn.commit()?,
            Err(e) => {
                conn.rollback();
                return Err(e);
            }
        }
    }
    Ok(dead.len())
}

fn purge_batch(conn: &mut Conn, id: i64) -> Result<()> {
    let Some(b) = conn.query_opt(
        "SELECT person_first, person_last, contact_first, contact_last, status FROM import_batches WHERE id = ?1",
        params![id],
    )?
    else {
        return Ok(());
    };
    if b.text(4) == "confirmada" {
        return Err(Error::Conflict(Msg::new("import.err_batch_closed")));
    }
    // Contacts by their id range (appended by this batch; the batch id guards the range).
    if let (Some(lo), Some(hi)) = (b.opt_i64(2), b.opt_i64(3)) {
        conn.execute(
            "DELETE FROM campaign_contacts WHERE id BETWEEN ?1 AND ?2 AND batch_id = ?3",
            params![lo, hi, id],
        )?;
    }
    super::counts::batch_purged(conn, id)?;
    conn.execute("DELETE FROM import_issues WHERE batch_id = ?1", params![id])?;
    // Persons by their reserved range, and the lookup keys that point into it.
    if let (Some(lo), Some(hi)) = (b.opt_i64(0), b.opt_i64(1)) {
        conn.execute(
            "DELETE FROM person_phone_keys WHERE person_id BETWEEN ?1 AND ?2",
            params![lo, hi],
        )?;
        conn.execute(
            "DELETE FROM person_document_keys WHERE person_id BETWEEN ?1 AND ?2",
            params![lo, hi],
        )?;
        conn.execute(
            "DELETE FROM persons WHERE id BETWEEN ?1 AND ?2 AND import_batch_id = ?3 AND NOT EXISTS (SELECT 1 FROM campaign_contacts cc WHERE cc.person_id = persons.id)",
            params![lo, hi, id],
        )?;
    }
    conn.execute(
        "UPDATE import_batches SET status = 'cancelada' WHERE id = ?1",
        params![id],
    )?;
    Ok(())
}

/// The person id ranges of batches that are not confirmed (other than `own`): persons in them
/// do not exist yet for anybody else.
fn unconfirmed_ranges(c: &mut Conn, own: i64) -> Result<Vec<(i64, i64)>> {
    Ok(c
        .query(
            "SELECT person_first, person_last FROM import_batches WHERE status = 'en_curso' AND id <> ?1 AND person_first IS NOT NULL",
            params![own],
        )?
        .iter()
        .map(|r| (r.i64(0), r.i64(1)))
        .collect())
}

/// SQL: the key's person belongs to another batch that is not confirmed (parameter `?n`: our
/// batch). A key another live import wrote is kept; one a dead or running batch holds is taken.
fn unconfirmed_owner(table: &str, n: usize) -> String {
    format!(
        "EXISTS (SELECT 1 FROM import_batches b WHERE b.status = 'en_curso' AND b.id <> ?{n} AND {table}.person_id BETWEEN b.person_first AND b.person_last)"
    )
}

fn in_ranges(ranges: &[(i64, i64)], id: i64) -> bool {
    ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&id))
}

/// Below this many keys to look up, point lookups; from it on, one scan in key order.
const POINT_LOOKUPS: usize = 50_000;

/// Looks up sorted keys against a lookup table: point lookups for a few keys, else one merge
/// join with the table read in key order between the smallest and the largest key.
fn merge_lookup(
    c: &mut Conn,
    table: &str,
    n: usize,
    key: &dyn Fn(usize) -> Val,
    cmp: &dyn Fn(usize, &Val) -> std::cmp::Ordering,
    ranges: &[(i64, i64)],
    hit: &mut dyn FnMut(usize, i64),
) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    let col = if table == "person_phone_keys" {
        "e164"
    } else {
        "document"
    };
    if n < POINT_LOOKUPS {
        let sql = format!("SELECT person_id FROM {table} WHERE {col} = ?1");
        let mut i = 0;
        while i < n {
            let k = key(i);
            let found = c
                .query_opt(&sql, std::slice::from_ref(&k))?
                .map(|r| r.i64(0))
                .filter(|p| !in_ranges(ranges, *p));
            let mut j = i;
            while j < n && cmp(j, &k).is_eq() {
                if let Some(p) = found {
                    hit(j, p);
                }
                j += 1;
            }
            i = j;
        }
        return Ok(());
    }
    let sql = format!(
        "SELECT {col}, person_id FROM {table} WHERE {col} BETWEEN ?1 AND ?2 ORDER BY {col}"
    );
    let mut i = 0;
    c.for_each(&sql, &[key(0), key(n - 1)], |r| {
        let db = &r.0[0];
        while i < n && cmp(i, db).is_lt() {
            i += 1;
        }
        let p = r.i64(1);
        while i < n && cmp(i, db).is_eq() {
            if !in_ranges(ranges, p) {
                hit(i, p);
            }
            i += 1;
        }
        Ok(i < n)
    })
}

/// Rows of a multi-row INSERT: `(?1, ?2, …), (…)` for `rows` rows of `cols` values.
fn values_clause(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            s.push('?');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// Rows per multi-row INSERT.
const ROWS_PER_INSERT: usize = 200;

impl Store {
    /// Opens an import batch for a campaign; refused while another import into it runs.
    pub fn import_begin(
        &self,
        actor: &Actor,
        campaign_id: i64,
        file_name: &str,
        format: &str,
        origin: &DataOrigin,
    ) -> Result<i64> {
        require(actor, Action::RunCampaigns)?;
        self.on_writer(|c| purge_dead_batches(c, self.now(), true))?;
        self.write(|tx| {
            super::campaigns::get(tx, campaign_id)?;
            if tx
                .conn
                .query_opt(
                    "SELECT id FROM import_batches WHERE campaign_id = ?1 AND status = 'en_curso'",
                    params![campaign_id],
                )?
                .is_some()
            {
                return Err(Error::Conflict(Msg::new("import.err_running")));
            }
            let (file, bytes) = match &origin.authorization_file {
                Some((n, b)) => (Some(n.clone()), Some(b.clone())),
                None => (None, None),
            };
            let id = tx.conn.insert(
                "INSERT INTO import_batches (campaign_id, file_name, origin, purpose, authorization_ref, status, created_by, created_at, heartbeat_at, source_format, authorization_file_name, authorization_file, owner) VALUES (?1, ?2, ?3, ?4, ?5, 'en_curso', ?6, ?7, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                params![
                    campaign_id,
                    file_name,
                    origin.origin.trim(),
                    origin.purpose.trim(),
                    origin.authorization_ref.trim(),
                    actor.audit_name(),
                    tx.now,
                    format,
                    file,
                    bytes,
                    owner_tag()
                ],
            )?;
            tx.audit(actor, "import.begin", "campaign", Some(campaign_id), file_name)?;
            Ok(id)
        })
    }

    /// The phones (and documents) of a campaign's visible contacts, for dedupe.
    pub fn campaign_keys(&self, campaign_id: i64) -> Result<(HashSet<u64>, HashSet<String>)> {
        self.read(|c| {
            let mut phones = HashSet::new();
            let mut docs = HashSet::new();
            for r in c.query(
                "SELECT phone, document FROM visible_contacts WHERE campaign_id = ?1",
                params![campaign_id],
            )? {
                if let Some(p) = parse_e164(&r.text(0)) {
                    phones.insert(p);
                }
                if let Some(d) = r.opt_text(1).filter(|d| !d.is_empty()) {
                    docs.insert(d);
                }
            }
            Ok((phones, docs))
        })
    }

    /// Which of `phones` are in the opt-out register (kept numbers or hashes of forgotten ones).
    pub fn opted_out_among(&self, phones: &[u64]) -> Result<HashSet<u64>> {
        let mut out = HashSet::new();
        self.read(|c| {
            let hashed_only = c
                .query_one("SELECT COUNT(*) FROM optout WHERE phone_e164 IS NULL", &[])?
                .i64(0)
                > 0;
            for chunk in phones.chunks(500) {
                let list: Vec<Val> = chunk.iter().map(|p| Val::Text(e164_text(*p))).collect();
                let marks = (1..=list.len())
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(",");
                for r in c.query(
                    &format!("SELECT phone_e164 FROM optout WHERE phone_e164 IN ({marks})"),
                    &list,
                )? {
                    if let Some(p) = parse_e164(&r.text(0)) {
                        out.insert(p);
                    }
                }
                if hashed_only {
                    let hashes: Vec<(u64, String)> =
                        chunk.iter().map(|p| (*p, phone_hash(*p))).collect();
                    let list: Vec<Val> = hashes.iter().map(|(_, h)| Val::Text(h.clone())).collect();
                    let found: HashSet<String> = c
                        .query(
                            &format!("SELECT phone_hash FROM optout WHERE phone_hash IN ({marks})"),
                            &list,
                        )?
                        .iter()
                        .map(|r| r.text(0))
                        .collect();
                    out.extend(
                        hashes
                            .into_iter()
                            .filter(|(_, h)| found.contains(h))
                            .map(|(p, _)| p),
                    );
                }
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Looks up phones (sorted, repeats allowed) among the persons known to everybody: `hit`
    /// gets the index of each phone found and its person. A read outside the writer lock;
    /// persons of other batches not yet confirmed are not known.
    pub fn person_phones_lookup(
        &self,
        batch_id: i64,
        n: usize,
        key: &dyn Fn(usize) -> u64,
        hit: &mut dyn FnMut(usize, i64),
    ) -> Result<()> {
        self.read(|c| {
            let ranges = unconfirmed_ranges(c, batch_id)?;
            merge_lookup(
                c,
                "person_phone_keys",
                n,
                &|i| Val::Int(key(i) as i64),
                &|i, v| match v {
                    Val::Int(x) => (key(i) as i64).cmp(x),
                    _ => std::cmp::Ordering::Less,
                },
                &ranges,
                hit,
            )
        })
    }

    /// Looks up documents (sorted by their bytes, repeats allowed) as
    /// [`Store::person_phones_lookup`] does phones.
    pub fn person_documents_lookup<'k>(
        &self,
        batch_id: i64,
        n: usize,
        key: &dyn Fn(usize) -> &'k str,
        hit: &mut dyn FnMut(usize, i64),
    ) -> Result<()> {
        self.read(|c| {
            let ranges = unconfirmed_ranges(c, batch_id)?;
            merge_lookup(
                c,
                "person_document_keys",
                n,
                &|i| Val::Text(key(i).to_owned()),
                &|i, v| match v {
                    Val::Text(x) => key(i).as_bytes().cmp(x.as_bytes()),
                    _ => std::cmp::Ordering::Greater,
                },
                &ranges,
                hit,
            )
        })
    }

    /// Of `(phone, person)` pairs (the person the phone's lookup key names), the phones that
    /// are the main phone of a visible contact of the campaign (a contact's person is always the
    /// one its main phone's key names, so only these persons' contacts are read).
    pub fn campaign_main_phones(
        &self,
        campaign_id: i64,
        pairs: &[(u64, i64)],
    ) -> Result<HashSet<u64>> {
        self.read(|c| {
            let mut out = HashSet::new();
            for (phone, person) in pairs {
                if c.query_opt(
                    "SELECT 1 FROM visible_contacts WHERE person_id = ?1 AND campaign_id = ?2 AND phone = ?3 LIMIT 1",
                    params![*person, campaign_id, e164_text(*phone)],
                )?
                .is_some()
                {
                    out.insert(*phone);
                }
            }
            Ok(out)
        })
    }

    /// The documents of a campaign's visible contacts, each once, in byte order (to merge with
    /// an import's sorted documents when it dedupes by document).
    pub fn campaign_documents_each(
        &self,
        campaign_id: i64,
        f: &mut dyn FnMut(&str) -> bool,
    ) -> Result<()> {
        self.read(|c| {
            c.for_each(
                "SELECT DISTINCT document FROM visible_contacts WHERE campaign_id = ?1 AND document IS NOT NULL AND document <> '' ORDER BY document",
                params![campaign_id],
                |r| Ok(f(&r.text(0))),
            )
        })
    }

    /// Keeps the batch alive (a batch silent for [`STALE_BATCH_SECS`] is taken for dead).
    pub fn import_heartbeat(&self, batch_id: i64) -> Result<()> {
        self.write(|tx| {
            tx.conn.execute(
                "UPDATE import_batches SET heartbeat_at = ?1 WHERE id = ?2 AND status = 'en_curso'",
                params![tx.now, batch_id],
            )?;
            Ok(())
        })
    }

    /// Reserves `n` person ids, one contiguous range for the batch (recorded with it, so that
    /// its persons are judged by its status and purged by range); returns the first.
    pub fn import_reserve_persons(&self, batch_id: i64, n: i64) -> Result<i64> {
        self.write(|tx| {
            let top = tx
                .conn
                .query_one(
                    "SELECT MAX(x) FROM (SELECT MAX(id) AS x FROM persons UNION ALL SELECT MAX(person_last) AS x FROM import_batches)",
                    &[],
                )?
                .i64(0);
            let first = top + 1;
            let n = tx.conn.execute(
                "UPDATE import_batches SET person_first = ?1, person_last = ?2, heartbeat_at = ?3 WHERE id = ?4 AND status = 'en_curso' AND person_first IS NULL",
                params![first, first + n.max(1) - 1, tx.now, batch_id],
            )?;
            if n == 0 {
                return Err(Error::Conflict(Msg::new("import.err_batch_closed")));
            }
            Ok(first)
        })
    }

    /// Writes new lookup keys of a batch (each list in key order), in one short transaction.
    /// A key a confirmed person holds stays as it is; one that names a person of another
    /// unconfirmed batch (running or dead) is taken over, so a purge never leaves a phone
    /// without its key. (Two live imports racing on one phone: the later batch's key wins.)
    pub fn import_keys(
        &self,
        batch_id: i64,
        phones: &[(u64, i64)],
        documents: &[(&str, i64)],
    ) -> Result<()> {
        if phones.is_empty() && documents.is_empty() {
            return Ok(());
        }
        // Keys go in key order: each page is visited once, a small cache is enough (and the
        // import's memory stays bounded while it holds every key).
        self.on_writer(|c| c.execute_batch("PRAGMA cache_size = -2048"))?;
        let done = self.write(|tx| {
            check_open(tx, batch_id)?;
            for chunk in phones.chunks(ROWS_PER_INSERT * 2) {
                let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 2);
                for (p, id) in chunk {
                    vals.extend([Val::Int(*p as i64), Val::Int(*id)]);
                }
                tx.conn.execute(
                    &format!(
                        "INSERT INTO person_phone_keys (e164, person_id) VALUES {} ON CONFLICT (e164) DO UPDATE SET person_id = excluded.person_id WHERE {{TAKEN_FROM_UNCONFIRMED}}",
                        values_clause(chunk.len(), 2)
                    )
                    .replace("{TAKEN_FROM_UNCONFIRMED}", &unconfirmed_owner("person_phone_keys", vals.len() + 1)),
                    &[vals, vec![Val::Int(batch_id)]].concat(),
                )?;
            }
            for chunk in documents.chunks(ROWS_PER_INSERT * 2) {
                let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 2);
                for (d, id) in chunk {
                    vals.extend([Val::Text((*d).to_owned()), Val::Int(*id)]);
                }
                tx.conn.execute(
                    &format!(
                        "INSERT INTO person_document_keys (document, person_id) VALUES {} ON CONFLICT (document) DO UPDATE SET person_id = excluded.person_id WHERE {{TAKEN_FROM_UNCONFIRMED}}",
                        values_clause(chunk.len(), 2)
                    )
                    .replace("{TAKEN_FROM_UNCONFIRMED}", &unconfirmed_owner("person_document_keys", vals.len() + 1)),
                    &[vals, vec![Val::Int(batch_id)]].concat(),
                )?;
            }
            Ok(())
        });
        self.on_writer(|c| c.execute_batch("PRAGMA cache_size = -8192"))?;
        done
    }

    /// Writes contacts of an open batch with their persons already decided (`persons[i]`: the
    /// person id, and whether this contact creates it from the batch's reserved range), and the
    /// issues, in one short transaction. The rows stay invisible until
    /// [`Store::import_commit`].
    pub fn import_write(
        &self,
        batch_id: i64,
        campaign_id: i64,
        contacts: &[NewContact],
        persons: &[(i64, bool)],
        issues: &[Issue],
    ) -> Result<()> {
        let chunk = self.import_prepare(batch_id, campaign_id, contacts, persons, issues);
        self.import_write_prepared(chunk)
    }

    /// The first half of [`Store::import_write`]: the chunk's rows made into the INSERTs'
    /// values, without touching the database (the import does it while another desk takes
    /// its turn at the writer lock).
    pub fn import_prepare(
        &self,
        batch_id: i64,
        campaign_id: i64,
        contacts: &[NewContact],
        persons: &[(i64, bool)],
        issues: &[Issue],
    ) -> PreparedChunk {
        PreparedChunk {
            batch_id,
            prepared: prepare(self.now(), batch_id, campaign_id, contacts, persons, issues),
        }
    }

    /// The second half of [`Store::import_write`]: one short write transaction.
    pub fn import_write_prepared(&self, chunk: PreparedChunk) -> Result<()> {
        let PreparedChunk { batch_id, prepared } = chunk;
        self.write(|tx| {
            check_open(tx, batch_id)?;
            write_prepared(tx, batch_id, prepared)
        })
    }

    /// Writes one chunk of an open batch, finding or creating the persons itself (small loads
    /// and tests; the import job decides persons for the whole file at once).
    pub fn import_chunk(
        &self,
        batch_id: i64,
        campaign_id: i64,
        contacts: &[NewContact],
        issues: &[Issue],
    ) -> Result<()> {
        let mut phones: Vec<(u64, usize)> = contacts
            .iter()
            .enumerate()
            .flat_map(|(i, c)| {
                std::iter::once(c.phone)
                    .chain(c.alt_phones.iter().copied())
                    .map(move |p| (p, i))
            })
            .collect();
        phones.sort_unstable();
        let mut by_phone: HashMap<u64, i64> = HashMap::new();
        self.person_phones_lookup(batch_id, phones.len(), &|i| phones[i].0, &mut |i, p| {
            by_phone.insert(phones[i].0, p);
        })?;
        let mut docs: Vec<&str> = contacts
            .iter()
            .filter_map(|c| c.document.as_deref())
            .collect();
        docs.sort_unstable();
        let mut by_doc: HashMap<String, i64> = HashMap::new();
        self.person_documents_lookup(batch_id, docs.len(), &|i| docs[i], &mut |i, p| {
            by_doc.insert(docs[i].to_owned(), p);
        })?;
        let mut persons = Vec::with_capacity(contacts.len());
        let mut new_phones = Vec::new();
        let mut new_docs: Vec<(&str, i64)> = Vec::new();
        let mut next = 0i64;
        let mut pending: Vec<usize> = Vec::new();
        for (i, c) in contacts.iter().enumerate() {
            let known = std::iter::once(c.phone)
                .chain(c.alt_phones.iter().copied())
                .find_map(|p| by_phone.get(&p).copied())
                .or_else(|| c.document.as_ref().and_then(|d| by_doc.get(d).copied()));
            let (id, new) = match known {
                Some(id) => (id, false),
                None => {
                    next -= 1;
                    pending.push(i);
                    (next, true)
                }
            };
            for p in std::iter::once(c.phone).chain(c.alt_phones.iter().copied()) {
                by_phone.entry(p).or_insert_with(|| {
                    new_phones.push((p, id));
                    id
                });
            }
            if let Some(d) = &c.document
                && !by_doc.contains_key(d)
            {
                by_doc.insert(d.clone(), id);
                new_docs.push((d.as_str(), id));
            }
            persons.push((id, new));
        }
        // Provisional (negative) ids become the batch's reserved range, in file order.
        let first = if pending.is_empty() {
            0
        } else {
            self.import_reserve_persons(batch_id, pending.len() as i64)?
        };
        let real = |id: i64| if id < 0 { first - id - 1 } else { id };
        for p in persons.iter_mut() {
            p.0 = real(p.0);
        }
        let mut new_phones: Vec<(u64, i64)> = new_phones
            .into_iter()
            .map(|(p, id)| (p, real(id)))
            .collect();
        new_phones.sort_unstable();
        let mut new_docs: Vec<(&str, i64)> =
            new_docs.into_iter().map(|(d, id)| (d, real(id))).collect();
        new_docs.sort_unstable();
        self.import_keys(batch_id, &new_phones, &new_docs)?;
        self.import_write(batch_id, campaign_id, contacts, &persons, issues)
    }

    /// Makes a batch's contacts visible, all at once, with its counts and warnings. The same
    /// cost at 1k and 1M rows: the batch's status decides for its contacts and persons.
    pub fn import_commit(
        &self,
        actor: &Actor,
        batch_id: i64,
        counts: &ImportCounts,
        warnings: &[String],
    ) -> Result<()> {
        self.write(|tx| {
            let n = tx.conn.execute(
                "UPDATE import_batches SET status = 'confirmada', committed_at = ?1, rows_read = ?2, imported = ?3, duplicates = ?4, rejected = ?5, opted_out = ?6, warnings = ?7 WHERE id = ?8 AND status = 'en_curso'",
                params![
                    tx.now,
                    counts.rows_read,
                    counts.imported,
                    counts.duplicates,
                    counts.rejected,
                    counts.opted_out,
                    serde_json::to_string(warnings).unwrap_or_else(|_| "[]".into()),
                    batch_id
                ],
            )?;
            if n == 0 {
                return Err(Error::Conflict(Msg::new("import.err_batch_closed")));
            }
            // The campaign's counter moves with the contacts that become visible.
            tx.conn.execute(
                "UPDATE campaigns SET contact_count = contact_count + ?1 WHERE id = (SELECT campaign_id FROM import_batches WHERE id = ?2)",
                params![counts.imported, batch_id],
            )?;
            tx.audit(actor, "import.commit", "import", Some(batch_id), &counts.imported.to_string())
        })?;
        // Fresh statistics after a bulk load keep the contacts pages on their index: of the
        // tables an import grows only, each in its own short transaction (a whole `ANALYZE`
        // once held the writer lock 0.5 s on a cold cache at 2M contacts).
        if counts.imported > 10_000 {
            for table in [
                "campaign_contacts",
                "persons",
                "person_phone_keys",
                "person_document_keys",
            ] {
                self.on_writer(|c| c.execute_batch(&format!("ANALYZE {table}")))?;
            }
        }
        Ok(())
    }

    /// Abandons a batch (cancelled or failed): everything it wrote is removed.
    pub fn import_abort(&self, batch_id: i64) -> Result<()> {
        self.on_writer(|c| {
            c.begin()?;
            match purge_batch(c, batch_id) {
                Ok(()) => c.commit(),
                Err(e) => {
                    c.rollback();
                    Err(e)
                }
            }
        })
    }

    /// The rows a batch did not load, in file order.
    pub fn import_issues(&self, batch_id: i64) -> Result<Vec<Issue>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT row_number, kind, reason, original FROM import_issues WHERE batch_id = ?1 ORDER BY row_number, id",
                params![batch_id],
            )?
            .iter()
            .map(|r| Issue {
                row: r.i64(0),
                kind: IssueKind::from_code(&r.text(1)).unwrap_or(IssueKind::Aviso),
                reason: r.text(2),
                original: serde_json::from_str(&r.text(3)).unwrap_or_default(),
            })
            .collect())
        })
    }

    /// Adds phones to the opt-out register; returns (added, already there).
    pub fn optout_add(&self, actor: &Actor, phones: &[u64], source: &str) -> Result<(i64, i64)> {
        require(actor, Action::RunCampaigns)?;
        self.write(|tx| {
            let mut added = 0;
            let mut already = 0;
            for p in phones {
                let n = tx.conn.execute(
                    "INSERT INTO optout (phone_e164, phone_hash, source, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                    params![e164_text(*p), phone_hash(*p), source, actor.audit_name(), tx.now],
                )?;
                if n > 0 {
                    added += 1;
                } else {
                    already += 1;
                }
            }
            tx.audit(actor, "optout.import", "optout", None, &added.to_string())?;
            Ok((added, already))
        })
    }
}

fn check_open(tx: &mut Tx<'_>, batch_id: i64) -> Result<()> {
    let status = tx
        .conn
        .query_opt(
            "SELECT status FROM import_batches WHERE id = ?1",
            params![batch_id],
        )?
        .map(|r| r.text(0));
    if status.as_deref() != Some("en_curso") {
        return Err(Error::Conflict(Msg::new("import.err_batch_closed")));
    }
    Ok(())
}

/// A chunk of an import made ready to write ([`Store::import_prepare`]).
pub struct PreparedChunk {
    batch_id: i64,
    prepared: Prepared,
}

/// Multi-row INSERTs with their values, built before the transaction (so the writer lock is
/// held only while SQLite writes).
struct Prepared {
    persons: Vec<Vec<Val>>,
    contacts: Vec<Vec<Val>>,
    n_contacts: usize,
    campaign_id: i64,
    /// The contacts per program and city, for the dashboards' counts.
    groups: BTreeMap<(String, String), i64>,
    issues: Vec<Vec<Val>>,
}

const PERSON_COLS: usize = 7;
const CONTACT_COLS: usize = 13;
const ISSUE_COLS: usize = 5;

fn prepare(
    now: i64,
    batch_id: i64,
    campaign_id: i64,
    contacts: &[NewContact],
    persons: &[(i64, bool)],
    issues: &[Issue],
) -> Prepared {
    let new: Vec<(i64, &NewContact)> = contacts
        .iter()
        .zip(persons)
        .filter(|(_, (_, new))| *new)
        .map(|(c, (id, _))| (*id, c))
        .collect();
    let persons_vals = new
        .chunks(ROWS_PER_INSERT)
        .map(|chunk| {
            let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * PERSON_COLS);
            for (id, c) in chunk {
                vals.extend([
                    Val::Int(*id),
                    // Time-ordered UUIDs keep the unique index appending, not scattering.
                    Val::Text(uuid::Uuid::now_v7().to_string()),
                    Val::Text(c.name.clone()),
                    c.document.clone().into(),
                    c.email.clone().into(),
                    Val::Int(now),
                    Val::Int(batch_id),
                ]);
            }
            vals
        })
        .collect();
    let mut groups: BTreeMap<(String, String), i64> = BTreeMap::new();
    for c in contacts {
        *groups
            .entry((
                c.program.clone().unwrap_or_default(),
                c.city.clone().unwrap_or_default(),
            ))
            .or_default() += 1;
    }
    let contact_vals = contacts
        .chunks(ROWS_PER_INSERT)
        .zip(persons.chunks(ROWS_PER_INSERT))
        .map(|(chunk, ids)| {
            let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * CONTACT_COLS);
            for (c, (pid, _)) in chunk.iter().zip(ids) {
                vals.extend([
                    // The id, set in the transaction.
                    Val::Null,
                    Val::Int(campaign_id),
                    Val::Int(*pid),
                    Val::Int(batch_id),
                    Val::Int(c.source_row),
                    Val::Text(c.name.clone()),
                    Val::Text(e164_text(c.phone)),
                    Val::Text(
                        c.alt_phones
                            .iter()
                            .map(|p| e164_text(*p))
                            .collect::<Vec<_>>()
                            .join(","),
                    ),
                    c.email.clone().into(),
                    c.document.clone().into(),
                    c.program.clone().into(),
                    c.city.clone().into(),
                    Val::Text(serde_json::to_string(&c.extra).unwrap_or_else(|_| "{}".into())),
                ]);
            }
            vals
        })
        .collect();
    let issue_vals = issues
        .chunks(ROWS_PER_INSERT)
        .map(|chunk| {
            let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * ISSUE_COLS);
            for i in chunk {
                vals.extend([
                    Val::Int(batch_id),
                    Val::Int(i.row),
                    Val::Text(i.kind.code().to_owned()),
                    Val::Text(i.reason.clone()),
                    Val::Text(serde_json::to_string(&i.original).unwrap_or_else(|_| "[]".into())),
                ]);
            }
            vals
        })
        .collect();
    Prepared {
        persons: persons_vals,
        contacts: contact_vals,
        n_contacts: contacts.len(),
        campaign_id,
        groups,
        issues: issue_vals,
    }
}

fn write_prepared(tx: &mut Tx<'_>, batch_id: i64, mut p: Prepared) -> Result<()> {
    for vals in &p.persons {
        tx.conn.execute(
            &format!(
                "INSERT INTO persons (id, uuid, name, document, email, created_at, import_batch_id) VALUES {}",
                values_clause(vals.len() / PERSON_COLS, PERSON_COLS)
            ),
            vals,
        )?;
    }
    if p.n_contacts > 0 {
        // Contacts append: their ids follow the largest, and the batch records its id range.
        let first = tx
            .conn
            .query_one(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM campaign_contacts",
                &[],
            )?
            .i64(0);
        let mut next = first;
        for vals in p.contacts.iter_mut() {
            for row in vals.chunks_mut(CONTACT_COLS) {
                row[0] = Val::Int(next);
                next += 1;
            }
            tx.conn.execute(
                &format!(
                    "INSERT INTO campaign_contacts (id, campaign_id, person_id, batch_id, source_row, name, phone, alt_phones, email, document, program, city, extra) VALUES {}",
                    values_clause(vals.len() / CONTACT_COLS, CONTACT_COLS)
                ),
                vals,
            )?;
        }
        tx.conn.execute(
            "UPDATE import_batches SET contact_first = COALESCE(contact_first, ?1), contact_last = ?2 WHERE id = ?3",
            params![first, next - 1, batch_id],
        )?;
        super::counts::batch_added(tx.conn, p.campaign_id, batch_id, &p.groups)?;
    }
    for vals in &p.issues {
        tx.conn.execute(
            &format!(
                "INSERT INTO import_issues (batch_id, row_number, kind, reason, original) VALUES {}",
                values_clause(vals.len() / ISSUE_COLS, ISSUE_COLS)
            ),
            vals,
        )?;
    }
    tx.conn.execute(
        "UPDATE import_batches SET heartbeat_at = ?1 WHERE id = ?2",
        params![tx.now, batch_id],
    )?;
    Ok(())
}

fn filter_sql(filter: &ContactFilter, first_param: usize) -> (String, Vec<Val>) {
    let mut sql = String::new();
    let mut vals = Vec::new();
    let mut n = first_param;
    // The agent filter reads the assignment rules: see `agent_sql`.
    if let Some(s) = filter.status {
        sql.push_str(&format!(" AND v.status = ?{n}"));
        vals.push(Val::Text(s.code().to_owned()));
        n += 1;
    }
    let q = filter.search.trim();
    if !q.is_empty() {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 4 && digits.len() * 2 >= q.len() {
            sql.push_str(&format!(
                " AND (v.phone LIKE ?{n} OR v.alt_phones LIKE ?{n} OR v.document = ?{})",
                n + 1
            ));
            vals.push(Val::Text(format!("%{digits}%")));
            vals.push(Val::Text(digits));
        } else {
            sql.push_str(&format!(" AND v.name LIKE ?{n}"));
            vals.push(Val::Text(format!("%{q}%")));
        }
    }
    (sql, vals)
}

/// The agent filter (` AND …` on `v`): assignments are rules plus per-contact overrides, read
/// in the same transaction as the page.
fn agent_sql(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    filter: &ContactFilter,
    page: Option<(i64, i64)>,
) -> Result<String> {
    match filter.agent_id {
        Some(a) => super::distribution::agent_filter_sql(tx, campaign_id, a, page),
        None => Ok(String::new()),
    }
}

impl Store {
    /// How many contacts match.
    /// Without a filter, the campaign's counter (kept with the writes); with a status alone,
    /// the dashboards' counts (`contact_counts`, kept with the writes too); otherwise a count
    /// over the campaign's contacts (its index) leaving out batches not confirmed.
    pub fn contacts_count(&self, campaign_id: i64, filter: &ContactFilter) -> Result<i64> {
        let (extra, mut vals) = filter_sql(filter, 2);
        if extra.is_empty() && filter.agent_id.is_none() {
            return self.read(|c| {
                Ok(c.query_opt(
                    "SELECT contact_count FROM campaigns WHERE id = ?1",
                    params![campaign_id],
                )?
                .map_or(0, |r| r.i64(0)))
            });
        }
        if let (Some(status), None, true) = (
            filter.status,
            filter.agent_id,
            filter.search.trim().is_empty(),
        ) {
            // One status: the dashboards' counts (a few rows, not the campaign's contacts).
            return self.read(|c| {
                Ok(c.query_one(
                    "SELECT COALESCE(SUM(k.records), 0) FROM contact_counts k WHERE k.campaign_id = ?1 AND k.status = ?2
                     AND k.batch_id NOT IN (SELECT id FROM import_batches WHERE status <> 'confirmada')",
                    params![campaign_id, status.code()],
                )?
                .i64(0))
            });
        }
        let mut all = vec![Val::Int(campaign_id)];
        all.append(&mut vals);
        self.read(|c| {
            if let Some(a) = filter.agent_id.filter(|a| *a != 0)
                && filter.status.is_none()
                && filter.search.trim().is_empty()
            {
                return super::distribution::count_for_agent(c, campaign_id, a);
            }
            let agent = agent_sql(c, campaign_id, filter, None)?;
            Ok(c.query_one(
                &format!(
                    "SELECT COUNT(*) FROM campaign_contacts v WHERE v.campaign_id = ?1 AND (v.batch_id IS NULL OR v.batch_id NOT IN (SELECT id FROM import_batches WHERE status <> 'confirmada')){agent}{extra}"
                ),
                &all,
            )?
            .i64(0))
        })
    }

    /// The unfiltered count the slow way, through the view (checks and tests: it must equal
    /// the counter).
    pub fn contacts_count_scanned(&self, campaign_id: i64) -> Result<i64> {
        self.read(|c| {
            Ok(c.query_one(
                "SELECT COUNT(*) FROM visible_contacts WHERE campaign_id = ?1",
                params![campaign_id],
            )?
            .i64(0))
        })
    }

    /// A page of contacts in key order: after `after_id` (keyset paging), or — to jump into the
    /// middle of a long list — at `offset`. Sorted by another column (`filter.sort`), pages
    /// go by `offset` only (`after_id` is ignored) along that column's index (migration 9):
    /// ties in file order, contacts without a value last; descending is the exact reverse.
    /// The page's ids are chosen first, then only those rows are completed (agent, outcome).
    pub fn contacts_page(
        &self,
        campaign_id: i64,
        filter: &ContactFilter,
        after_id: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ContactRow>> {
        const LAST: &str = "9223372036854775807";
        let sorted = filter.sort != ContactSort::File;
        let after_id = if sorted { None } else { after_id };
        let mut all = vec![Val::Int(campaign_id)];
        // The keyset term only in file order: another order walks its own index.
        let keyset = if sorted {
            String::new()
        } else {
            all.push(Val::Int(after_id.unwrap_or(0)));
            " AND v.id > ?2".to_owned()
        };
        let (extra, mut vals) = filter_sql(filter, all.len() + 1);
        all.append(&mut vals);
        let n = all.len();
        all.push(Val::Int(limit));
        all.push(Val::Int(if after_id.is_some() { 0 } else { offset }));
        let dir = if filter.descending { "DESC" } else { "ASC" };
        let order = match filter.sort {
            ContactSort::File => "v.id".to_owned(),
            ContactSort::LastOutcome => {
                format!("COALESCE(v.last_disposition_id, {LAST}) {dir}, v.id {dir}")
            }
            ContactSort::Attempts => format!("v.attempts {dir}, v.id {dir}"),
            ContactSort::NextCall => {
                format!("COALESCE(v.next_call_at, {LAST}) {dir}, v.id {dir}")
            }
        };
        self.read(|c| {
            // Other filters (or another order) may drop rows of the agent's pages: read them
            // whole then.
            let page = (!sorted && filter.status.is_none() && filter.search.trim().is_empty())
                .then(|| {
                    let skip = if after_id.is_some() { 0 } else { offset.max(0) };
                    (after_id.unwrap_or(0), limit.max(0).saturating_add(skip))
                });
            let agent = agent_sql(c, campaign_id, filter, page)?;
            Ok(c.query(
                &format!(
                    "SELECT v.id, v.source_row, v.name, v.phone, v.alt_phones, v.email, v.document, v.program, v.city, u.name, v.status, v.attempts, d.name, v.next_call_at
                     FROM (SELECT v.id FROM visible_contacts v
                           WHERE v.campaign_id = ?1{keyset}{agent}{extra}
                           ORDER BY {order} LIMIT ?{} OFFSET ?{}) AS page
                     JOIN campaign_contacts v ON v.id = page.id
                     LEFT JOIN users u ON u.id = {}
                     LEFT JOIN dispositions d ON d.id = v.last_disposition_id
                     ORDER BY {order}",
                    n + 1,
                    n + 2,
                    super::distribution::AGENT_OF,
                ),
                &all,
            )?
            .iter()
            .map(|r| ContactRow {
                id: r.i64(0),
                source_row: r.opt_i64(1),
                name: r.text(2),
                phone: r.text(3),
                alt_phones: r.text(4),
                email: r.opt_text(5),
                document: r.opt_text(6),
                program: r.opt_text(7),
                city: r.opt_text(8),
                agent: r.opt_text(9),
                status: ContactStatus::from_code(&r.text(10)).unwrap_or(ContactStatus::Pendiente),
                attempts: r.i64(11),
                last_outcome: r.opt_text(12),
                next_call_at: r.opt_i64(13),
            })
            .collect())
        })
    }

    /// The batches loaded into a campaign, newest first: (id, file, counts, when).
    pub fn import_batches(
        &self,
        campaign_id: i64,
    ) -> Result<Vec<(i64, String, ImportCounts, i64)>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, file_name, rows_read, imported, duplicates, rejected, opted_out, COALESCE(committed_at, created_at) FROM import_batches WHERE campaign_id = ?1 AND status = 'confirmada' ORDER BY id DESC",
                params![campaign_id],
            )?
            .iter()
            .map(|r| {
                (
                    r.i64(0),
                    r.text(1),
                    ImportCounts {
                        rows_read: r.i64(2),
                        imported: r.i64(3),
                        duplicates: r.i64(4),
                        rejected: r.i64(5),
                        opted_out: r.i64(6),
                    },
                    r.i64(7),
                )
            })
            .collect())
        })
    }
}
