//! Informes y archivo: a small selector of sub-pages over the campaign results reports
//! (`results.rs`). The head and the professional see every campaign's report; a solicitante
//! its department's, read-only.

mod results;

use egui::Ui;

use super::{Tab, TabView};
use crate::domain::{Action, Role};
use crate::i18n::t;
use crate::ui::commands::Cx;

/// Which sub-page shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Page {
    /// The campaign results reports.
    #[default]
    Resultados,
}

/// The Informes y archivo tab.
#[derive(Default)]
pub struct ReportsTab {
    page: Page,
    results: results::ResultsPage,
}

impl TabView for ReportsTab {
    fn id(&self) -> Tab {
        Tab::Informes
    }

    fn label(&self) -> String {
        t("results.tab")
    }

    fn visible_for(&self, role: Role) -> bool {
        role == Role::Solicitante || crate::domain::perm::allowed(role, Action::ViewAllBriefs)
    }

    fn mark_stale(&mut self) {
        self.results.mark_stale();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.page, Page::Resultados, t("results.sub_results"));
        });
        ui.separator();
        match self.page {
            Page::Resultados => self.results.ui(ui, cx),
        }
    }

    fn unsaved(&self) -> bool {
        self.results.unsaved()
    }

    fn save_unsaved(&mut self, cx: &mut Cx<'_>) -> bool {
        self.results.save(cx)
    }

    fn discard_unsaved(&mut self) {
        self.results.discard();
    }
}
