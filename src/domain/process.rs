//! The process's own indicators (ISO 9001:2015 9.1) and its register of non-conformities
//! (10.2), for the head: briefs received on time (at least 8 days before the campaign starts,
//! PROCEDURE.md) or late (extemporáneas), and what went wrong, its cause, the action taken,
//! who answers for it and when it was closed.

use chrono::NaiveDate;

use super::brief::parse_date;
use super::{Field, FieldError};

/// The process indicators of a period (local days, both ends included).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcessIndicators {
    /// First day, when the period has one.
    pub from: Option<NaiveDate>,
    /// Last day, when the period has one.
    pub to: Option<NaiveDate>,
    /// Briefs submitted in the period.
    pub briefs_received: i64,
    /// Of those, submitted at least 8 days before the campaign's start.
    pub briefs_on_time: i64,
    /// Of those, submitted later (extemporáneas).
    pub briefs_late: i64,
    /// Non-conformities found in the period.
    pub nonconformities: i64,
    /// Of those, closed.
    pub nonconformities_closed: i64,
    /// Non-conformities still open today (whenever found).
    pub nonconformities_open: i64,
    /// Results reports due in the period that were delivered or whose due date has passed.
    pub reports_due: i64,
    /// Of those, delivered by their due date.
    pub reports_on_time: i64,
    /// Of those, delivered late or still not delivered past their due date.
    pub reports_late: i64,
    /// The mean days late of the late ones (to their delivery, or to today).
    pub days_late_mean: Option<f64>,
    /// Satisfaction scores (1–5) the departments recorded in the period.
    pub satisfaction_count: i64,
    /// Their mean.
    pub satisfaction_mean: Option<f64>,
}

impl ProcessIndicators {
    /// Reports delivered by their due date ÷ reports due.
    pub fn reports_on_time_rate(&self) -> Option<f64> {
        (self.reports_due > 0).then(|| self.reports_on_time as f64 / self.reports_due as f64)
    }

    /// Briefs on time ÷ briefs received.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.briefs_received > 0).then(|| self.briefs_on_time as f64 / self.briefs_received as f64)
    }
}

/// A non-conformity of the process, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NonConformity {
    /// Key.
    pub id: i64,
    /// What happened.
    pub finding: String,
    /// Its cause (may be empty while it is analysed).
    pub cause: String,
    /// What is done about it (may be empty while it is analysed).
    pub action: String,
    /// Who answers for the action.
    pub responsible: String,
    /// The day it was found.
    pub found_on: NaiveDate,
    /// The day it was closed (action done and checked).
    pub closed_on: Option<NaiveDate>,
    /// Who wrote it down.
    pub created_by: String,
    /// When, UTC seconds.
    pub created_at: i64,
}

/// The form of a non-conformity, as typed (dates as `DD/MM/AAAA`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NonConformityForm {
    /// What happened.
    pub finding: String,
    /// Its cause.
    pub cause: String,
    /// What is done about it.
    pub action: String,
    /// Who answers for it.
    pub responsible: String,
    /// The day it was found.
    pub found_on: String,
    /// The day it was closed; empty while open.
    pub closed_on: String,
}

/// A checked form: the dates read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidNonConformity {
    /// What happened (trimmed).
    pub finding: String,
    /// Its cause (trimmed).
    pub cause: String,
    /// The action (trimmed).
    pub action: String,
    /// Who answers for it (trimmed).
    pub responsible: String,
    /// Found.
    pub found_on: NaiveDate,
    /// Closed.
    pub closed_on: Option<NaiveDate>,
}

impl NonConformityForm {
    /// The form of a stored one (for editing).
    pub fn of(n: &NonConformity) -> Self {
        let d = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        Self {
            finding: n.finding.clone(),
            cause: n.cause.clone(),
            action: n.action.clone(),
            responsible: n.responsible.clone(),
            found_on: d(n.found_on),
            closed_on: n.closed_on.map(d).unwrap_or_default(),
        }
    }

