//! Seguimiento: the live tally of a campaign, per agent, for today and for the campaign so far
//! (`UX.md`, "Indicators"). Per record its **best** outcome counts, not its last; "Contacto
//! con tercero" is never a contact reached.

use super::catalog::{Disposition, DispositionCategory};
use super::settings::Settings;

/// Whether a record whose best outcome is `d` counts as reached ("Contactados"): the agent
/// spoke with the person — never a third party who took the message, whatever the catalog
/// says.
pub fn counts_as_reached(d: &Disposition) -> bool {
    d.reached && d.category != DispositionCategory::Tercero
}

/// Whether a record whose best outcome is `d` counts as positive ("Positivos").
pub fn counts_as_positive(d: &Disposition) -> bool {
    d.category == DispositionCategory::Positivo
}

/// The figures of one agent or of the whole campaign, over one period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    /// Records (contacts) that are theirs ("asignados"); for the campaign, every record.
    pub assigned: i64,
    /// Records with at least one attempt (in the period).
    pub handled: i64,
    /// Records reached: best outcome reached (for today: a reached attempt today).
    pub reached: i64,
    /// Records whose best outcome is positive (for today: a positive attempt today).
    pub positive: i64,
    /// Callbacks due today ("Agendados para hoy").
    pub callbacks_today: i64,
    /// Records without a final outcome that may still be called.
    pub pending: i64,
    /// Attempts (calls) in the period.
    pub calls: i64,
    /// Seconds of those attempts.
    pub talk_secs: i64,
}

impl Figures {
    /// Mean attempt duration in seconds (TMO), when there were attempts.
    pub fn tmo_secs(&self) -> Option<i64> {
        (self.calls > 0).then(|| (self.talk_secs as f64 / self.calls as f64).round() as i64)
    }

    /// Adds another's figures to these.
    pub fn add(&mut self, o: &Figures) {
        self.assigned += o.assigned;
        self.handled += o.handled;
        self.reached += o.reached;
        self.positive += o.positive;
        self.callbacks_today += o.callbacks_today;
        self.pending += o.pending;
        self.calls += o.calls;
        self.talk_secs += o.talk_secs;
    }
}

/// A mean duration as `m:ss` (`4:05`); `—` when there is none.
pub fn mmss(secs: Option<i64>) -> String {
    match secs {
        Some(s) => {
            let s = s.max(0);
            format!("{}:{:02}", s / 60, s % 60)
        }
        None => "—".to_owned(),
    }
}

/// The two periods of the tally.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Periods {
    /// Since local midnight.
    pub today: Figures,
    /// Since the campaign began.
    pub campaign: Figures,
}

/// One agent's line of the tally.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AgentTally {
    /// The user.
    pub agent_id: i64,
    /// Login.
    pub login: String,
    /// Name.
    pub name: String,
    /// Figures.
    pub figures: Periods,
}

/// What a distribution event was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum DistributionKind {
    /// Contacts without agent dealt ("Distribuir").
    Reparto,
    /// One agent's pending contacts moved to others.
    Redistribucion,
    /// Pending contacts evened out among agents.
    Equilibrio,
}

impl DistributionKind {
    /// From the audit action code.
    pub fn from_action(action: &str) -> Option<Self> {
        match action {
            "distribution.run" => Some(Self::Reparto),
            "distribution.move" => Some(Self::Redistribucion),
            "distribution.rebalance" => Some(Self::Equilibrio),
            _ => None,
        }
    }

    /// ASCII code (locale key suffix).
    pub fn code(self) -> &'static str {
        match self {
            Self::Reparto => "reparto",
            Self::Redistribucion => "redistribucion",
            Self::Equilibrio => "equilibrio",
        }
    }

    /// Name for the user.
    pub fn label(self) -> String {
        crate::i18n::t(&format!("tally.kind_{}", self.code()))
    }
}

/// A past distribution, redistribution or rebalance of the campaign.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DistributionEvent {
    /// When, UTC seconds.
    pub at: i64,
    /// Who, in words (a user's name, or the command line).
    pub who: String,
    /// What.
    pub kind: DistributionKind,
    /// For a redistribution: the agent who gave the contacts (login as recorded).
    pub from: Option<String>,
    /// Contacts dealt or moved.
    pub total: i64,
    /// How many each agent received, by name (empty when not recorded: older events).
    pub per_agent: Vec<(String, i64)>,
}

