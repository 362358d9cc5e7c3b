//! Real enrolments (`domain::enrolment`): the academic system's lists, matched to persons at
//! import, and a campaign's real conversion beside the interest the agents recorded.

use std::collections::HashMap;

use super::{Result, Store, Tx, require};
use crate::domain::enrolment::{
    Conversion, ConversionLine, EnrolmentReport, EnrolmentRow, MatchedBy,
};
use crate::domain::{Action, Actor};
use crate::params;

/// Those who run or decide campaigns.
fn may_use(actor: &Actor) -> Result<()> {
    if actor.can(Action::ViewAllBriefs) {
        Ok(())
    } else {
        require(actor, Action::RunCampaigns)
    }
}

impl Store {
    /// Keeps a list of the academic system (rows already read and cleaned by the importer),
    /// each row matched to a person by document, then phone, then e-mail. The matching is a
    /// read, outside the writer lock; the list is written in one transaction (all or nothing).
    pub fn enrolments_import(
        &self,
        actor: &Actor,
        file_name: &str,
        rows_read: i64,
        rows: &[EnrolmentRow],
        rejected_rows: &[usize],
    ) -> Result<EnrolmentReport> {
        may_use(actor)?;
        let matches = self.read(|tx| match_persons(tx, rows))?;
        let mut report = EnrolmentReport {
            rows_read,
            stored: rows.len() as i64,
            rejected: rejected_rows.len() as i64,
            rejected_rows: rejected_rows.iter().take(100).copied().collect(),
            ..Default::default()
        };
        for m in matches.iter().flatten() {
            match m.1 {
                MatchedBy::Documento => report.by_document += 1,
                MatchedBy::Telefono => report.by_phone += 1,
                MatchedBy::Correo => report.by_email += 1,
            }
        }
        report.batch_id = self.write(|tx| {
            let id = tx.conn.insert(
                "INSERT INTO enrolment_lists (file_name, imported_by, imported_at, rows_read, stored, rejected, matched)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                params![
                    file_name,
                    actor.audit_name(),
                    tx.now,
                    rows_read,
                    report.stored,
                    report.rejected,
                    report.matched()
                ],
            )?;
            for (row, m) in rows.iter().zip(&matches) {
                tx.conn.execute(
                    "INSERT INTO enrolments (list_id, source_row, document, email, phone, program, enrolled_on, stage, person_id, matched_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                    params![
                        id,
                        row.row as i64,
                        row.document.clone(),
                        row.email.clone(),
                        row.phones.first().map(|p| *p as i64),
                        row.program.clone(),
                        row.date.map(|d| d.format("%Y-%m-%d").to_string()),
                        row.stage.code(),
                        m.map(|m| m.0),
                        m.map(|m| m.1.code())
                    ],
                )?;
            }
            tx.audit(
                actor,
                "enrolments.import",
                "enrolment_list",
                Some(id),
                &format!("{file_name}: {} / {}", report.matched(), report.stored),
            )?;
            Ok(id)
        })?;
        Ok(report)
    }

    /// A campaign's real conversion: its records whose person appears in a list of the
    /// academic system dated on or after the campaign's start (or undated), as a whole, per
    /// agent (who recorded the record's best outcome) and per program of the contact, beside
    /// the records reached and marked positive.
    pub fn conversion(&self, actor: &Actor, campaign_id: i64) -> Result<Conversion> {
        may_use(actor)?;
        self.read(|tx| {
            let campaign = super::campaigns::get(tx, campaign_id)?;
            let since = crate::domain::brief::parse_date(&campaign.form.start_date)
                .map(|d| d.format("%Y-%m-%d").to_string());
            let lists = tx
                .conn
                .query_one("SELECT COUNT(*) FROM enrolment_lists", params![])?
                .i64(0);
            // Who recorded each record's best outcome (the latest such attempt).
            let mut agent_of: HashMap<i64, i64> = HashMap::new();
            tx.conn.for_each_row(
                "SELECT a.contact_id, a.agent_id FROM call_attempts a
                 JOIN campaign_contacts cc ON cc.id = a.contact_id AND cc.best_disposition_id = a.disposition_id
                 WHERE a.campaign_id = ?1 ORDER BY a.started_at, a.id",
                params![campaign_id],
                |r| {
                    agent_of.insert(r.i64(0), r.i64(1));
                },
            )?;
            let names: HashMap<i64, String> = tx
                .conn
                .query("SELECT id, name FROM users", params![])?
                .iter()
                .map(|r| (r.i64(0), r.text(1)))
                .collect();
            let mut total = ConversionLine::default();
            let mut by_agent: HashMap<String, ConversionLine> = HashMap::new();
            let mut by_program: HashMap<String, ConversionLine> = HashMap::new();
            tx.conn.for_each_row(
                "SELECT cc.id, COALESCE(cc.program, ''),
                        COALESCE(d.reached, 0), COALESCE(d.category, ''),
                        (SELECT MAX(CASE e.stage WHEN 'matriculado' THEN 3 WHEN 'admitido' THEN 2 ELSE 1 END)
                         FROM enrolments e WHERE e.person_id = cc.person_id
                           AND (?2 IS NULL OR e.enrolled_on IS NULL OR e.enrolled_on >= ?2))
                 FROM campaign_contacts cc
                 LEFT JOIN import_batches ib ON ib.id = cc.batch_id
                 LEFT JOIN dispositions d ON d.id = cc.best_disposition_id
                 WHERE cc.campaign_id = ?1 AND (cc.batch_id IS NULL OR ib.status = 'confirmada')",
                params![campaign_id, since],
                |r| {
                    let category = r.text(3);
                    let reached = r.i64(2) == 1 && category != "tercero";
                    let positive = category == "positivo";
                    let stage = r.opt_i64(4);
                    let agent = agent_of
                        .get(&r.i64(0))
                        .and_then(|a| names.get(a))
                        .cloned()
                        .unwrap_or_default();
                    for line in [
                        &mut total,
                        by_agent.entry(agent.clone()).or_insert_with(|| ConversionLine {
                            name: agent.clone(),
                            ..Default::default()
                        }),
                        by_program
                            .entry(r.text(1))
                            .or_insert_with(|| ConversionLine {
                                name: r.text(1),
                                ..Default::default()
                            }),
                    ] {
                        line.records += 1;
                        line.reached += i64::from(reached);
                        line.positive += i64::from(positive);
                        if let Some(s) = stage {
                            line.converted += 1;
                            line.enrolled += i64::from(s == 3);
                            line.converted_positive += i64::from(positive);
                        }
                    }
                },
            )?;
            let sorted = |m: HashMap<String, ConversionLine>| {
                let mut v: Vec<ConversionLine> = m.into_values().collect();
                v.sort_by(|a, b| {
                    b.converted
                        .cmp(&a.converted)
                        .then(b.records.cmp(&a.records))
                        .then(a.name.cmp(&b.name))
                });
                v
            };
            Ok(Conversion {
                campaign_id,
                total,
                by_agent: sorted(by_agent),
                by_program: sorted(by_program),
                lists,
            })
        })
    }
}

