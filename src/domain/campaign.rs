//! Campaigns: what the professional creates from an assigned strategy, and how its status moves.

use super::brief::parse_date;
use super::procedure::{CampaignKind, CampaignStatus, DistributionMode};
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
        if start.is_none() {
            errs.push(FieldError::new(Field::StartDate, "brief.err_date"));
        }
        if end.is_none() {
            errs.push(FieldError::new(Field::EndDate, "brief.err_date"));
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

#[cfg(test)]
mod tests {
    use super::*;

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
