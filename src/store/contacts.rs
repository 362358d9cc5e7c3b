//! Campaign contacts: import batches that stay invisible until one final commit, the row-level
//! import report, persons (one human across campaigns), the opt-out register, and the contacts
//! table paged by key.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::db::{Conn, Val};
use super::{Error, Result, Store, Tx, require};
use crate::domain::contact::{
    ContactFilter, ContactRow, ContactStatus, DataOrigin, ImportCounts, Issue, IssueKind,
    NewContact,
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
    let digest = Sha256::digest(e164_text(n).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_e164(s: &str) -> Option<u64> {
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
fn owner_is_gone(owner: &str, heartbeat: i64, now: i64) -> bool {
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
    conn.execute(
        "DELETE FROM campaign_contacts WHERE batch_id = ?1",
        params![id],
    )?;
    conn.execute("DELETE FROM import_issues WHERE batch_id = ?1", params![id])?;
    // Persons this batch created and nobody else uses.
    conn.execute(
        "DELETE FROM person_phones WHERE person_id IN (SELECT p.id FROM persons p WHERE p.import_batch_id = ?1 AND NOT EXISTS (SELECT 1 FROM campaign_contacts cc WHERE cc.person_id = p.id))",
        params![id],
    )?;
    conn.execute(
        "DELETE FROM persons WHERE import_batch_id = ?1 AND NOT EXISTS (SELECT 1 FROM campaign_contacts cc WHERE cc.person_id = persons.id)",
        params![id],
    )?;
    conn.execute(
        "UPDATE persons SET import_batch_id = NULL WHERE import_batch_id = ?1",
        params![id],
    )?;
    conn.execute(
        "UPDATE import_batches SET status = 'cancelada' WHERE id = ?1",
        params![id],
    )?;
    Ok(())
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

    /// Writes one chunk of an open batch (contacts, their persons, issues) in one short
    /// transaction, so agents' writes interleave. The rows stay invisible until
    /// [`Store::import_commit`].
    pub fn import_chunk(
        &self,
        batch_id: i64,
        campaign_id: i64,
        contacts: &[NewContact],
        issues: &[Issue],
    ) -> Result<()> {
        self.write(|tx| {
            let status = tx
                .conn
                .query_opt("SELECT status FROM import_batches WHERE id = ?1", params![batch_id])?
                .map(|r| r.text(0));
            if status.as_deref() != Some("en_curso") {
                return Err(Error::Conflict(Msg::new("import.err_batch_closed")));
            }
            let persons = resolve_persons(tx, batch_id, contacts)?;
            for (chunk, ids) in contacts
                .chunks(ROWS_PER_INSERT)
                .zip(persons.chunks(ROWS_PER_INSERT))
            {
                let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 12);
                for (c, pid) in chunk.iter().zip(ids) {
                    vals.extend([
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
                tx.conn.execute(
                    &format!(
                        "INSERT INTO campaign_contacts (campaign_id, person_id, batch_id, source_row, name, phone, alt_phones, email, document, program, city, extra) VALUES {}",
                        values_clause(chunk.len(), 12)
                    ),
                    &vals,
                )?;
            }
            for chunk in issues.chunks(ROWS_PER_INSERT) {
                let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 5);
                for i in chunk {
                    vals.extend([
                        Val::Int(batch_id),
                        Val::Int(i.row),
                        Val::Text(i.kind.code().to_owned()),
                        Val::Text(i.reason.clone()),
                        Val::Text(serde_json::to_string(&i.original).unwrap_or_else(|_| "[]".into())),
                    ]);
                }
                tx.conn.execute(
                    &format!(
                        "INSERT INTO import_issues (batch_id, row_number, kind, reason, original) VALUES {}",
                        values_clause(chunk.len(), 5)
                    ),
                    &vals,
                )?;
            }
            tx.conn.execute(
                "UPDATE import_batches SET heartbeat_at = ?1 WHERE id = ?2",
                params![tx.now, batch_id],
            )?;
            Ok(())
        })
    }

    /// Makes a batch's contacts visible, all at once, with its counts and warnings.
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
            tx.conn.execute(
                "UPDATE persons SET import_batch_id = NULL WHERE import_batch_id = ?1",
                params![batch_id],
            )?;
            tx.audit(actor, "import.commit", "import", Some(batch_id), &counts.imported.to_string())
        })?;
        // Fresh statistics after a bulk load keep the contacts pages on their index.
        if counts.imported > 10_000 {
            self.on_writer(|c| c.execute_batch("ANALYZE"))?;
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

/// The person of each contact: found by phone (main or alternate) or by document, else created.
fn resolve_persons(tx: &mut Tx<'_>, batch_id: i64, contacts: &[NewContact]) -> Result<Vec<i64>> {
    let mut by_phone: HashMap<u64, i64> = HashMap::new();
    let all: Vec<u64> = contacts
        .iter()
        .flat_map(|c| std::iter::once(c.phone).chain(c.alt_phones.iter().copied()))
        .collect();
    for chunk in all.chunks(500) {
        let list: Vec<Val> = chunk.iter().map(|p| Val::Text(e164_text(*p))).collect();
        let marks = (1..=list.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(",");
        for r in tx.conn.query(
            &format!("SELECT e164, person_id FROM person_phones WHERE e164 IN ({marks})"),
            &list,
        )? {
            if let Some(p) = parse_e164(&r.text(0)) {
                by_phone.insert(p, r.i64(1));
            }
        }
    }
    let mut by_doc: HashMap<String, i64> = HashMap::new();
    let docs: Vec<String> = contacts.iter().filter_map(|c| c.document.clone()).collect();
    for chunk in docs.chunks(500) {
        let list: Vec<Val> = chunk.iter().map(|d| Val::Text(d.clone())).collect();
        let marks = (1..=list.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(",");
        for r in tx.conn.query(
            &format!("SELECT document, id FROM persons WHERE document IN ({marks}) AND anonymised_at IS NULL"),
            &list,
        )? {
            by_doc.insert(r.text(0), r.i64(1));
        }
    }
    // New persons get ids here (inside the write transaction nobody else can take them).
    let first_new = tx
        .conn
        .query_one("SELECT COALESCE(MAX(id), 0) FROM persons", &[])?
        .i64(0);
    let mut next = first_new;
    let mut ids = Vec::with_capacity(contacts.len());
    let mut new_persons: Vec<(i64, &NewContact)> = Vec::new();
    let mut new_phones: Vec<(u64, i64)> = Vec::new();
    for c in contacts {
        let known = std::iter::once(c.phone)
            .chain(c.alt_phones.iter().copied())
            .find_map(|p| by_phone.get(&p).copied())
            .or_else(|| c.document.as_ref().and_then(|d| by_doc.get(d).copied()));
        let id = match known {
            Some(id) => id,
            None => {
                next += 1;
                new_persons.push((next, c));
                if let Some(d) = &c.document {
                    by_doc.insert(d.clone(), next);
                }
                next
            }
        };
        for p in std::iter::once(c.phone).chain(c.alt_phones.iter().copied()) {
            if let std::collections::hash_map::Entry::Vacant(e) = by_phone.entry(p) {
                e.insert(id);
                new_phones.push((p, id));
            }
        }
        ids.push(id);
    }
    // Number the new persons in document order, so the document index (like the key) is
    // appended to in order instead of at random places.
    new_persons.sort_by(|a, b| match (&a.1.document, &b.1.document) {
        (Some(x), Some(y)) => x.cmp(y).then(a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });
    let renumber: HashMap<i64, i64> = new_persons
        .iter()
        .enumerate()
        .map(|(i, (old, _))| (*old, first_new + 1 + i as i64))
        .collect();
    let fix = |id: &mut i64| {
        if let Some(n) = renumber.get(id) {
            *id = *n;
        }
    };
    ids.iter_mut().for_each(fix);
    new_phones.iter_mut().for_each(|(_, id)| fix(id));
    for (id, _) in new_persons.iter_mut() {
        fix(id);
    }
    for chunk in new_persons.chunks(ROWS_PER_INSERT) {
        let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 7);
        for (id, c) in chunk {
            vals.extend([
                Val::Int(*id),
                // Time-ordered UUIDs keep the unique index appending, not scattering.
                Val::Text(uuid::Uuid::now_v7().to_string()),
                Val::Text(c.name.clone()),
                c.document.clone().into(),
                c.email.clone().into(),
                Val::Int(tx.now),
                Val::Int(batch_id),
            ]);
        }
        tx.conn.execute(
            &format!(
                "INSERT INTO persons (id, uuid, name, document, email, created_at, import_batch_id) VALUES {}",
                values_clause(chunk.len(), 7)
            ),
            &vals,
        )?;
    }
    // In key order, each index page is visited once per chunk instead of at random.
    new_phones.sort_unstable_by_key(|(p, _)| *p);
    for chunk in new_phones.chunks(ROWS_PER_INSERT * 2) {
        let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 2);
        for (p, id) in chunk {
            vals.extend([Val::Text(e164_text(*p)), Val::Int(*id)]);
        }
        tx.conn.execute(
            &format!(
                "INSERT INTO person_phones (e164, person_id) VALUES {} ON CONFLICT (e164) DO NOTHING",
                values_clause(chunk.len(), 2)
            ),
            &vals,
        )?;
    }
    Ok(ids)
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
    pub fn contacts_count(&self, campaign_id: i64, filter: &ContactFilter) -> Result<i64> {
        let (extra, mut vals) = filter_sql(filter, 2);
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
                    "SELECT COUNT(*) FROM visible_contacts v WHERE v.campaign_id = ?1{agent}{extra}"
                ),
                &all,
            )?
            .i64(0))
        })
    }

    /// A page of contacts in key order: after `after_id` (keyset paging), or — to jump into the
    /// middle of a long list — at `offset`.
    pub fn contacts_page(
        &self,
        campaign_id: i64,
        filter: &ContactFilter,
        after_id: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ContactRow>> {
        let (extra, mut vals) = filter_sql(filter, 3);
        let mut all = vec![Val::Int(campaign_id), Val::Int(after_id.unwrap_or(0))];
        all.append(&mut vals);
        let n = all.len();
        all.push(Val::Int(limit));
        all.push(Val::Int(if after_id.is_some() { 0 } else { offset }));
        self.read(|c| {
            // Other filters may drop rows of the agent's pages: read them whole then.
            let page = (filter.status.is_none() && filter.search.trim().is_empty()).then(|| {
                let skip = if after_id.is_some() { 0 } else { offset.max(0) };
                (after_id.unwrap_or(0), limit.max(0).saturating_add(skip))
            });
            let agent = agent_sql(c, campaign_id, filter, page)?;
            Ok(c.query(
                &format!(
                    "SELECT v.id, v.source_row, v.name, v.phone, v.alt_phones, v.email, v.document, v.program, v.city, u.name, v.status, v.attempts
                     FROM visible_contacts v LEFT JOIN users u ON u.id = {}
                     WHERE v.campaign_id = ?1 AND v.id > ?2{agent}{extra}
                     ORDER BY v.id LIMIT ?{} OFFSET ?{}",
                    super::distribution::AGENT_OF,
                    n + 1,
                    n + 2
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
