//! Distribution among agents: choose agents, weights and order, see the preview, apply.

use egui::{RichText, Ui};

use crate::domain::contact::ContactFilter;
use crate::domain::distribution::Order;
use crate::domain::distribution::{Distribution, DistributionPlan};
use crate::domain::{User, format};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Applied, Command, Cx};
use crate::ui::widgets::{self, Confirm, combo_ui, confirm_ui, empty_state_ui, section_ui};

/// Distribution among agents: choose agents, weights and order, see the preview, apply.
#[derive(Default)]
pub struct DistributionPanel {
    campaign_id: Option<i64>,
    agents: Vec<(User, bool, String)>,
    order: Order,
    preview: Option<Result<Distribution, String>>,
    pending: std::collections::BTreeMap<String, i64>,
    /// Visible contacts without an agent (counted when the panel loads, not every frame).
    unassigned: i64,
    moving_from: Option<String>,
    /// A redistribution waiting for a yes: (from login, to logins).
    confirm_move: Option<(String, Vec<String>)>,
}

impl DistributionPanel {
    fn load(&mut self, cx: &mut Cx<'_>, campaign_id: i64) {
        let agents = cx
            .store
            .users(cx.actor)
            .unwrap_or_default()
            .into_iter()
            .filter(|u| u.active && u.role == crate::domain::Role::Auxiliar)
            .map(|u| (u, true, String::new()))
            .collect();
        let unassigned = ContactFilter {
            agent_id: Some(0),
            ..Default::default()
        };
        *self = Self {
            campaign_id: Some(campaign_id),
            agents,
            pending: cx
                .shown(cx.store.pending_counts(campaign_id))
                .unwrap_or_default(),
            unassigned: cx
                .shown(cx.store.contacts_count(campaign_id, &unassigned))
                .unwrap_or(0),
            ..Default::default()
        };
    }

    /// Reloads counts the next time the panel shows (after an import elsewhere).
    pub fn invalidate(&mut self) {
        self.campaign_id = None;
    }

    fn plan(&self) -> Result<DistributionPlan, String> {
        let chosen: Vec<&(User, bool, String)> = self.agents.iter().filter(|a| a.1).collect();
        let weights: Vec<f64> = if chosen.iter().all(|a| a.2.trim().is_empty()) {
            Vec::new()
        } else {
            chosen
                .iter()
                .map(|a| {
                    a.2.trim()
                        .replace(',', ".")
                        .replace('%', "")
                        .parse::<f64>()
                        .map_err(|_| t("distribution.err_weight_values"))
                })
                .collect::<Result<_, _>>()?
        };
        Ok(DistributionPlan {
            agents: chosen.iter().map(|a| a.0.login.clone()).collect(),
            weights,
            order: self.order,
        })
    }

