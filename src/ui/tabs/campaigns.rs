//! Campañas: every campaign with its status; the professional edits it and starts, pauses,
//! resumes or closes it. (Contact bases and distribution arrive with the next issue.)

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::campaign::{Campaign, CampaignForm};
use crate::domain::procedure::CampaignStatus;
use crate::domain::{Action, Disposition, FieldError, Role, format};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Applied, Command, Cx, Nav};
use crate::ui::panels::{ContactsTable, DistributionPanel, ImportPanel, campaign_form_ui};
use crate::ui::widgets::{
    self, Confirm, callout_ui, chip_ui, confirm_ui, empty_state_ui, read_row_ui, section_ui,
};

/// The colour of a campaign status chip.
pub fn status_color(s: CampaignStatus) -> egui::Color32 {
    match s {
        CampaignStatus::Planificada => widgets::ACCENT,
        CampaignStatus::Activa => widgets::SUCCESS,
        CampaignStatus::Pausada => widgets::WARNING,
        CampaignStatus::Cerrada => egui::Color32::GRAY,
    }
}

/// The parts of a campaign's page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Part {
    #[default]
    Data,
    Load,
    Contacts,
    Distribution,
}

/// The Campañas tab.
#[derive(Default)]
pub struct CampaignsTab {
    part: Part,
    /// "Cargar base".
    pub import: ImportPanel,
    contacts: ContactsTable,
    distribution: DistributionPanel,
    loaded: bool,
    list: Vec<Campaign>,
    dispositions: Vec<Disposition>,
    selected: Option<i64>,
    form: CampaignForm,
    errors: Vec<FieldError>,
    blockers: Vec<crate::domain::campaign::StartBlocker>,
    confirm_close: bool,
    /// Starting the selected campaign this many days before its start date waits for a yes.
    confirm_early: Option<i64>,
}

impl CampaignsTab {
    fn reload(&mut self, cx: &mut Cx<'_>) {
        match cx.store.campaigns(cx.actor) {
            Ok(l) => self.list = l,
            Err(e) => cx.toasts.error(e.to_string()),
        }
        self.dispositions = cx.shown(cx.store.dispositions()).unwrap_or_default();
        self.loaded = true;
    }

    /// Selects a campaign (also from another tab).
    pub fn select(&mut self, cx: &mut Cx<'_>, id: i64) {
        if !self.loaded || !self.list.iter().any(|c| c.id == id) {
            self.reload(cx);
        }
        match cx.store.campaign(cx.actor, id) {
            Ok(c) => {
                self.form = c.form.clone();
                self.blockers = cx
                    .store
                    .campaign_start_blockers(cx.actor, id)
                    .unwrap_or_default();
                self.selected = Some(id);
                self.errors.clear();
                self.confirm_early = None;
            }
            Err(e) => cx.toasts.error(e.to_string()),
        }
    }
}

impl TabView for CampaignsTab {
    fn id(&self) -> Tab {
        Tab::Campanas
    }

    fn label(&self) -> String {
        t("tab.campaigns")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::ViewAllBriefs)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
    }

    fn open(&mut self, cx: &mut Cx<'_>, nav: Nav) {
        match nav {
            Nav::Campaign(id) => self.select(cx, id),
            Nav::Distribution(id) => {
                self.select(cx, id);
                self.part = Part::Distribution;
            }
            _ => {}
        }
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        egui::Panel::left("campaigns_list")
            .default_size(360.0)
            .resizable(true)
            .show(ui, |ui| self.list_ui(ui, cx));
        egui::CentralPanel::default().show(ui, |ui| {
            let selected = self
                .selected
                .and_then(|id| self.list.iter().find(|c| c.id == id).cloned());
            match selected {
                // The contacts table scrolls by itself (visible rows only): no outer scroll.
                Some(c) if self.part == Part::Contacts => self.detail_ui(ui, cx, &c),
                Some(c) => {
                    egui::ScrollArea::vertical().show(ui, |ui| self.detail_ui(ui, cx, &c));
                }
                None => empty_state_ui(ui, &t("campaign.select_hint")),
            }
        });
        if self.confirm_close
            && let Some(id) = self.selected
        {
            let name = self
                .list
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.form.name.clone())
                .unwrap_or_default();
            match confirm_ui(
                ui,
                "confirm_close_campaign",
                &t("campaign.close_title"),
                &tf("campaign.close_body", &[("name", &name)]),
                &t("campaign.close"),
            ) {
                Confirm::Open => {}
                Confirm::No => self.confirm_close = false,
                Confirm::Yes => {
                    self.confirm_close = false;
                    self.set_status(cx, id, CampaignStatus::Cerrada);
                }
            }
        }
        if let (Some(days), Some(id)) = (self.confirm_early, self.selected) {
            let (name, date) = self
                .list
                .iter()
                .find(|c| c.id == id)
                .map(|c| (c.form.name.clone(), c.form.start_date.clone()))
                .unwrap_or_default();
            let key = "campaign.early_body";
            match confirm_ui(
                ui,
                "confirm_early_start",
                &t("campaign.early_title"),
                &tf(key, &[("name", &name), ("date", &date), ("days", &days)]),
                &t("campaign.early_start"),
            ) {
                Confirm::Open => {}
                Confirm::No => self.confirm_early = None,
                Confirm::Yes => {
                    self.confirm_early = None;
                    self.set_status(cx, id, CampaignStatus::Activa);
                }
            }
        }
    }
}

