//! The process's own indicators and its register of non-conformities (`domain::process`).

use chrono::NaiveDate;

use super::db::Row;
use super::{Error, Result, Store, require};
use crate::domain::process::{NonConformity, NonConformityForm, ProcessIndicators};
use crate::domain::{Action, Actor};
use crate::i18n::Msg;
use crate::params;

const COLS: &str =
    "id, finding, cause, action, responsible, found_on, closed_on, created_by, created_at";

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn to_nc(r: &Row) -> NonConformity {
    NonConformity {
        id: r.i64(0),
        finding: r.text(1),
        cause: r.text(2),
        action: r.text(3),
        responsible: r.text(4),
        found_on: day(&r.text(5)).unwrap_or_default(),
        closed_on: r.opt_text(6).as_deref().and_then(day),
        created_by: r.text(7),
        created_at: r.i64(8),
    }
}

impl Store {
    /// The process indicators over the local days `from..=to` (all time when none are given).
    pub fn process_indicators(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<ProcessIndicators> {
        require(actor, Action::ManageQuality)?;
        let settings = self.settings()?;
        let today = crate::domain::format::today(self.now(), &settings);
        let reports = self.results_list(actor)?;
        let bound = |d: NaiveDate| crate::domain::tally::date_bounds(d, &settings);
        let start = from.map_or(i64::MIN, |d| bound(d).0);
        let end = to.map_or(i64::MAX, |d| bound(d).1);
        let first = from.map_or_else(|| "0000-01-01".to_owned(), iso);
        let last = to.map_or_else(|| "9999-12-31".to_owned(), iso);
        self.read(|tx| {
            let b = tx.conn.query_one(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN late_days > 0 THEN 1 ELSE 0 END), 0)
                 FROM briefs WHERE submitted_at IS NOT NULL AND submitted_at >= ?1 AND submitted_at < ?2",
                params![start, end],
            )?;
            let n = tx.conn.query_one(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN closed_on IS NOT NULL THEN 1 ELSE 0 END), 0)
                 FROM nonconformities WHERE found_on >= ?1 AND found_on <= ?2",
                params![first, last],
            )?;
            let open = tx
                .conn
                .query_one(
                    "SELECT COUNT(*) FROM nonconformities WHERE closed_on IS NULL",
                    params![],
                )?
                .i64(0);
            // Reports: those due in the period, by their due date (the default until one is set).
            let within = |d: NaiveDate| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t);
            let (mut due, mut on_time, mut late, mut days) = (0, 0, 0, 0);
            let (mut scores, mut score_sum) = (0, 0);
            for r in &reports {
                let rec = &r.record;
                // Judged once delivered or past due (one due later and not delivered yet is
                // neither on time nor late).
                if rec
                    .due_date
                    .is_some_and(|d| within(d) && (d < today || rec.delivered.is_some()))
                {
                    due += 1;
                    let l = rec.days_late(today, &settings);
                    if l > 0 {
                        late += 1;
                        days += l;
                    } else {
                        on_time += 1;
                    }
                }
                if let Some(s) = &rec.satisfaction {
                    let on = crate::domain::format::local(s.at, &settings).date_naive();
                    if within(on) {
                        scores += 1;
                        score_sum += s.score;
                    }
                }
            }
            Ok(ProcessIndicators {
                reports_due: due,
                reports_on_time: on_time,
                reports_late: late,
                days_late_mean: (late > 0).then(|| days as f64 / late as f64),
                satisfaction_count: scores,
                satisfaction_mean: (scores > 0).then(|| score_sum as f64 / scores as f64),
                from,
                to,
                briefs_received: b.i64(0),
                briefs_on_time: b.i64(0) - b.i64(1),
                briefs_late: b.i64(1),
                nonconformities: n.i64(0),
                nonconformities_closed: n.i64(1),
                nonconformities_open: open,
            })
        })
    }

    /// The register of non-conformities, open ones first, then the latest found.
    pub fn nonconformities(&self, actor: &Actor) -> Result<Vec<NonConformity>> {
        require(actor, Action::ManageQuality)?;
        self.read(|tx| {
            Ok(tx
                .conn
                .query(
                    &format!(
                        "SELECT {COLS} FROM nonconformities
                         ORDER BY CASE WHEN closed_on IS NULL THEN 0 ELSE 1 END, found_on DESC, id DESC"
                    ),
                    params![],
                )?
                .iter()
                .map(to_nc)
                .collect())
        })
    }

    /// Writes down a non-conformity (`id` none) or changes one (closing it included); audited.
    pub fn nonconformity_save(
        &self,
        actor: &Actor,
        id: Option<i64>,
        form: &NonConformityForm,
    ) -> Result<i64> {
        require(actor, Action::ManageQuality)?;
        let today = crate::domain::format::today(self.now(), &self.settings()?);
        let v = form
            .validate(today)
            .map_err(|mut e| Error::Invalid(e.remove(0)))?;
        self.write(|tx| {
            let closed = v.closed_on.map(iso);
            let id = match id {
                None => tx.conn.insert(
                    "INSERT INTO nonconformities (finding, cause, action, responsible, found_on, closed_on, created_by, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
                    params![
                        v.finding.clone(),
                        v.cause.clone(),
                        v.action.clone(),
                        v.responsible.clone(),
                        iso(v.found_on),
                        closed.clone(),
                        actor.audit_name(),
                        tx.now
                    ],
                )?,
                Some(id) => {
                    let n = tx.conn.execute(
                        "UPDATE nonconformities SET finding = ?2, cause = ?3, action = ?4, responsible = ?5,
                                found_on = ?6, closed_on = ?7, updated_at = ?8 WHERE id = ?1",
                        params![
                            id,
                            v.finding.clone(),
                            v.cause.clone(),
                            v.action.clone(),
                            v.responsible.clone(),
                            iso(v.found_on),
                            closed.clone(),
                            tx.now
                        ],
                    )?;
                    if n == 0 {
                        return Err(Error::Conflict(Msg::new("process.err_gone")));
                    }
                    id
                }
            };
            let action = if closed.is_some() {
                "nonconformity.close"
            } else {
                "nonconformity.save"
            };
            tx.audit(actor, action, "nonconformity", Some(id), &v.finding)?;
            Ok(id)
        })
    }
}
