//! A brief's status chip and, when late, its *extemporánea* flag.

use egui::Ui;

use crate::domain::brief::Brief;
use crate::domain::procedure::BriefStatus;
use crate::i18n::{t, tf};
use crate::ui::widgets::{self, chip_ui};

/// The colour of a brief status chip.
pub fn status_color(s: BriefStatus) -> egui::Color32 {
    match s {
        BriefStatus::Borrador => egui::Color32::GRAY,
        BriefStatus::Enviada | BriefStatus::EnDefinicion => widgets::ACCENT,
        BriefStatus::Asignada | BriefStatus::EnEjecucion => widgets::SUCCESS,
        BriefStatus::Finalizada | BriefStatus::InformeEntregado => egui::Color32::DARK_GREEN,
        BriefStatus::Devuelta => widgets::WARNING,
        BriefStatus::Rechazada => widgets::ERROR,
    }
}

/// The status chip and, when late, the *extemporánea* flag.
pub fn brief_chips_ui(ui: &mut Ui, b: &Brief) {
    chip_ui(ui, &b.status.label(), status_color(b.status));
    if b.is_late() {
        chip_ui(ui, &t("brief.late"), widgets::WARNING).on_hover_text(tf(
            "brief.late_days",
            &[("days", &b.late_days.unwrap_or(0))],
        ));
    }
}
