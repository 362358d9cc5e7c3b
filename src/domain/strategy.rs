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

/// Whether a strategy is frozen: its campaign is running, or paused or closed after having
/// run (`ran`: it was ever started). A frozen strategy changes only through an amendment.
pub fn frozen(campaign: Option<super::procedure::CampaignStatus>, ran: bool) -> bool {
    use super::procedure::CampaignStatus::*;
    match campaign {
        Some(Activa | Pausada) => true,
        Some(Cerrada) => ran,
        Some(Planificada) | None => false,
    }
}

/// One field changed by an amendment: its code (`approach`, `priority`, `targets.barrido`,
/// `assigned_to`…) and its value before and after, as text (a professional by name, a
/// priority by code, a target as typed with a decimal comma).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StrategyChange {
    /// The field's code.
    pub field: String,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

impl StrategyChange {
    /// The field's name for the user.
    pub fn field_label(&self) -> String {
        match self.field.strip_prefix("targets.") {
            Some(code) => t(&format!("indicator.{code}")),
            None => match self.field.as_str() {
                "approach" => t("strategy.approach"),
                "arguments" => t("strategy.arguments"),
                "priority" => t("strategy.priority"),
                "agents" => t("strategy.agents"),
                "start_date" => t("strategy.start"),
                "end_date" => t("strategy.end"),
                "assigned_to" => t("strategy.assigned"),
                other => other.to_owned(),
            },
        }
    }

    /// A value for the user (a priority by its name; empty as "(vacío)").
    fn value_label(&self, v: &str) -> String {
        if v.is_empty() {
            return t("strategy.empty_value");
        }
        if self.field == "priority"
            && let Some(p) = Priority::from_code(v)
        {
            return p.label();
        }
        v.to_owned()
    }

    /// "Prioridad: Media → Alta".
    pub fn describe(&self) -> String {
        crate::i18n::tf(
            "strategy.change",
            &[
                ("field", &self.field_label()),
                ("before", &self.value_label(&self.before)),
                ("after", &self.value_label(&self.after)),
            ],
        )
    }
}

/// What changes from `before` to `after`, field by field, in the form's order. `name` gives
/// a professional's name by id (the value shown for `assigned_to`).
pub fn diff(
    before: &StrategyForm,
    after: &StrategyForm,
    name: &dyn Fn(Option<i64>) -> String,
) -> Vec<StrategyChange> {
    let mut out = Vec::new();
    let mut push = |field: &str, b: String, a: String| {
        if b != a {
            out.push(StrategyChange {
                field: field.to_owned(),
                before: b,
                after: a,
            });
        }
    };
    push(
        "approach",
        before.approach.trim().to_owned(),
        after.approach.trim().to_owned(),
    );
    push(
        "arguments",
        before.arguments.trim().to_owned(),
        after.arguments.trim().to_owned(),
    );
    push(
        "priority",
        before.priority.code().to_owned(),
        after.priority.code().to_owned(),
    );
    let num = |v: Option<&f64>| v.map(|v| super::format::decimal(*v)).unwrap_or_default();
    for (code, _) in TARGET_INDICATORS {
        push(
            &format!("targets.{code}"),
            num(before.targets.get(code)),
            num(after.targets.get(code)),
        );
    }
    let agents = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    push("agents", agents(before.agents), agents(after.agents));
    push(
        "start_date",
        before.start_date.trim().to_owned(),
        after.start_date.trim().to_owned(),
    );
    push(
        "end_date",
        before.end_date.trim().to_owned(),
        after.end_date.trim().to_owned(),
    );
    if before.assigned_to != after.assigned_to {
        push(
            "assigned_to",
            name(before.assigned_to),
            name(after.assigned_to),
        );
    }
    out
}

/// A recorded amendment of a frozen strategy.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Amendment {
    /// Key.
    pub id: i64,
    /// When, UTC seconds.
    pub at: i64,
    /// Who, in words (the user's name, or the command line).
    pub who: String,
    /// What changed.
    pub changes: Vec<StrategyChange>,
    /// Why.
    pub reason: String,
}

#[cfg(test)]
mod amendment_tests {
    use super::*;
    use crate::domain::procedure::CampaignStatus;

    #[test]
    fn frozen_once_the_campaign_has_run() {
        assert!(!frozen(None, false));
        assert!(!frozen(Some(CampaignStatus::Planificada), false));
        assert!(frozen(Some(CampaignStatus::Activa), true));
        assert!(frozen(Some(CampaignStatus::Pausada), true));
        assert!(frozen(Some(CampaignStatus::Cerrada), true));
        assert!(
            !frozen(Some(CampaignStatus::Cerrada), false),
            "closed before it ever ran"
        );
    }

    #[test]
    fn the_diff_names_each_changed_field_with_old_and_new() {
        let before = StrategyForm {
            approach: "A".into(),
            priority: Priority::Media,
            agents: Some(3),
            assigned_to: Some(1),
            targets: [("barrido".to_owned(), 80.0)].into_iter().collect(),
            ..Default::default()
        };
        let mut after = before.clone();
        assert!(diff(&before, &after, &|_| String::new()).is_empty());
        after.priority = Priority::Alta;
        after.targets.insert("barrido".into(), 92.5);
        after.agents = None;
        after.assigned_to = Some(2);
        let names = |id: Option<i64>| format!("P{}", id.unwrap_or(0));
        let d = diff(&before, &after, &names);
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            ["priority", "targets.barrido", "agents", "assigned_to"]
        );
        assert_eq!((d[1].before.as_str(), d[1].after.as_str()), ("80", "92,5"));
        assert_eq!((d[2].before.as_str(), d[2].after.as_str()), ("3", ""));
        assert_eq!((d[3].before.as_str(), d[3].after.as_str()), ("P1", "P2"));
        let text = crate::i18n::with_lang(crate::i18n::Lang::Es, || d[0].describe());
        assert_eq!(text, "Prioridad: Media → Alta");
        let text = crate::i18n::with_lang(crate::i18n::Lang::Es, || d[2].describe());
        assert_eq!(text, "Número de auxiliares: 3 → (vacío)");
    }
}
