//! Campaigns: what the professional creates from an assigned strategy, and how its status moves.

use super::brief::parse_date;
use super::procedure::{BriefStatus, CampaignKind, CampaignStatus, DistributionMode};
use super::{Field, FieldError};

/// The campaign's fields, as typed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CampaignForm {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: CampaignKind,
    /// Start (as typed).
    pub start_date: String,
    /// End (as typed).
    pub end_date: String,
    /// Maximum attempts per contact.
    pub max_attempts: i64,
    /// Minimum hours between two attempts to the same contact.
    pub min_hours_between: i64,
    /// How contacts reach agents.
    pub distribution_mode: DistributionMode,
    /// The dispositions (ids) the campaign uses.
    pub dispositions: Vec<i64>,
}

impl Default for CampaignForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: CampaignKind::Otro,
            start_date: String::new(),
            end_date: String::new(),
            max_attempts: 5,
            min_hours_between: 4,
            distribution_mode: DistributionMode::Asignacion,
            dispositions: Vec::new(),
        }
    }
}

impl CampaignForm {
    /// Checks the fields.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.name.trim().is_empty() {
            errs.push(FieldError::new(Field::Name, "campaign.err_name"));
        }
        let start = parse_date(&self.start_date);
        let end = parse_date(&self.end_date);
        for (field, text, date) in [
            (Field::StartDate, &self.start_date, start),
            (Field::EndDate, &self.end_date, end),
        ] {
            if date.is_none() {
                errs.push(
                    super::brief::date_error(field, text)
                        .unwrap_or_else(|| FieldError::new(field, "brief.err_date_empty")),
                );
            }
        }
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            errs.push(FieldError::new(
                Field::EndDate,
                "brief.err_end_before_start",
            ));
        }
        if !(1..=20).contains(&self.max_attempts) {
            errs.push(FieldError::new(Field::MaxAttempts, "campaign.err_attempts"));
        }
        if !(0..=168).contains(&self.min_hours_between) {
            errs.push(FieldError::new(
                Field::MinHoursBetween,
                "campaign.err_hours",
            ));
        }
        if self.dispositions.is_empty() {
            errs.push(FieldError::new(
                Field::Dispositions,
                "campaign.err_dispositions",
            ));
        }
        errs
    }
}

/// A campaign as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Campaign {
    /// Key.
    pub id: i64,
    /// The brief it comes from.
    pub brief_id: Option<i64>,
    /// The strategy it follows.
    pub strategy_id: Option<i64>,
    /// Its script.
    pub script_id: Option<i64>,
    /// The fields.
    pub form: CampaignForm,
    /// Requesting department.
    pub department_id: i64,
    /// Its name.
    pub department: String,
    /// Where it stands.
    pub status: CampaignStatus,
    /// Contacts loaded (visible).
    pub contacts: i64,
    /// Created, UTC seconds.
    pub created_at: i64,
}

impl CampaignStatus {
    /// Whether a campaign may move from `self` to `to`.
    pub fn can_become(self, to: CampaignStatus) -> bool {
        use CampaignStatus::*;
        matches!(
            (self, to),
            (Planificada, Activa)
                | (Activa, Pausada)
                | (Pausada, Activa)
                | (Activa, Cerrada)
                | (Pausada, Cerrada)
                | (Planificada, Cerrada)
        )
    }
}

/// What stops a campaign from starting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartBlocker {
    /// Its script has no published version.
    NothingPublished,
    /// It has no contacts.
    NoContacts,
    /// Contacts still without an agent (campaigns that assign contacts to agents).
    Undistributed(i64),
}

impl StartBlocker {
    /// The words for the user, made when shown.
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            StartBlocker::NothingPublished => Msg::new("script.err_nothing_published"),
            StartBlocker::NoContacts => Msg::new("campaign.err_no_contacts"),
            StartBlocker::Undistributed(n) => Msg::with(
                "campaign.err_undistributed",
                &[("n", &super::format::int(*n))],
            ),
        }
    }
}

impl std::fmt::Display for StartBlocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().render())
    }
}

/// What stops a campaign from starting (empty: it may start): a published script, contacts,
/// and, unless agents share one queue, every contact dealt to an agent.
pub fn start_blockers(
    published: bool,
    contacts: i64,
    unassigned: i64,
    mode: DistributionMode,
) -> Vec<StartBlocker> {
    let mut out = Vec::new();
    if !published {
        out.push(StartBlocker::NothingPublished);
    }
    if contacts == 0 {
        out.push(StartBlocker::NoContacts);
    } else if unassigned > 0 && mode == DistributionMode::Asignacion {
        out.push(StartBlocker::Undistributed(unassigned));
    }
    out
}