impl CampaignsTab {
    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.add_space(6.0);
        ui.heading(t("tab.campaigns"));
        ui.label(RichText::new(tf("campaign.count", &[("n", &self.list.len())])).weak());
        ui.separator();
        if self.list.is_empty() {
            empty_state_ui(ui, &t("campaign.empty"));
            return;
        }
        let mut clicked = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            for c in &self.list {
                let r = ui
                    .vertical(|ui| {
                        let r = ui.selectable_label(
                            self.selected == Some(c.id),
                            RichText::new(&c.form.name).strong(),
                        );
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(&c.department).weak().small());
                            chip_ui(ui, &c.status.label(), status_color(c.status));
                        });
                        r
                    })
                    .inner;
                if r.clicked() {
                    clicked = Some(c.id);
                }
            }
        });
        if let Some(id) = clicked {
            self.select(cx, id);
        }
    }

    fn after_contacts_changed(&mut self, cx: &mut Cx<'_>, id: i64) {
        self.contacts.invalidate();
        self.distribution.invalidate();
        self.reload(cx);
        self.select(cx, id);
    }

    fn set_status(&mut self, cx: &mut Cx<'_>, id: i64, to: CampaignStatus) {
        if cx.apply(Command::SetCampaignStatus(id, to)).is_ok() {
            self.reload(cx);
            self.select(cx, id);
        }
    }

    fn detail_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &Campaign) {
        ui.horizontal(|ui| {
            section_ui(ui, &c.form.name);
            chip_ui(ui, &c.status.label(), status_color(c.status));
        });
        ui.label(
            RichText::new(tf(
                "campaign.summary",
                &[
                    ("department", &c.department),
                    ("contacts", &format::int(c.contacts)),
                ],
            ))
            .weak(),
        );
        ui.add_space(6.0);
        let runs = cx.actor.can(Action::RunCampaigns);
        ui.horizontal(|ui| {
            let mut parts = vec![(Part::Data, t("campaign.part_data"))];
            if runs {
                parts.push((Part::Load, t("campaign.part_load")));
            }
            parts.push((Part::Contacts, t("campaign.part_contacts")));
            if runs
                && c.form.distribution_mode
                    == crate::domain::procedure::DistributionMode::Asignacion
            {
                parts.push((Part::Distribution, t("campaign.part_distribution")));
            }
            for (p, label) in parts {
                ui.selectable_value(&mut self.part, p, RichText::new(label).size(15.0));
            }
        });
        ui.separator();
        match self.part {
            Part::Data => {}
            Part::Load => {
                if self.import.ui(ui, cx, c.id, c.brief_id) {
                    self.after_contacts_changed(cx, c.id);
                }
                return;
            }
            Part::Contacts => {
                self.contacts.ui(ui, cx, c.id);
                return;
            }
            Part::Distribution => {
                if self.distribution.ui(ui, cx, c.id) {
                    self.after_contacts_changed(cx, c.id);
                }
                return;
            }
        }
        if runs {
            ui.horizontal(|ui| {
                use CampaignStatus::*;
                match c.status {
                    Planificada => {
                        let can = self.blockers.is_empty();
                        let b = ui
                            .add_enabled(
                                can,
                                egui::Button::new(RichText::new(t("campaign.start_now")).strong()),
                            )
                            .on_disabled_hover_text(blockers_text(&self.blockers));
                        if b.clicked() {
                            // Before its start date, say how early and wait for a yes.
                            let today = format::today(cx.store.now(), cx.settings);
                            match crate::domain::campaign::days_early(&c.form.start_date, today) {
                                Some(days) => self.confirm_early = Some(days),
                                None => self.set_status(cx, c.id, Activa),
                            }
                        }
                    }
                    Activa => {
                        if ui.button(t("campaign.pause")).clicked() {
                            self.set_status(cx, c.id, Pausada);
                        }
                    }
                    Pausada => {
                        if ui.button(t("campaign.resume")).clicked() {
                            self.set_status(cx, c.id, Activa);
                        }
                    }
                    Cerrada => {}
                }
                if c.status != CampaignStatus::Cerrada && ui.button(t("campaign.close")).clicked() {
                    self.confirm_close = true;
                }
            });
            if c.status == CampaignStatus::Planificada && !self.blockers.is_empty() {
                callout_ui(
                    ui,
                    &t("campaign.missing_to_start"),
                    &blockers_text(&self.blockers),
                    widgets::WARNING,
                );
            }
        }
        ui.add_space(6.0);
        if runs && c.status != CampaignStatus::Cerrada {
            campaign_form_ui(ui, &mut self.form, &self.errors, &self.dispositions, false);
            if ui
                .button(t("common.save_changes"))
                .on_hover_text(t("common.save_hover"))
                .clicked()
                || ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S))
            {
                self.errors = self.form.validate();
                if self.errors.is_empty() {
                    match cx.apply(Command::UpdateCampaign(c.id, self.form.clone())) {
                        Ok(Applied::Campaign(_)) => self.reload(cx),
                        Ok(_) => {}
                        Err(Error::Invalid(e)) => self.errors.push(e),
                        Err(_) => {}
                    }
                }
            }
        } else {
            egui::Grid::new(("campaign_read", c.id))
                .num_columns(2)
                .spacing([12.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    read_row_ui(ui, &t("brief.f_kind"), &c.form.kind.label());
                    read_row_ui(ui, &t("campaign.start"), &c.form.start_date);
                    read_row_ui(ui, &t("campaign.end"), &c.form.end_date);
                    read_row_ui(
                        ui,
                        &t("campaign.max_attempts"),
                        &c.form.max_attempts.to_string(),
                    );
                    read_row_ui(
                        ui,
                        &t("campaign.min_hours"),
                        &c.form.min_hours_between.to_string(),
                    );
                    read_row_ui(
                        ui,
                        &t("campaign.distribution"),
                        &c.form.distribution_mode.label(),
                    );
                });
        }
    }
}

/// The blockers, one per line, in the language showing now.
fn blockers_text(blockers: &[crate::domain::campaign::StartBlocker]) -> String {
    blockers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
