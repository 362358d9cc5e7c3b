//! The dashboards' counts (migrations 0021 and 0022), kept in the transaction that changes what
//! they count, so that a whole campaign's dashboard reads a few thousand rows whatever the
//! number of contacts and attempts:
//! - `attempt_hours` (campaign × UTC hour × agent × outcome × reason) and `agent_hours`
//!   (campaign × UTC hour × agent), `attempt_outcomes` (campaign × agent × outcome × reason),
//!   `answer_counts` (campaign × script version × answers) and `reached_days` (campaign × local
//!   day: records reached that day) — by [`attempt`], when an attempt is recorded or undone;
//! - `contact_counts` (campaign × batch × program × city × status × best outcome) — by
//!   [`contact_key`] and [`contact_moved`] around every change of a contact's status or best
//!   outcome, [`batch_added`]
//!   for each chunk an import writes and [`batch_purged`] when a killed import is purged.
//!
//! [`fill`] computes them all again from the rows: the migration's step, and
//! `Store::recount`, which repairs them.

use super::db::{Conn, Val};
use super::{Result, Store, Tx, require};
use crate::domain::contact::ContactStatus;
use crate::domain::settings::Settings;
use crate::domain::{Action, Actor, format};
use crate::params;

/// An outcome that counts as reaching the person (a third party never does), as SQL on `d`.
const REACHED: &str = "d.reached = 1 AND d.category <> 'tercero'";

/// The local day of an instant, as days since 1970-01-01 in the institution's zone.
pub(crate) fn day_number(at: i64, settings: &Settings) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    format::local(at, settings)
        .date_naive()
        .signed_duration_since(epoch)
        .num_days()
}

/// The date of a day number of [`day_number`].
pub(crate) fn day_date(day: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Duration::days(day)
}

/// Counts the attempt `uuid` in (`delta` 1, once written) or out of (-1, before it is deleted)
/// every attempt count. A row left at zero is removed.
pub(super) fn attempt(tx: &mut Tx<'_>, uuid: &str, delta: i64, settings: &Settings) -> Result<()> {
    let a = tx.conn.query_one(
        &format!(
            "SELECT a.campaign_id, a.contact_id, a.started_at, COALESCE(a.agent_id, 0), a.disposition_id,
                    COALESCE(a.reason, ''), a.duration_secs, COALESCE(a.script_version_id, 0), a.answers,
                    CASE WHEN {REACHED} THEN 1 ELSE 0 END, CASE WHEN d.category = 'positivo' THEN 1 ELSE 0 END
             FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.uuid = ?1"
        ),
        params![uuid],
    )?;
    let (campaign, contact, at, agent, disposition) =
        (a.i64(0), a.i64(1), a.i64(2), a.i64(3), a.i64(4));
    let (reason, secs, version, answers) = (a.text(5), a.i64(6), a.i64(7), a.text(8));
    let (reached, positive) = (a.i64(9), a.i64(10));
    let hour = at.div_euclid(3600);
    let conn = &mut *tx.conn;
    upsert(
        conn,
        "attempt_hours",
        &[
            "campaign_id",
            "hour",
            "agent_id",
            "disposition_id",
            "reason",
        ],
        &[
            Val::Int(campaign),
            Val::Int(hour),
            Val::Int(agent),
            Val::Int(disposition),
            Val::Text(reason.clone()),
        ],
        &[("attempts", delta), ("secs", delta * secs)],
    )?;
    upsert(
        conn,
        "agent_hours",
        &["campaign_id", "hour", "agent_id"],
        &[Val::Int(campaign), Val::Int(hour), Val::Int(agent)],
        &[
            ("attempts", delta),
            ("reached", delta * reached),
            ("positive", delta * positive),
            ("secs", delta * secs),
        ],
    )?;
    upsert(
        conn,
        "attempt_outcomes",
        &["campaign_id", "agent_id", "disposition_id", "reason"],
        &[
            Val::Int(campaign),
            Val::Int(agent),
            Val::Int(disposition),
            Val::Text(reason),
        ],
        &[("attempts", delta)],
    )?;
    if answers != "{}" {
        let key = super::archive::sha256_hex(answers.as_bytes());
        conn.execute(
            "INSERT INTO answer_counts (campaign_id, script_version_id, answers_sha256, answers, attempts)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (campaign_id, script_version_id, answers_sha256)
             DO UPDATE SET attempts = answer_counts.attempts + excluded.attempts",
            params![campaign, version, key.as_str(), answers.as_str(), delta],
        )?;
        if delta < 0 {
            conn.execute(
                "DELETE FROM answer_counts WHERE campaign_id = ?1 AND script_version_id = ?2 AND answers_sha256 = ?3 AND attempts <= 0",
                params![campaign, version, key.as_str()],
            )?;
        }
    }
    if reached == 1 {
        // The record counts once on its local day: only its first reached attempt of the day
        // counts it in, only its last counts it out.
        let day = day_number(at, settings);
        let (start, end) = format::day_bounds(day_date(day), settings.tz());
        let other = conn
            .query_opt(
                &format!(
                    "SELECT 1 FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id
                     WHERE a.contact_id = ?1 AND a.started_at >= ?2 AND a.started_at < ?3 AND a.uuid <> ?4 AND {REACHED}"
                ),
                params![contact, start, end, uuid],
            )?
            .is_some();
        if !other {
            upsert(
                conn,
                "reached_days",
                &["campaign_id", "day"],
                &[Val::Int(campaign), Val::Int(day)],
                &[("records", delta)],
            )?;
        }
    }
    Ok(())
}

