//! Mis campañas (agents): until the call tally exists, the campaigns in which the agent has
//! contacts, with how many are still to call, the dates and the published script. Read-only;
//! "Ver guion" opens the campaign's script in Guiones.

use egui::{RichText, Ui};

use super::campaigns::status_color;
use super::{Tab, TabView};
use crate::domain::campaign::AgentCampaign;
use crate::domain::{Action, Role, format};
use crate::i18n::{t, tf};
use crate::ui::commands::{Command, Cx, Nav};
use crate::ui::widgets::{chip_ui, empty_state_ui, section_ui};

/// The Mis campañas tab.
#[derive(Default)]
pub struct MyCampaignsTab {
    loaded: bool,
    list: Vec<AgentCampaign>,
}

impl TabView for MyCampaignsTab {
    fn id(&self) -> Tab {
        Tab::MisCampanas
    }

    fn label(&self) -> String {
        t("tab.my_campaigns")
    }

    /// Agents: who records calls without running the procedure.
    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::RecordCalls) && !p(Action::ViewAllBriefs)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.list = cx
                .shown(cx.store.agent_campaigns(cx.actor))
                .unwrap_or_default();
            self.loaded = true;
        }
        let mut open = None;
        egui::ScrollArea::both().show(ui, |ui| {
            section_ui(ui, &t("tab.my_campaigns"));
            ui.label(RichText::new(t("my_campaigns.intro")).weak());
            ui.add_space(6.0);
            if self.list.is_empty() {
                empty_state_ui(ui, &t("my_campaigns.empty"));
                return;
            }
            ui.label(RichText::new(tf("my_campaigns.count", &[("n", &self.list.len())])).weak());
            egui::Grid::new("my_campaigns")
                .num_columns(6)
                .spacing([16.0, 8.0])
                .striped(true)
                .show(ui, |ui| {
                    ui.strong(t("my_campaigns.campaign"));
                    ui.strong(t("my_campaigns.status"));
                    ui.strong(t("my_campaigns.dates"));
                    ui.strong(t("my_campaigns.pending"))
                        .on_hover_text(t("my_campaigns.pending_hover"));
                    ui.strong(t("my_campaigns.script"));
                    ui.label("");
                    ui.end_row();
                    for c in &self.list {
                        ui.label(RichText::new(&c.name).strong());
                        chip_ui(ui, &c.status.label(), status_color(c.status));
                        ui.label(tf(
                            "my_campaigns.dates_value",
                            &[("start", &c.start_date), ("end", &c.end_date)],
                        ));
                        ui.label(
                            RichText::new(format!(
                                "{} / {}",
                                format::int(c.pending),
                                format::int(c.total)
                            ))
                            .strong(),
                        );
                        match c.script_version {
                            Some(v) => ui.label(tf("script.version_n", &[("version", &v)])),
                            None => ui.label(RichText::new(t("script.unpublished")).weak()),
                        };
                        if ui
                            .add_enabled(
                                c.script_version.is_some(),
                                egui::Button::new(t("my_campaigns.open_script")),
                            )
                            .on_disabled_hover_text(t("script.nothing_published"))
                            .clicked()
                        {
                            open = Some(c.id);
                        }
                        ui.end_row();
                    }
                });
        });
        if let Some(id) = open {
            let _ = cx.apply(Command::Open(Nav::CampaignScript(id)));
        }
    }
}