    /// Checks it: what happened, who answers and the day found are required; closing needs
    /// the cause and the action, and cannot come before the finding or after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidNonConformity, Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = |s: &str| s.trim().to_owned();
        if self.finding.trim().is_empty() {
            errors.push(FieldError::new(Field::Finding, "process.err_finding"));
        }
        if self.responsible.trim().is_empty() {
            errors.push(FieldError::new(
                Field::Responsible,
                "process.err_responsible",
            ));
        }
        let found_on = match parse_date(&self.found_on) {
            Some(d) if d <= today => Some(d),
            Some(_) => {
                errors.push(FieldError::new(Field::FoundOn, "process.err_future"));
                None
            }
            None => {
                errors.push(FieldError::new(Field::FoundOn, "process.err_date"));
                None
            }
        };
        let closed_on = if self.closed_on.trim().is_empty() {
            None
        } else {
            match parse_date(&self.closed_on) {
                Some(d) if d > today => {
                    errors.push(FieldError::new(Field::ClosedOn, "process.err_future"));
                    None
                }
                Some(d) if found_on.is_some_and(|f| d < f) => {
                    errors.push(FieldError::new(
                        Field::ClosedOn,
                        "process.err_closed_before",
                    ));
                    None
                }
                Some(d) => {
                    if self.cause.trim().is_empty() {
                        errors.push(FieldError::new(Field::Cause, "process.err_close_cause"));
                    }
                    if self.action.trim().is_empty() {
                        errors.push(FieldError::new(
                            Field::CorrectiveAction,
                            "process.err_close_action",
                        ));
                    }
                    Some(d)
                }
                None => {
                    errors.push(FieldError::new(Field::ClosedOn, "process.err_date"));
                    None
                }
            }
        };
        match (errors.is_empty(), found_on) {
            (true, Some(found_on)) => Ok(ValidNonConformity {
                finding: text(&self.finding),
                cause: text(&self.cause),
                action: text(&self.action),
                responsible: text(&self.responsible),
                found_on,
                closed_on,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("day")
    }

    fn fields(f: &NonConformityForm) -> Vec<Field> {
        f.validate(day(10))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_finding_needs_what_who_and_when_and_closing_needs_cause_and_action() {
        let empty = NonConformityForm::default();
        assert_eq!(
            fields(&empty),
            [Field::Finding, Field::Responsible, Field::FoundOn]
        );
        let open = NonConformityForm {
            finding: " Informe entregado tarde ".into(),
            responsible: "Laura Gómez".into(),
            found_on: "02/12/2026".into(),
            ..Default::default()
        };
        let ok = open.validate(day(10)).expect("valid");
        assert_eq!(ok.finding, "Informe entregado tarde");
        assert_eq!(ok.closed_on, None);
        let closing = NonConformityForm {
            closed_on: "05/12/2026".into(),
            ..open.clone()
        };
        assert_eq!(fields(&closing), [Field::Cause, Field::CorrectiveAction]);
        let before = NonConformityForm {
            closed_on: "01/12/2026".into(),
            cause: "c".into(),
            action: "a".into(),
            ..open.clone()
        };
        assert_eq!(fields(&before), [Field::ClosedOn]);
        let future = NonConformityForm {
            found_on: "11/12/2026".into(),
            ..open.clone()
        };
        assert_eq!(fields(&future), [Field::FoundOn]);
        let round = NonConformityForm::of(&NonConformity {
            id: 1,
            finding: "x".into(),
            cause: "c".into(),
            action: "a".into(),
            responsible: "r".into(),
            found_on: day(2),
            closed_on: Some(day(5)),
            created_by: "u".into(),
            created_at: 0,
        });
        assert_eq!(round.found_on, "02/12/2026");
        assert_eq!(round.closed_on, "05/12/2026");
        assert!(round.validate(day(10)).is_ok());
    }
}