/// Where a contact counts in `contact_counts` (its key's values), read before a change of its
/// status or best outcome and given to [`contact_moved`] after it.
pub(super) struct ContactKey(Vec<Val>);

/// The contact's place in `contact_counts` as it is now (`None`: no such contact).
pub(super) fn contact_key(tx: &mut Tx<'_>, id: i64) -> Result<Option<ContactKey>> {
    Ok(tx
        .conn
        .query_opt(
            "SELECT campaign_id, COALESCE(batch_id, 0), COALESCE(program, ''), COALESCE(city, ''), status,
                    COALESCE(best_disposition_id, 0)
             FROM campaign_contacts WHERE id = ?1",
            params![id],
        )?
        .map(|r| {
            ContactKey(vec![
                Val::Int(r.i64(0)),
                Val::Int(r.i64(1)),
                Val::Text(r.text(2)),
                Val::Text(r.text(3)),
                Val::Text(r.text(4)),
                Val::Int(r.i64(5)),
            ])
        }))
}

/// Moves the contact `id` from where it counted (`before`, read by [`contact_key`]) to where
/// it counts now; nothing when its status and best outcome did not change.
pub(super) fn contact_moved(tx: &mut Tx<'_>, id: i64, before: Option<ContactKey>) -> Result<()> {
    let after = contact_key(tx, id)?;
    if before.as_ref().map(|k| &k.0) == after.as_ref().map(|k| &k.0) {
        return Ok(());
    }
    for (key, delta) in [(before, -1), (after, 1)] {
        if let Some(ContactKey(vals)) = key {
            upsert(
                tx.conn,
                "contact_counts",
                &CONTACT_KEYS,
                &vals,
                &[("records", delta)],
            )?;
        }
    }
    Ok(())
}

/// The key of `contact_counts`.
const CONTACT_KEYS: [&str; 6] = [
    "campaign_id",
    "batch_id",
    "program",
    "city",
    "status",
    "best_disposition_id",
];

/// The SELECT that groups contacts as `contact_counts` counts them (after `FROM
/// campaign_contacts WHERE …`, then [`CONTACT_GROUP`]).
const CONTACT_SELECT: &str =
    "SELECT campaign_id, COALESCE(batch_id, 0), COALESCE(program, ''), COALESCE(city, ''), status,
        COALESCE(best_disposition_id, 0), COUNT(*) FROM campaign_contacts";