    /// Draws the panel; true when contacts moved.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, campaign_id: i64) -> bool {
        if self.campaign_id != Some(campaign_id) {
            self.load(cx, campaign_id);
        }
        let unassigned = self.unassigned;
        let mut changed = false;
        section_ui(ui, &t("distribution.title"));
        ui.label(
            RichText::new(tf(
                "distribution.unassigned",
                &[("n", &format::int(unassigned))],
            ))
            .weak(),
        );
        if self.agents.is_empty() {
            empty_state_ui(ui, &t("distribution.err_no_agents"));
            return false;
        }
        let mut touched = false;
        egui::Grid::new("distribution_agents")
            .num_columns(3)
            .spacing([16.0, 4.0])
            .show(ui, |ui| {
                ui.strong(t("contacts.agent"));
                ui.strong(t("distribution.weight"));
                ui.strong(t("distribution.pending"));
                ui.end_row();
                for (u, on, weight) in &mut self.agents {
                    touched |= ui.checkbox(on, &u.name).changed();
                    touched |= ui
                        .add_enabled(
                            *on,
                            egui::TextEdit::singleline(weight)
                                .desired_width(60.0)
                                .hint_text("%"),
                        )
                        .on_hover_text(t("distribution.weight_hover"))
                        .changed();
                    ui.label(format::int(
                        self.pending.get(&u.login).copied().unwrap_or(0),
                    ));
                    ui.end_row();
                }
            });
        ui.horizontal(|ui| {
            touched |= ui
                .radio_value(&mut self.order, Order::Blocks, t("distribution.blocks"))
                .changed();
            touched |= ui
                .radio_value(
                    &mut self.order,
                    Order::Interleaved,
                    t("distribution.interleaved"),
                )
                .changed();
        });
        if touched || self.preview.is_none() {
            self.preview = Some(self.plan().and_then(|p| {
                cx.store
                    .distribution_preview(cx.actor, campaign_id, &p)
                    .map_err(|e| e.to_string())
            }));
        }
        match &self.preview {
            Some(Ok(_)) if unassigned == 0 => {}
            Some(Ok(d)) => {
                ui.label(RichText::new(t("distribution.preview")).strong());
                for (login, n) in &d.assigned {
                    let name = self
                        .agents
                        .iter()
                        .find(|a| &a.0.login == login)
                        .map(|a| a.0.name.clone())
                        .unwrap_or_else(|| login.clone());
                    ui.label(format!("{name}: {}", format::int(*n)));
                }
            }
            Some(Err(e)) => widgets::error_text_ui(ui, e),
            None => {}
        }
        let can = unassigned > 0 && matches!(self.preview, Some(Ok(_)));
        if ui
            .add_enabled(
                can,
                egui::Button::new(RichText::new(t("distribution.apply")).strong()),
            )
            .on_disabled_hover_text(t("distribution.nothing"))
            .clicked()
            && let Ok(plan) = self.plan()
        {
            match cx.apply(Command::Distribute(campaign_id, plan)) {
                Ok(Applied::Done) | Ok(_) => {
                    changed = true;
                    self.load(cx, campaign_id);
                }
                Err(Error::Invalid(e)) => self.preview = Some(Err(e.message())),
                Err(_) => {}
            }
        }

        ui.add_space(12.0);
        section_ui(ui, &t("distribution.move_title"));
        ui.label(RichText::new(t("distribution.move_intro")).weak());
        let from_text = self
            .moving_from
            .as_ref()
            .and_then(|l| self.agents.iter().find(|a| &a.0.login == l))
            .map(|a| a.0.name.clone())
            .unwrap_or_else(|| t("common.choose"));
        combo_ui(ui, &t("distribution.from"), from_text, 240.0, |ui| {
            for (u, _, _) in &self.agents {
                ui.selectable_value(&mut self.moving_from, Some(u.login.clone()), &u.name);
            }
        });
        if let Some(from) = self.moving_from.clone() {
            let n = self.pending.get(&from).copied().unwrap_or(0);
            let to: Vec<String> = self
                .agents
                .iter()
                .filter(|a| a.1 && a.0.login != from)
                .map(|a| a.0.login.clone())
                .collect();
            let label = tf(
                "distribution.move_button",
                &[("n", &format::int(n)), ("k", &to.len())],
            );
            if ui
                .add_enabled(n > 0 && !to.is_empty(), egui::Button::new(label))
                .clicked()
            {
                self.confirm_move = Some((from, to));
            }
        }
        // Moving someone's work says how many contacts, whose, and to whom, and waits for a yes.
        if let Some((from, to)) = self.confirm_move.clone() {
            let name = |login: &String| {
                self.agents
                    .iter()
                    .find(|a| &a.0.login == login)
                    .map(|a| a.0.name.clone())
                    .unwrap_or_else(|| login.clone())
            };
            let body = tf(
                "distribution.move_confirm_body",
                &[
                    (
                        "n",
                        &format::int(self.pending.get(&from).copied().unwrap_or(0)),
                    ),
                    ("from", &name(&from)),
                    ("k", &to.len()),
                    ("to", &to.iter().map(name).collect::<Vec<_>>().join(", ")),
                ],
            );
            match confirm_ui(
                ui,
                "confirm_redistribute",
                &t("distribution.move_confirm_title"),
                &body,
                &t("distribution.move_confirm_yes"),
            ) {
                Confirm::Open => {}
                Confirm::No => self.confirm_move = None,
                Confirm::Yes => {
                    self.confirm_move = None;
                    match cx.apply(Command::Redistribute(campaign_id, from, to)) {
                        Ok(_) => {
                            changed = true;
                            self.load(cx, campaign_id);
                        }
                        Err(Error::Invalid(e)) => self.preview = Some(Err(e.message())),
                        Err(_) => {}
                    }
                }
            }
        }
        changed
    }
}
