//! A campaign's fields as a form (creating it from a strategy, editing it on its page).

use egui::Ui;

use crate::domain::Field;
use crate::domain::campaign::CampaignForm;
use crate::domain::procedure::{CampaignKind, DistributionMode};
use crate::domain::{Disposition, FieldError};
use crate::i18n::t;
use crate::ui::widgets::{self, combo_ui, err_for, text_field_ui};

/// The campaign's fields as a form; `focus` puts the keyboard on its first field (a new form).
pub fn campaign_form_ui(
    ui: &mut Ui,
    f: &mut CampaignForm,
    e: &[FieldError],
    dispositions: &[Disposition],
    focus: bool,
) {
    widgets::required_legend_ui(ui);
    if focus {
        widgets::focus_next_field(ui);
    }
    text_field_ui(
        ui,
        widgets::req(&t("campaign.name")),
        &mut f.name,
        err_for(e, Field::Name),
    );
    combo_ui(
        ui,
        widgets::req(&t("brief.f_kind")),
        f.kind.label(),
        260.0,
        |ui| {
            for k in CampaignKind::ALL {
                ui.selectable_value(&mut f.kind, *k, k.label());
            }
        },
    );
    ui.horizontal_top(|ui| {
        ui.vertical(|ui| {
            ui.set_width(180.0);
            widgets::date_field_ui(
                ui,
                widgets::req(&t("campaign.start")),
                &mut f.start_date,
                err_for(e, Field::StartDate),
            );
        });
        ui.vertical(|ui| {
            ui.set_width(180.0);
            widgets::date_field_ui(
                ui,
                widgets::req(&t("campaign.end")),
                &mut f.end_date,
                err_for(e, Field::EndDate),
            );
        });
    });
    ui.horizontal(|ui| {
        let l = ui.label(t("campaign.max_attempts"));
        ui.add(egui::DragValue::new(&mut f.max_attempts).range(1..=20))
            .labelled_by(l.id);
        ui.add_space(16.0);
        let l = ui.label(t("campaign.min_hours"));
        ui.add(egui::DragValue::new(&mut f.min_hours_between).range(0..=168))
            .labelled_by(l.id);
    });
    for field in [Field::MaxAttempts, Field::MinHoursBetween] {
        if let Some(m) = err_for(e, field) {
            widgets::error_text_ui(ui, m);
        }
    }
    combo_ui(
        ui,
        &t("campaign.distribution"),
        f.distribution_mode.label(),
        260.0,
        |ui| {
            for m in DistributionMode::ALL {
                ui.selectable_value(&mut f.distribution_mode, *m, m.label());
            }
        },
    );
    ui.label(t("campaign.dispositions"));
    ui.horizontal_wrapped(|ui| {
        for d in dispositions.iter().filter(|d| d.active) {
            let mut on = f.dispositions.contains(&d.id);
            if ui.checkbox(&mut on, &d.name).changed() {
                if on {
                    f.dispositions.push(d.id);
                    f.dispositions.sort_unstable();
                } else {
                    f.dispositions.retain(|x| *x != d.id);
                }
            }
        }
    });
    if let Some(m) = err_for(e, Field::Dispositions) {
        widgets::error_text_ui(ui, m);
    }
}
