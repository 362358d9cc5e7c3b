//! A campaign's contacts: the table (visible rows only, fetched a page at a time by key, so it
//! stays smooth at a million rows) with its filters.

use std::collections::HashMap;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::{User, format};
use crate::i18n::{t, tf};
use crate::store::contacts::{ContactFilter, ContactRow};
use crate::ui::commands::Cx;
use crate::ui::widgets::{combo_ui, empty_state_ui, text_field_ui};

/// Rows fetched per page.
pub const PAGE: usize = 100;

/// The contacts table with its filters.
#[derive(Default)]
pub struct ContactsTable {
    campaign_id: Option<i64>,
    filter: ContactFilter,
    applied: Option<ContactFilter>,
    count: i64,
    pages: HashMap<usize, Vec<ContactRow>>,
    agents: Vec<User>,
}

impl ContactsTable {
    /// Forgets cached pages (after an import or a distribution).
    pub fn invalidate(&mut self) {
        self.applied = None;
        self.pages.clear();
    }

    fn row(&mut self, cx: &mut Cx<'_>, campaign_id: i64, index: usize) -> Option<ContactRow> {
        let page = index / PAGE;
        if !self.pages.contains_key(&page) {
            // Keyset from the page before when we have it; OFFSET only for jumps.
            let after = page
                .checked_sub(1)
                .and_then(|p| self.pages.get(&p))
                .and_then(|rows| rows.last())
                .map(|r| r.id);
            let offset = (page * PAGE) as i64;
            match cx
                .store
                .contacts_page(campaign_id, &self.filter, after, offset, PAGE as i64)
            {
                Ok(rows) => {
                    // A bounded cache: far pages are dropped.
                    if self.pages.len() > 60 {
                        self.pages.retain(|p, _| p.abs_diff(page) < 20);
                    }
                    self.pages.insert(page, rows);
                }
                Err(e) => {
                    cx.toasts.error(e.to_string());
                    self.pages.insert(page, Vec::new());
                }
            }
        }
        self.pages.get(&page)?.get(index % PAGE).cloned()
    }

    /// Draws the filters and the table.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, campaign_id: i64) {
        if self.campaign_id != Some(campaign_id) {
            *self = Self {
                campaign_id: Some(campaign_id),
                agents: cx
                    .store
                    .users(cx.actor)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|u| u.role == crate::domain::Role::Auxiliar)
                    .collect(),
                ..Default::default()
            };
        }
        ui.horizontal(|ui| {
            ui.vertical(|ui| {
                ui.set_width(260.0);
                text_field_ui(ui, &t("contacts.search"), &mut self.filter.search, None);
            });
            ui.vertical(|ui| {
                let agent_text = match self.filter.agent_id {
                    None => t("common.all_m"),
                    Some(0) => t("contacts.unassigned"),
                    Some(id) => self
                        .agents
                        .iter()
                        .find(|u| u.id == id)
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                };
                combo_ui(ui, &t("contacts.agent"), agent_text, 200.0, |ui| {
                    ui.selectable_value(&mut self.filter.agent_id, None, t("common.all_m"));
                    ui.selectable_value(
                        &mut self.filter.agent_id,
                        Some(0),
                        t("contacts.unassigned"),
                    );
                    for u in &self.agents {
                        ui.selectable_value(&mut self.filter.agent_id, Some(u.id), &u.name);
                    }
                });
            });
            ui.vertical(|ui| {
                let status_text = self
                    .filter
                    .status
                    .as_deref()
                    .map(|s| t(&format!("contact_status.{s}")))
                    .unwrap_or_else(|| t("common.all_m"));
                combo_ui(ui, &t("common.status"), status_text, 160.0, |ui| {
                    ui.selectable_value(&mut self.filter.status, None, t("common.all_m"));
                    for s in ["pendiente", "en_gestion", "agendado", "cerrado"] {
                        ui.selectable_value(
                            &mut self.filter.status,
                            Some(s.to_owned()),
                            t(&format!("contact_status.{s}")),
                        );
                    }
                });
            });
        });
        if self.applied.as_ref() != Some(&self.filter) {
            self.pages.clear();
            self.count = cx
                .store
                .contacts_count(campaign_id, &self.filter)
                .unwrap_or_else(|e| {
                    cx.toasts.error(e.to_string());
                    0
                });
            self.applied = Some(self.filter.clone());
        }
        ui.label(RichText::new(tf("contacts.count", &[("n", &format::int(self.count))])).weak());
        if self.count == 0 {
            empty_state_ui(ui, &t("contacts.empty"));
            return;
        }
        let count = self.count as usize;
        let headers = [
            "contacts.row",
            "contacts.name",
            "contacts.phone",
            "contacts.others",
            "contacts.document",
            "contacts.program",
            "contacts.city",
            "contacts.agent",
            "common.status",
        ];
        TableBuilder::new(ui)
            .id_salt(("contacts", campaign_id))
            .striped(true)
            .column(Column::exact(56.0))
            .column(Column::initial(185.0).clip(true))
            .column(Column::initial(105.0))
            .column(Column::initial(90.0).clip(true))
            .column(Column::initial(95.0).clip(true))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(90.0).clip(true))
            .column(Column::initial(120.0).clip(true))
            .column(Column::remainder().at_least(90.0))
            .header(24.0, |mut h| {
                for key in headers {
                    h.col(|ui| {
                        ui.strong(t(key));
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, count, |mut row| {
                    let Some(c) = self.row(cx, campaign_id, row.index()) else {
                        row.col(|ui| {
                            ui.add(egui::Label::new("…").truncate());
                        });
                        return;
                    };
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(
                                RichText::new(
                                    c.source_row.map(|r| r.to_string()).unwrap_or_default(),
                                )
                                .weak(),
                            )
                            .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&c.name).truncate());
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(RichText::new(format::phone(&c.phone)).monospace())
                                .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(RichText::new(&c.alt_phones).small()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.document.clone().unwrap_or_default()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.program.clone().unwrap_or_default()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.city.clone().unwrap_or_default()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(c.agent.clone().unwrap_or_else(|| "—".into()))
                                .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(t(&format!("contact_status.{}", c.status))).truncate(),
                        );
                    });
                });
            });
    }
}
