//! A campaign's indicators (`domain::indicators`) by a few aggregate reads: the attempts of
//! the period grouped by contact, the contacts' counters, the callbacks due today.
//! TODO(issue 12): a covering index on the attempts and the 5M-attempt benchmark.

use super::{Result, Store, require};
use crate::domain::indicators::Indicators;
use crate::domain::{Action, Actor};
use crate::params;

impl Store {
    /// The indicators of a campaign over the local days `from..=to` (the whole campaign when
    /// none are given). For those who run or decide campaigns.
    pub fn indicators(
        &self,
        actor: &Actor,
        campaign_id: i64,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<Indicators> {
        if !actor.can(Action::ViewAllBriefs) {
            require(actor, Action::RunCampaigns)?;
        }
        let settings = self.settings()?;
        let bound = |d: chrono::NaiveDate| crate::domain::tally::date_bounds(d, &settings);
        let start = from.map_or(i64::MIN, |d| bound(d).0);
        let end = to.map_or(i64::MAX, |d| bound(d).1);
        let (today_start, today_end) = crate::domain::tally::today_bounds(self.now(), &settings);
        self.read(|tx| {
            super::campaigns::get(tx, campaign_id)?;
            let r = tx.conn.query_one(
                "SELECT COUNT(*), COALESCE(SUM(n), 0), COALESCE(SUM(reached), 0), COALESCE(SUM(positive), 0), COALESCE(SUM(secs), 0) FROM (
                    SELECT a.contact_id, COUNT(*) AS n,
                           MAX(CASE WHEN d.reached = 1 AND d.category <> 'tercero' THEN 1 ELSE 0 END) AS reached,
                           MAX(CASE WHEN d.category = 'positivo' THEN 1 ELSE 0 END) AS positive,
                           SUM(a.duration_secs) AS secs
                    FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id
                    WHERE a.campaign_id = ?1 AND a.started_at >= ?2 AND a.started_at < ?3
                    GROUP BY a.contact_id)",
                params![campaign_id, start, end],
            )?;
            let counts = tx.conn.query_one(
                "SELECT COUNT(*),
                        COALESCE(SUM(CASE WHEN v.status IN ('pendiente', 'agendado') THEN 1 ELSE 0 END), 0),
                        COALESCE(SUM(CASE WHEN v.status = 'agendado' AND v.next_call_at >= ?2 AND v.next_call_at < ?3 THEN 1 ELSE 0 END), 0)
                 FROM visible_contacts v WHERE v.campaign_id = ?1",
                params![campaign_id, today_start, today_end],
            )?;
            Ok(Indicators {
                campaign_id,
                from,
                to,
                registros_validos: counts.i64(0),
                gestionados: r.i64(0),
                contactados: r.i64(2),
                positivos: r.i64(3),
                marcaciones: r.i64(1),
                agendados_hoy: counts.i64(2),
                pendientes: counts.i64(1),
                talk_secs: r.i64(4),
            })
        })
    }
}