/// For each row, the person it matches and how: by document, then phone, then e-mail.
fn match_persons(tx: &mut Tx<'_>, rows: &[EnrolmentRow]) -> Result<Vec<Option<(i64, MatchedBy)>>> {
    let mut out: Vec<Option<(i64, MatchedBy)>> = vec![None; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        if let Some(doc) = &row.document
            && let Some(r) = tx.conn.query_opt(
                "SELECT person_id FROM person_document_keys WHERE document = ?1",
                params![doc.clone()],
            )?
        {
            out[i] = Some((r.i64(0), MatchedBy::Documento));
            continue;
        }
        for phone in &row.phones {
            if let Some(r) = tx.conn.query_opt(
                "SELECT person_id FROM person_phone_keys WHERE e164 = ?1",
                params![*phone as i64],
            )? {
                out[i] = Some((r.i64(0), MatchedBy::Telefono));
                break;
            }
        }
    }
    // E-mail last: one pass over the persons (no index on e-mail: the import of contacts
    // would pay for it on every row), only when some row still needs it.
    let mut wanted: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if out[i].is_none()
            && let Some(e) = &row.email
        {
            wanted.entry(e.clone()).or_default().push(i);
        }
    }
    if !wanted.is_empty() {
        tx.conn.for_each_row(
            "SELECT id, email FROM persons WHERE email IS NOT NULL AND email <> '' AND anonymised_at IS NULL ORDER BY id",
            params![],
            |r| {
                if let Some(rows) = wanted.remove(&r.text(1).trim().to_lowercase()) {
                    for i in rows {
                        out[i] = Some((r.i64(0), MatchedBy::Correo));
                    }
                }
            },
        )?;
    }
    Ok(out)
}
