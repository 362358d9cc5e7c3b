//! Labelled pickers shared by several forms: department and role.

use egui::Ui;

use crate::domain::{Department, Role};
use crate::i18n::t;
use crate::ui::widgets::{FieldLabel, combo_ui, error_text_ui};

/// A labelled department picker; `None` shows as "(ninguna)".
pub fn department_combo_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    value: &mut Option<i64>,
    departments: &[Department],
    error: Option<&str>,
) {
    let selected = value
        .and_then(|id| departments.iter().find(|d| d.id == id))
        .map(|d| d.name.clone())
        .unwrap_or_else(|| t("common.none_f"));
    combo_ui(ui, label, selected, 300.0, |ui| {
        ui.selectable_value(value, None, t("common.none_f"));
        let current = *value;
        for d in departments
            .iter()
            .filter(|d| d.active || Some(d.id) == current)
        {
            ui.selectable_value(value, Some(d.id), &d.name);
        }
    });
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
}

/// A labelled role picker.
pub fn role_combo_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    value: &mut Option<Role>,
    error: Option<&str>,
) {
    let selected = value.map(Role::label).unwrap_or_else(|| t("common.choose"));
    combo_ui(ui, label, selected, 300.0, |ui| {
        for r in Role::ALL {
            ui.selectable_value(value, Some(r), r.label());
        }
    });
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
}