const CONTACT_GROUP: &str = "GROUP BY campaign_id, COALESCE(batch_id, 0), COALESCE(program, ''), COALESCE(city, ''), status,
        COALESCE(best_disposition_id, 0)";

/// Counts in the contacts an import just wrote (pending, never called), per program and
/// city: a few rows, counted from the values written, not read back.
pub(super) fn batch_added(
    conn: &mut Conn,
    campaign_id: i64,
    batch_id: i64,
    groups: &std::collections::BTreeMap<(String, String), i64>,
) -> Result<()> {
    for ((program, city), n) in groups {
        upsert(
            conn,
            "contact_counts",
            &CONTACT_KEYS,
            &[
                Val::Int(campaign_id),
                Val::Int(batch_id),
                Val::Text(program.clone()),
                Val::Text(city.clone()),
                Val::Text(ContactStatus::Pendiente.code().to_owned()),
                Val::Int(0),
            ],
            &[("records", *n)],
        )?;
    }
    Ok(())
}

/// Counts out the contacts of a purged import.
pub(super) fn batch_purged(conn: &mut Conn, batch_id: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM contact_counts WHERE batch_id = ?1",
        params![batch_id],
    )?;
    Ok(())
}

/// Adds `deltas` to the row of `table` keyed by `keys` (inserted when missing); a row whose
/// first counted column falls to zero is removed.
fn upsert(
    conn: &mut Conn,
    table: &str,
    keys: &[&str],
    key_vals: &[Val],
    deltas: &[(&str, i64)],
) -> Result<()> {
    let cols: Vec<&str> = keys
        .iter()
        .copied()
        .chain(deltas.iter().map(|d| d.0))
        .collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let sets: Vec<String> = deltas
        .iter()
        .map(|(c, _)| format!("{c} = {table}.{c} + excluded.{c}"))
        .collect();
    let mut vals: Vec<Val> = key_vals.to_vec();
    vals.extend(deltas.iter().map(|d| Val::Int(d.1)));
    conn.execute(
        &format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
            cols.join(", "),
            marks.join(", "),
            keys.join(", "),
            sets.join(", ")
        ),
        &vals,
    )?;
    if deltas.iter().any(|d| d.1 < 0) {
        let wh: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} = ?{}", i + 1))
            .collect();
        conn.execute(
            &format!(
                "DELETE FROM {table} WHERE {} AND {} <= 0",
                wh.join(" AND "),
                deltas[0].0
            ),
            key_vals,
        )?;
    }
    Ok(())
}

/// Each count table, its columns, and the same figures computed from the rows (`offset`: the
/// zone's offset in seconds, for local days). `answer_counts` is compared without its hash.
fn expected(offset: i64) -> [(&'static str, &'static str, String); 6] {
    [
        (
            "attempt_hours",
            "campaign_id, hour, agent_id, disposition_id, reason, attempts, secs",
            "SELECT campaign_id, started_at / 3600, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, ''),
                    COUNT(*), SUM(duration_secs)
             FROM call_attempts
             GROUP BY campaign_id, started_at / 3600, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, '')"
                .to_owned(),
        ),
        (
            "agent_hours",
            "campaign_id, hour, agent_id, attempts, reached, positive, secs",
            format!(
                "SELECT a.campaign_id, a.started_at / 3600, COALESCE(a.agent_id, 0), COUNT(*),
                        SUM(CASE WHEN {REACHED} THEN 1 ELSE 0 END),
                        SUM(CASE WHEN d.category = 'positivo' THEN 1 ELSE 0 END), SUM(a.duration_secs)
                 FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id
                 GROUP BY a.campaign_id, a.started_at / 3600, COALESCE(a.agent_id, 0)"
            ),
        ),
        (
            "attempt_outcomes",
            "campaign_id, agent_id, disposition_id, reason, attempts",
            "SELECT campaign_id, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, ''), COUNT(*)
             FROM call_attempts
             GROUP BY campaign_id, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, '')"
                .to_owned(),
        ),
        (
            "answer_counts",
            "campaign_id, script_version_id, answers, attempts",
            "SELECT campaign_id, COALESCE(script_version_id, 0), answers, COUNT(*) FROM call_attempts
             WHERE answers <> '{}' GROUP BY campaign_id, COALESCE(script_version_id, 0), answers"
                .to_owned(),
        ),
        (
            "reached_days",
            "campaign_id, day, records",
            format!(
                "SELECT a.campaign_id, (a.started_at + {offset}) / 86400, COUNT(DISTINCT a.contact_id)
                 FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id
                 WHERE {REACHED}
                 GROUP BY a.campaign_id, (a.started_at + {offset}) / 86400"
            ),
        ),
        (
            "contact_counts",
            "campaign_id, batch_id, program, city, status, best_disposition_id, records",
            format!("{CONTACT_SELECT} {CONTACT_GROUP}"),
        ),
    ]
}