/// How many days before its start date a campaign would start `today` (`None`: not early, or
/// no valid start date).
pub fn days_early(start_date: &str, today: chrono::NaiveDate) -> Option<i64> {
    let start = parse_date(start_date)?;
    let days = (start - today).num_days();
    (days > 0).then_some(days)
}

/// A campaign as an agent sees it: their share of its contacts (until the call tally exists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentCampaign {
    /// Key.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Where it stands.
    pub status: CampaignStatus,
    /// Start, as shown.
    pub start_date: String,
    /// End, as shown.
    pub end_date: String,
    /// The agent's contacts still to call (pending or with a callback).
    pub pending: i64,
    /// Every contact dealt to the agent.
    pub total: i64,
    /// The newest published version of its script.
    pub script_version: Option<i64>,
    /// It runs as a shared queue (every agent calls the whole base).
    pub shared: bool,
}

/// The pending contacts a user holds in a campaign that is not closed, and who would receive
/// them if they were redistributed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldContacts {
    /// The campaign.
    pub campaign_id: i64,
    /// Its name.
    pub campaign: String,
    /// Pending contacts (never attempted, not on a screen: what a redistribution moves).
    pub pending: i64,
    /// Who would receive them: (login, name) of the campaign's other agents, or of every other
    /// active agent when the campaign has none.
    pub to: Vec<(String, String)>,
}

/// The brief follows its campaign: en ejecución while it runs or pauses, finalizada once closed.
pub fn brief_status_for(campaign: CampaignStatus, brief: BriefStatus) -> BriefStatus {
    match campaign {
        CampaignStatus::Activa | CampaignStatus::Pausada => BriefStatus::EnEjecucion,
        CampaignStatus::Cerrada => BriefStatus::Finalizada,
        CampaignStatus::Planificada => brief,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn start_needs_a_script_contacts_and_distribution() {
        use super::{StartBlocker as B, start_blockers};
        let a = DistributionMode::Asignacion;
        assert_eq!(start_blockers(true, 10, 0, a), vec![]);
        assert_eq!(
            start_blockers(false, 0, 0, a),
            vec![B::NothingPublished, B::NoContacts]
        );
        assert_eq!(start_blockers(true, 10, 3, a), vec![B::Undistributed(3)]);
        assert_eq!(
            start_blockers(true, 10, 10, DistributionMode::ColaCompartida),
            vec![]
        );
    }

    #[test]
    fn the_brief_follows_its_campaign() {
        use super::brief_status_for as f;
        assert_eq!(
            f(CampaignStatus::Activa, BriefStatus::Asignada),
            BriefStatus::EnEjecucion
        );
        assert_eq!(
            f(CampaignStatus::Pausada, BriefStatus::EnEjecucion),
            BriefStatus::EnEjecucion
        );
        assert_eq!(
            f(CampaignStatus::Cerrada, BriefStatus::EnEjecucion),
            BriefStatus::Finalizada
        );
        assert_eq!(
            f(CampaignStatus::Planificada, BriefStatus::Asignada),
            BriefStatus::Asignada
        );
    }
    use super::*;

    #[test]
    fn starting_before_the_start_date_counts_the_days() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        assert_eq!(days_early("02/12/2026", today), Some(3));
        assert_eq!(days_early("29/11/2026", today), None);
        assert_eq!(days_early("01/11/2026", today), None);
        assert_eq!(days_early("", today), None);
    }

    #[test]
    fn status_moves() {
        use CampaignStatus::*;
        assert!(Planificada.can_become(Activa));
        assert!(Activa.can_become(Pausada));
        assert!(Pausada.can_become(Activa));
        assert!(!Cerrada.can_become(Activa));
        assert!(!Planificada.can_become(Pausada));
    }

    #[test]
    fn form_limits() {
        let f = CampaignForm {
            name: "X".into(),
            start_date: "01/12/2026".into(),
            end_date: "20/12/2026".into(),
            dispositions: vec![1],
            ..Default::default()
        };
        assert!(f.validate().is_empty());
        let bad = CampaignForm {
            max_attempts: 0,
            ..f
        };
        assert_eq!(bad.validate()[0].field, "max_attempts");
    }
}
