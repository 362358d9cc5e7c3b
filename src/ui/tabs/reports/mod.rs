//! Informes y archivo: the campaign results reports (`results.rs`) and the archive of records
//! (`archive.rs`), one sub-page each. The head and the professional see every campaign's
//! report; a solicitante its department's, read-only, and the records its access allows.

mod archive;
mod results;

use egui::Ui;

use super::{Tab, TabView};
use crate::domain::{Action, Role};
use crate::i18n::t;
use crate::ui::commands::Cx;

pub use archive::ArchiveView;

/// The sub-pages of the tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Page {
    /// The campaign results reports.
    #[default]
    Resultados,
    /// The archive of records (ISO 9001 7.5.3).
    Archivo,
}

impl Page {
    const ALL: [Page; 2] = [Page::Resultados, Page::Archivo];

    fn label(self) -> String {
        match self {
            Page::Resultados => t("results.sub_results"),
            Page::Archivo => t("reports.page_archive"),
        }
    }
}

/// The Informes y archivo tab.
#[derive(Default)]
pub struct ReportsTab {
    page: Page,
    results: results::ResultsPage,
    archive: ArchiveView,
}

impl TabView for ReportsTab {
    fn id(&self) -> Tab {
        Tab::Informes
    }

    fn label(&self) -> String {
        t("tab.reports")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::ViewArchive)
    }

    fn mark_stale(&mut self) {
        self.results.mark_stale();
        self.archive.mark_stale();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal(|ui| {
            for p in Page::ALL {
                if ui.selectable_label(self.page == p, p.label()).clicked() && self.page != p {
                    // The narrative's unsaved text stays in its page: nothing is lost.
                    self.page = p;
                }
            }
        });
        ui.separator();
        match self.page {
            Page::Resultados => self.results.ui(ui, cx),
            Page::Archivo => self.archive.ui(ui, cx),
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