/// The zone's offset now (seconds east of UTC), from the settings' row.
fn zone_offset(conn: &mut Conn) -> Result<i64> {
    let zone = conn
        .query_opt("SELECT value FROM settings WHERE key = 'time_zone'", &[])?
        .map(|r| r.text(0));
    let settings = Settings {
        time_zone: zone.unwrap_or_else(|| Settings::default().time_zone),
        ..Settings::default()
    };
    Ok(offset_now(&settings))
}

/// The institution's zone's offset now, seconds east of UTC: local days of counts and scans
/// taken as `(t + offset) / 86400` (exact in zones without daylight saving, as Colombia's).
pub(crate) fn offset_now(settings: &Settings) -> i64 {
    use chrono::Offset;
    let now = chrono::Utc::now().timestamp();
    i64::from(
        format::local(now, settings)
            .offset()
            .fix()
            .local_minus_utc(),
    )
}

/// Computes every count again from the rows (the migration's step; `Store::recount`). The
/// local days of `reached_days` are taken with the zone's offset now: exact in zones without
/// daylight saving (Colombia's).
pub(super) fn fill(conn: &mut Conn) -> Result<()> {
    let offset = zone_offset(conn)?;
    for (table, cols, select) in expected(offset) {
        conn.execute(&format!("DELETE FROM {table}"), &[])?;
        if table == "answer_counts" {
            // Keyed by the answers' hash, which SQL cannot compute.
            for r in conn.query(&select, &[])? {
                let text = r.text(2);
                let key = super::archive::sha256_hex(text.as_bytes());
                conn.execute(
                    "INSERT INTO answer_counts (campaign_id, script_version_id, answers_sha256, answers, attempts)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![r.i64(0), r.i64(1), key.as_str(), text.as_str(), r.i64(3)],
                )?;
            }
        } else {
            conn.execute(&format!("INSERT INTO {table} ({cols}) {select}"), &[])?;
        }
    }
    Ok(())
}

/// The count tables whose rows differ from the same figures computed from the contacts and
/// attempts (`check`; a read). Empty when every kept count is right.
pub(super) fn mismatches(conn: &mut Conn) -> Result<Vec<String>> {
    let offset = zone_offset(conn)?;
    let mut out = Vec::new();
    for (table, cols, select) in expected(offset) {
        if !super::migrate::has_table(conn, table)? {
            continue;
        }
        let kept = format!("SELECT {cols} FROM {table}");
        let differ = conn
            .query_one(
                &format!(
                    "SELECT (SELECT COUNT(*) FROM ({select} EXCEPT {kept})) + (SELECT COUNT(*) FROM ({kept} EXCEPT {select}))"
                ),
                &[],
            )?
            .i64(0);
        if differ > 0 {
            out.push(table.to_owned());
        }
    }
    Ok(out)
}

impl Store {
    /// Computes the dashboards' counts again from the contacts and attempts, in one write
    /// (seconds at a million contacts): the repair for counts that a hand-made change of the
    /// database left behind. For the head and the command line.
    pub fn recount(&self, actor: &Actor) -> Result<()> {
        require(actor, Action::ManageUsers)?;
        self.write(|tx| {
            fill(tx.conn)?;
            tx.audit(actor, "counts.recount", "settings", None, "")
        })
    }
}
