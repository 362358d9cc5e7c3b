//! The head's telemarketing strategy for an accepted brief (procedure 5.1, step 2).

use std::collections::BTreeMap;

use super::brief::parse_date;
use super::{Field, FieldError};
use crate::i18n::t;

/// How urgent the campaign is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// High.
    Alta,
    /// Medium.
    #[default]
    Media,
    /// Low.
    Baja,
}

impl Priority {
    /// Every priority, highest first.
    pub const ALL: [Priority; 3] = [Priority::Alta, Priority::Media, Priority::Baja];
    /// ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            Priority::Alta => "alta",
            Priority::Media => "media",
            Priority::Baja => "baja",
        }
    }
    /// Parses the code.
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == s)
    }
    /// Name for the user.
    pub fn label(self) -> String {
        t(&format!("strategy.priority_{}", self.code()))
    }
}

/// Indicators the head may set a target for (`UX.md`, "Indicators"), with whether the target
/// is a percentage (true) or a count/ratio (false).
pub const TARGET_INDICATORS: [(&str, bool); 7] = [
    ("registros", false),
    ("barrido", true),
    ("contactabilidad", true),
    ("efectividad", true),
    ("rendimiento", true),
    ("positivos", false),
    ("marcaciones_por_registro", false),
];

/// The strategy's fields, as the head types them.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StrategyForm {
    /// Approach and key arguments.
    pub approach: String,
    /// Arguments, objections and answers the agents should use.
    pub arguments: String,
    /// Priority.
    pub priority: Priority,
    /// Targets by indicator code; percentages as 0–100.
    pub targets: BTreeMap<String, f64>,
    /// How many agents.
    pub agents: Option<i64>,
    /// Suggested start (as typed).
    pub start_date: String,
    /// Suggested end (as typed).
    pub end_date: String,
    /// The professional who will run it.
    pub assigned_to: Option<i64>,
}

impl StrategyForm {
    /// The fields that differ from `before` (to re-check their errors after an edit).
    pub fn changed_fields(&self, before: &StrategyForm) -> Vec<Field> {
        let mut out = Vec::new();
        for (field, changed) in [
            (Field::Approach, self.approach != before.approach),
            (Field::Arguments, self.arguments != before.arguments),
            (Field::AssignedTo, self.assigned_to != before.assigned_to),
            (Field::Agents, self.agents != before.agents),
            (Field::StartDate, self.start_date != before.start_date),
            (Field::EndDate, self.end_date != before.end_date),
            (Field::Targets, self.targets != before.targets),
        ] {
            if changed {
                out.push(field);
            }
        }
        out
    }

    /// Checks the fields; `assigning` when the head assigns it (a professional is then required).
    pub fn validate(&self, assigning: bool) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.approach.trim().is_empty() {
            errs.push(FieldError::new(Field::Approach, "strategy.err_approach"));
        }
        if assigning && self.assigned_to.is_none() {
            errs.push(FieldError::new(Field::AssignedTo, "strategy.err_assignee"));
        }
        if let Some(n) = self.agents
            && !(1..=500).contains(&n)
        {
            errs.push(FieldError::new(Field::Agents, "strategy.err_agents"));
        }
        // Every target out of range, each named with its value.
        for (code, pct) in TARGET_INDICATORS {
            let Some(v) = self.targets.get(code) else {
                continue;
            };
            let value = super::format::decimal(*v);
            let indicator = crate::i18n::t(&format!("indicator_name.{code}"));
            if *v < 0.0 {
                errs.push(FieldError::with(
                    Field::Targets,
                    "strategy.err_target_negative",
                    &[("indicator", &indicator), ("value", &value)],
                ));
            } else if pct && *v > 100.0 {
                errs.push(FieldError::with(
                    Field::Targets,
                    "strategy.err_target_pct",
                    &[("indicator", &indicator), ("value", &value)],
                ));
            }
        }
        let start = parse_date(&self.start_date);
        let end = parse_date(&self.end_date);
        errs.extend(super::brief::date_error(Field::StartDate, &self.start_date));
        errs.extend(super::brief::date_error(Field::EndDate, &self.end_date));
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            errs.push(FieldError::new(
                Field::EndDate,
                "brief.err_end_before_start",
            ));
        }
        errs
    }
}

/// A strategy as stored.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Strategy {
    /// Key.
    pub id: i64,
    /// The brief it answers.
    pub brief_id: i64,
    /// The fields.
    pub form: StrategyForm,
    /// The assigned professional's name.
    pub assigned_name: Option<String>,
    /// Who wrote it.
    pub author: String,
    /// Last change, UTC seconds.
    pub updated_at: i64,
}