/// Reads what the audit log says of a distribution event: (total, agent who gave them).
/// `distribution.run` and `distribution.rebalance` write the count; `distribution.move`
/// writes `login -> count`.
pub fn parse_audit_detail(detail: &str) -> (i64, Option<String>) {
    match detail.split_once(" -> ") {
        Some((from, n)) => (n.trim().parse().unwrap_or(0), Some(from.trim().to_owned())),
        None => (detail.trim().parse().unwrap_or(0), None),
    }
}

/// The live tally of a campaign.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    /// The campaign.
    pub campaign_id: i64,
    /// The whole campaign's figures; `None` for an agent, who sees only its own line.
    pub summary: Option<Periods>,
    /// One line per agent (an agent: only its own).
    pub agents: Vec<AgentTally>,
    /// Past distributions, newest first (not for agents).
    pub distributions: Vec<DistributionEvent>,
    /// When the figures were read, UTC seconds.
    pub computed_at: i64,
}

/// Local midnight today and tomorrow (UTC seconds) in the configured zone: "today" of the
/// tally and of the callbacks due today.
pub fn today_bounds(now: i64, settings: &Settings) -> (i64, i64) {
    date_bounds(super::format::today(now, settings), settings)
}

/// A local day's bounds: its first instant and the next day's (UTC seconds, half-open).
pub fn date_bounds(day: chrono::NaiveDate, settings: &Settings) -> (i64, i64) {
    super::format::day_bounds(day, settings.tz())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::DEFAULT_DISPOSITIONS;

    fn d(code: &str) -> Disposition {
        let (key, code, category, reached, is_final, ffp) = DEFAULT_DISPOSITIONS
            .iter()
            .find(|s| s.1 == code)
            .copied()
            .expect("in the catalog");
        Disposition {
            id: 1,
            key,
            code: code.to_owned(),
            name: code.to_owned(),
            category,
            reached,
            is_final,
            final_for_phone: ffp,
            active: true,
        }
    }

    #[test]
    fn a_third_party_is_never_reached_even_if_the_catalog_says_so() {
        assert!(counts_as_reached(&d("interesado")));
        assert!(counts_as_reached(&d("volver_a_llamar")));
        assert!(counts_as_reached(&d("no_contactar")));
        assert!(!counts_as_reached(&d("no_contesta")));
        assert!(!counts_as_reached(&d("tercero")));
        let mut wrong = d("tercero");
        wrong.reached = true;
        assert!(!counts_as_reached(&wrong), "a relative is not the person");
        assert!(counts_as_positive(&d("encuesta_completa")));
        assert!(!counts_as_positive(&d("volver_a_llamar")));
    }

    #[test]
    fn tmo_is_the_mean_duration_as_minutes_and_seconds() {
        let f = Figures {
            calls: 3,
            talk_secs: 370,
            ..Default::default()
        };
        assert_eq!(f.tmo_secs(), Some(123));
        assert_eq!(mmss(f.tmo_secs()), "2:03");
        assert_eq!(mmss(Figures::default().tmo_secs()), "—");
        assert_eq!(mmss(Some(59)), "0:59");
        assert_eq!(mmss(Some(600)), "10:00");
    }

    #[test]
    fn audit_details_of_distributions_are_read_back() {
        assert_eq!(parse_audit_detail("120"), (120, None));
        assert_eq!(
            parse_audit_detail("aperez -> 5"),
            (5, Some("aperez".to_owned()))
        );
        assert_eq!(parse_audit_detail("x"), (0, None));
        assert_eq!(
            DistributionKind::from_action("distribution.move"),
            Some(DistributionKind::Redistribucion)
        );
        assert_eq!(DistributionKind::from_action("call.record"), None);
    }

    #[test]
    fn today_runs_from_local_midnight_in_bogota() {
        let s = Settings::default();
        // 2026-11-29 15:00 UTC = 10:00 in Bogotá; midnight there is 05:00 UTC.
        let now = 1_795_910_400 + 15 * 3600;
        let (start, end) = today_bounds(now, &s);
        assert_eq!(start, 1_795_910_400 + 5 * 3600);
        assert_eq!(end - start, 86_400);
        // 03:00 UTC on the 30th is still the 29th in Bogotá.
        let late = 1_795_910_400 + 86_400 + 3 * 3600;
        assert_eq!(today_bounds(late, &s).0, start);
    }
}
