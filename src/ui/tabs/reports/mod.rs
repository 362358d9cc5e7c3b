//! Informes y archivo: the campaign results reports and the archive of records, one sub-page
//! each. (The results report's sub-page arrives with its own file, `results.rs`.)

mod archive;

use egui::Ui;

use super::{Tab, TabView};
use crate::domain::{Action, Role};
use crate::i18n::t;
use crate::ui::commands::Cx;

pub use archive::ArchiveView;

/// The sub-pages of the tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Page {
    /// The archive of records (ISO 9001 7.5.3).
    #[default]
    Archivo,
}

impl Page {
    const ALL: [Page; 1] = [Page::Archivo];

    fn label(self) -> String {
        match self {
            Page::Archivo => t("reports.page_archive"),
        }
    }
}

/// The Informes y archivo tab.
#[derive(Default)]
pub struct ReportsTab {
    page: Page,
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
        self.archive.mark_stale();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal(|ui| {
            for p in Page::ALL {
                if ui.selectable_label(self.page == p, p.label()).clicked() {
                    self.page = p;
                }
            }
        });
        ui.separator();
        match self.page {
            Page::Archivo => self.archive.ui(ui, cx),
        }
    }
}
