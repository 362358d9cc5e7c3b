//! Correo saliente (head, professional, agent): the outbox panel. The head and the
//! professional see every message; an agent, the messages it queued.

use egui::Ui;

use super::{Tab, TabView};
use crate::domain::{Action, Role};
use crate::i18n::t;
use crate::ui::commands::Cx;
use crate::ui::panels::OutboxPanel;

/// The Correo saliente tab.
#[derive(Default)]
pub struct OutboxTab {
    panel: OutboxPanel,
}

impl TabView for OutboxTab {
    fn id(&self) -> Tab {
        Tab::Correo
    }

    fn label(&self) -> String {
        t("tab.outbox")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::ViewOutbox)
    }

    fn mark_stale(&mut self) {
        self.panel.mark_stale();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        egui::ScrollArea::vertical()
            .id_salt("outbox_tab")
            .show(ui, |ui| self.panel.ui(ui, cx));
    }
}
