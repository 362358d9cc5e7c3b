//! Estrategias. The head: the queue of submitted briefs, the decision, the strategy and its
//! assignment to a professional. The professional: the strategies assigned to them, with the
//! brief beside, and the campaign created from them.

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::Field;
use crate::domain::brief::Brief;
use crate::domain::brief::BriefFilter;
use crate::domain::campaign::{Campaign, CampaignForm};
use crate::domain::procedure::{BriefStatus, CampaignKind};
use crate::domain::strategy::{Amendment, Priority, Strategy, StrategyForm, TARGET_INDICATORS};
use crate::domain::{Action, Disposition, FieldError, Role, User};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Applied, Command, Cx, Nav};
use crate::ui::guard;
use crate::ui::panels::{DecisionPanel, brief_chips_ui, brief_record_ui, campaign_form_ui};
use crate::ui::widgets::{
    self, callout_ui, chip_ui, combo_ui, empty_state_ui, err_for, read_row_ui, section_ui,
    text_area_ui, text_field_ui,
};

/// The Estrategias tab.
#[derive(Default)]
pub struct StrategiesTab {
    loaded: bool,
    briefs: Vec<Brief>,
    strategies: Vec<(Strategy, Brief)>,
    professionals: Vec<User>,
    dispositions: Vec<Disposition>,
    selected: Option<i64>,
    strategy: StrategyForm,
    /// The selected brief's strategy as stored (read once, on selection).
    stored: Option<Strategy>,
    targets_text: Vec<(String, String)>,
    errors: Vec<FieldError>,
    decision: DecisionPanel,
    campaign: Option<Campaign>,
    campaign_form: CampaignForm,
    campaign_errors: Vec<FieldError>,
    /// The strategy and its targets as last loaded or saved: changes are what differs.
    baseline: (StrategyForm, Vec<(String, String)>),
    /// Another brief asked for while the strategy held changes: the question shows.
    pending: Option<i64>,
    /// A brief was selected: a new campaign form shown for it starts on its first field.
    campaign_focus: bool,
    /// The selected strategy is frozen (its campaign has run): changed only by amendments.
    frozen: bool,
    /// Its amendments, oldest first.
    amendments: Vec<Amendment>,
    /// The head is writing an amendment ("Registrar enmienda").
    amending: bool,
    /// The amendment's reason ("Motivo").
    amend_reason: String,
}

impl StrategiesTab {
    fn head(cx: &Cx<'_>) -> bool {
        cx.actor.can(Action::DecideBriefs)
    }

    fn reload(&mut self, cx: &mut Cx<'_>) {
        let r = if Self::head(cx) {
            cx.store
                .briefs(cx.actor, &BriefFilter::default())
                .map(|b| {
                    self.briefs = b
                        .into_iter()
                        .filter(|b| {
                            !matches!(b.status, BriefStatus::Borrador | BriefStatus::Devuelta)
                        })
                        .collect();
                })
                .and_then(|()| {
                    self.professionals = cx
                        .store
                        .users(cx.actor)?
                        .into_iter()
                        .filter(|u| u.active && u.role == Role::Profesional)
                        .collect();
                    Ok(())
                })
        } else {
            cx.store.strategies(cx.actor).map(|s| {
                self.briefs = s.iter().map(|(_, b)| b.clone()).collect();
                self.strategies = s;
            })
        };
        if let Err(e) = r {
            cx.toasts.error(e.to_string());
        }
        self.dispositions = cx.shown(cx.store.dispositions()).unwrap_or_default();
        self.loaded = true;
    }

    fn select(&mut self, cx: &mut Cx<'_>, id: i64) {
        self.selected = Some(id);
        self.errors.clear();
        self.decision = DecisionPanel::default();
        self.campaign_errors.clear();
        self.campaign_focus = true;
        let existing = cx
            .shown(cx.store.strategy_for_brief(cx.actor, id))
            .flatten();
        self.stored = existing.clone();
        let brief = self.briefs.iter().find(|b| b.id == id).cloned();
        self.strategy = existing.map(|s| s.form).unwrap_or_else(|| StrategyForm {
            start_date: brief
                .as_ref()
                .map(|b| b.form.start_date.clone())
                .unwrap_or_default(),
            end_date: brief
                .as_ref()
                .map(|b| b.form.end_date.clone())
                .unwrap_or_default(),
            ..Default::default()
        });
        self.targets_text = TARGET_INDICATORS
            .iter()
            .map(|(code, _)| {
                (
                    (*code).to_owned(),
                    self.strategy
                        .targets
                        .get(*code)
                        .map(|v| v.to_string().replace('.', ","))
                        .unwrap_or_default(),
                )
            })
            .collect();
        self.baseline = (self.strategy.clone(), self.targets_text.clone());
        self.campaign = cx.shown(cx.store.campaign_of_brief(cx.actor, id)).flatten();
        self.frozen = self.stored.is_some()
            && cx
                .shown(cx.store.strategy_frozen(cx.actor, id))
                .unwrap_or(false);
        self.amendments = if self.stored.is_some() {
            cx.shown(cx.store.strategy_amendments(cx.actor, id))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        self.amending = false;
        self.amend_reason.clear();
        if let Some(b) = brief {
            self.campaign_form = CampaignForm {
                name: b.form.campaign_name.clone(),
                kind: b.form.kind.unwrap_or(CampaignKind::Otro),
                start_date: if self.strategy.start_date.is_empty() {
                    b.form.start_date.clone()
                } else {
                    self.strategy.start_date.clone()
                },
                end_date: if self.strategy.end_date.is_empty() {
                    b.form.end_date.clone()
                } else {
                    self.strategy.end_date.clone()
                },
                dispositions: self
                    .dispositions
                    .iter()
                    .filter(|d| {
                        d.active
                            && (d.code != "encuesta_completa"
                                || b.form.kind == Some(CampaignKind::Encuesta))
                    })
                    .map(|d| d.id)
                    .collect(),
                ..Default::default()
            };
        }
    }
}

impl TabView for StrategiesTab {
    fn id(&self) -> Tab {
        Tab::Estrategias
    }

    fn label(&self) -> String {
        t("tab.strategies")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::DecideBriefs) || p(Action::RunCampaigns)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
    }

    fn open(&mut self, cx: &mut Cx<'_>, nav: Nav) {
        if let Nav::Strategy(id) = nav {
            self.reload(cx);
            self.select(cx, id);
        }
    }

    fn unsaved(&self) -> bool {
        self.selected.is_some()
            && (self.strategy != self.baseline.0
                || self.targets_text != self.baseline.1
                || (self.amending && !self.amend_reason.trim().is_empty()))
    }

    fn save_unsaved(&mut self, cx: &mut Cx<'_>) -> bool {
        match self.selected {
            Some(id) if self.amending => self.save_amendment(cx, id),
            Some(id) => self.save_strategy(cx, id, false),
            None => true,
        }
    }

    fn discard_unsaved(&mut self) {
        (self.strategy, self.targets_text) = self.baseline.clone();
        self.errors.clear();
        self.amending = false;
        self.amend_reason.clear();
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        egui::Panel::left("strategies_list")
            .default_size(340.0)
            .resizable(true)
            .show(ui, |ui| self.list_ui(ui, cx));
        self.pending_ui(ui, cx);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                let Some(b) = self
                    .selected
                    .and_then(|id| self.briefs.iter().find(|b| b.id == id).cloned())
                else {
                    empty_state_ui(
                        ui,
                        &if Self::head(cx) {
                            t("strategy.select_hint_head")
                        } else {
                            t("strategy.select_hint")
                        },
                    );
                    return;
                };
                if Self::head(cx) {
                    self.head_detail_ui(ui, cx, &b);
                } else {
                    self.professional_detail_ui(ui, cx, &b);
                }
            });
        });
        if let Some(id) = self.selected
            && self.decision.confirm_ui(ui, cx, id)
        {
            self.reload(cx);
            self.select(cx, id);
        }
    }
}

impl StrategiesTab {
    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.add_space(6.0);
        ui.heading(t("tab.strategies"));
        ui.separator();
        if self.briefs.is_empty() {
            empty_state_ui(
                ui,
                &if Self::head(cx) {
                    t("strategy.empty_head")
                } else {
                    t("strategy.empty")
                },
            );
            return;
        }
        let groups: Vec<(String, Vec<Brief>)> = if Self::head(cx) {
            let by = |pred: &dyn Fn(BriefStatus) -> bool| -> Vec<Brief> {
                self.briefs
                    .iter()
                    .filter(|b| pred(b.status))
                    .cloned()
                    .collect()
            };
            vec![
                (
                    t("strategy.group_to_decide"),
                    by(&|s| s == BriefStatus::Enviada),
                ),
                (
                    t("strategy.group_defining"),
                    by(&|s| s == BriefStatus::EnDefinicion),
                ),
                (
                    t("strategy.group_assigned"),
                    by(&|s| {
                        matches!(
                            s,
                            BriefStatus::Asignada
                                | BriefStatus::EnEjecucion
                                | BriefStatus::Finalizada
                                | BriefStatus::InformeEntregado
                        )
                    }),
                ),
                (
                    t("strategy.group_closed"),
                    by(&|s| s == BriefStatus::Rechazada),
                ),
            ]
        } else {
            vec![(t("strategy.group_mine"), self.briefs.clone())]
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (title, briefs) in groups {
                ui.label(RichText::new(format!("{title} ({})", briefs.len())).strong());
                if briefs.is_empty() {
                    // "Nada por decidir": the empty group says so in words.
                    let empty = [
                        ("strategy.group_to_decide", "strategy.group_to_decide_empty"),
                        ("strategy.group_defining", "strategy.group_defining_empty"),
                        ("strategy.group_assigned", "strategy.group_assigned_empty"),
                        ("strategy.group_closed", "strategy.group_closed_empty"),
                        ("strategy.group_mine", "strategy.group_mine_empty"),
                    ]
                    .into_iter()
                    .find(|(k, _)| t(k) == title)
                    .map_or_else(|| "—".to_owned(), |(_, e)| t(e));
                    ui.label(RichText::new(empty).weak());
                }
                for b in briefs {
                    let selected = self.selected == Some(b.id);
                    let r = ui
                        .vertical(|ui| {
                            let r = ui.selectable_label(
                                selected,
                                RichText::new(&b.form.campaign_name).strong(),
                            );
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(format!(
                                        "{} · {}",
                                        tf("text.number", &[("n", &b.id)]),
                                        b.department
                                    ))
                                    .weak()
                                    .small(),
                                );
                                brief_chips_ui(ui, &b);
                            });
                            r
                        })
                        .inner;
                    if r.clicked() && self.selected != Some(b.id) {
                        if self.unsaved() {
                            self.pending = Some(b.id);
                        } else {
                            self.select(cx, b.id);
                        }
                    }
                }
                ui.add_space(8.0);
            }
        });
    }

    fn head_detail_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief) {
        ui.horizontal(|ui| {
            section_ui(ui, &b.form.campaign_name);
            brief_chips_ui(ui, b);
        });
        if b.is_late() {
            callout_ui(
                ui,
                &t("brief.late"),
                &tf("brief.late_short", &[("days", &b.late_days.unwrap_or(0))]),
                widgets::WARNING,
            );
        }
        if b.status.can_return() && self.decision.ui(ui, cx, b) {
            self.reload(cx);
            self.select(cx, b.id);
            return;
        }
        let editable = matches!(b.status, BriefStatus::EnDefinicion | BriefStatus::Asignada);
        two_columns_ui(
            ui,
            |ui| {
                ui.label(RichText::new(t("strategy.the_brief")).strong());
                brief_record_ui(ui, b);
            },
            |ui| {
                if self.frozen && self.amending {
                    self.strategy_form_ui(ui, cx, b);
                } else if self.frozen {
                    if let Some(s) = &self.stored {
                        strategy_read_ui(ui, s);
                    }
                    ui.add_space(6.0);
                    ui.label(RichText::new(t("strategy.frozen_note")).weak());
                    let amend = ui
                        .horizontal(|ui| {
                            ui.button(RichText::new(t("strategy.amend")).strong())
                                .on_hover_text(t("strategy.amend_hover"))
                                .clicked()
                        })
                        .inner;
                    if amend {
                        self.amending = true;
                        self.amend_reason.clear();
                        self.errors.clear();
                    }
                } else if editable {
                    self.strategy_form_ui(ui, cx, b);
                } else if let Some(s) = &self.stored {
                    strategy_read_ui(ui, s);
                } else {
                    ui.label(RichText::new(t("strategy.after_accept")).weak());
                }
                if self.frozen {
                    ui.add_space(10.0);
                    amendments_ui(ui, cx, &self.amendments);
                }
            },
        );
    }

    fn strategy_form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief) {
        let before = (self.strategy.clone(), self.targets_text.clone());
        self.strategy_fields_ui(ui, cx, b);
        if !self.errors.is_empty() {
            let mut changed = self.strategy.changed_fields(&before.0);
            if self.targets_text != before.1 {
                changed.push(Field::Targets);
            }
            let assigning = self.errors.iter().any(|e| e.field == Field::AssignedTo);
            let fresh = if changed.is_empty() {
                Vec::new()
            } else {
                self.strategy_errors(assigning)
            };
            widgets::revalidate(&mut self.errors, &changed, fresh);
            // The amendment's reason, once written, no longer shows as missing.
            if !self.amend_reason.trim().is_empty() {
                self.errors.retain(|e| e.field != Field::Comment);
            }
        }
    }

    fn strategy_fields_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief) {
        if self.amending {
            ui.label(RichText::new(t("strategy.amend_title")).strong());
            ui.label(RichText::new(t("strategy.amend_intro")).weak());
        } else {
            ui.label(RichText::new(t("strategy.title")).strong());
        }
        widgets::required_legend_ui(ui);
        let f = &mut self.strategy;
        let e = &self.errors;
        text_area_ui(
            ui,
            widgets::req(&t("strategy.approach")),
            &mut f.approach,
            err_for(e, Field::Approach),
            3,
        );
        text_area_ui(
            ui,
            &t("strategy.arguments"),
            &mut f.arguments,
            err_for(e, Field::Arguments),
            3,
        );
        combo_ui(
            ui,
            &t("strategy.priority"),
            f.priority.label(),
            200.0,
            |ui| {
                for p in Priority::ALL {
                    ui.selectable_value(&mut f.priority, p, p.label());
                }
            },
        );
        ui.label(RichText::new(t("strategy.targets")).strong());
        egui::Grid::new("targets_grid")
            .num_columns(2)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (code, text) in &mut self.targets_text {
                    let l = ui.label(t(&format!("indicator.{code}")));
                    ui.add(egui::TextEdit::singleline(text).desired_width(90.0))
                        .labelled_by(l.id);
                    ui.end_row();
                }
            });
        for m in e.iter().filter(|e| e.field == Field::Targets) {
            widgets::error_text_ui(ui, &m.message);
        }
        let mut agents = f.agents.map(|a| a.to_string()).unwrap_or_default();
        text_field_ui(
            ui,
            &t("strategy.agents"),
            &mut agents,
            err_for(e, Field::Agents),
        );
        f.agents = agents.trim().parse().ok();
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(180.0);
                widgets::date_field_ui(
                    ui,
                    &t("strategy.start"),
                    &mut f.start_date,
                    err_for(e, Field::StartDate),
                );
            });
            ui.vertical(|ui| {
                ui.set_width(180.0);
                widgets::date_field_ui(
                    ui,
                    &t("strategy.end"),
                    &mut f.end_date,
                    err_for(e, Field::EndDate),
                );
            });
        });
        let who = f
            .assigned_to
            .and_then(|id| self.professionals.iter().find(|u| u.id == id))
            .map(|u| u.name.clone())
            .unwrap_or_else(|| t("common.choose"));
        combo_ui(
            ui,
            widgets::req(&t("strategy.assigned")),
            who,
            300.0,
            |ui| {
                for u in &self.professionals {
                    ui.selectable_value(&mut f.assigned_to, Some(u.id), &u.name);
                }
            },
        );
        if let Some(m) = err_for(e, Field::AssignedTo) {
            widgets::error_text_ui(ui, m);
        }
        if self.professionals.is_empty() {
            widgets::error_text_ui(ui, &t("strategy.no_professionals"));
        }
        ui.add_space(6.0);
        if self.amending {
            text_area_ui(
                ui,
                widgets::req(&t("strategy.amend_reason")),
                &mut self.amend_reason,
                err_for(&self.errors, Field::Comment),
                2,
            );
            let mut save = false;
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new(t("strategy.amend_save")).strong())
                    .clicked()
                {
                    save = true;
                }
                if ui.button(t("common.cancel")).clicked() {
                    self.discard_unsaved();
                }
            });
            if save {
                self.save_amendment(cx, b.id);
            }
            return;
        }
        let mut save = None;
        ui.horizontal(|ui| {
            if ui.button(t("strategy.save")).clicked() {
                save = Some(false);
            }
            let assign_label = if b.status == BriefStatus::Asignada {
                t("strategy.reassign")
            } else {
                t("strategy.assign")
            };
            if ui.button(RichText::new(assign_label).strong()).clicked() {
                save = Some(true);
            }
        });
        if let Some(assign) = save {
            self.save_strategy(cx, b.id, assign);
        }
    }

    /// "¿Guardar los cambios?" while another brief waits.
    fn pending_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(to) = self.pending else {
            return;
        };
        let body = tf("unsaved.body", &[("what", &t("tab.strategies"))]);
        if let Some(go) = guard::leave_ui(ui.ctx(), cx, self, &body) {
            self.pending = None;
            if go {
                self.select(cx, to);
            }
        }
    }

    /// Reads the typed targets into the strategy; the ones that are not numbers, as errors.
    fn read_targets(&mut self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut targets = std::collections::BTreeMap::new();
        for (code, typed) in &self.targets_text {
            let text = typed.trim().replace(',', ".").replace('%', "");
            if text.is_empty() {
                continue;
            }
            match text.trim().parse::<f64>() {
                Ok(v) => {
                    targets.insert(code.clone(), v);
                }
                Err(_) => errors.push(FieldError::with(
                    crate::domain::Field::Targets,
                    "strategy.err_target_number",
                    &[
                        ("indicator", &t(&format!("indicator_name.{code}"))),
                        ("value", &typed.trim()),
                    ],
                )),
            }
        }
        self.strategy.targets = targets;
        errors
    }

    /// Every problem of the strategy at once: targets that are not numbers, then the rules.
    fn strategy_errors(&mut self, assign: bool) -> Vec<FieldError> {
        let mut errors = self.read_targets();
        errors.extend(self.strategy.validate(assign));
        errors
    }

    /// Saves the strategy (and assigns it); false when it was not saved (the errors show).
    fn save_strategy(&mut self, cx: &mut Cx<'_>, brief_id: i64, assign: bool) -> bool {
        self.errors = self.strategy_errors(assign);
        if !self.errors.is_empty() {
            return false;
        }
        match cx.apply(Command::SaveStrategy {
            brief_id,
            form: self.strategy.clone(),
            assign,
        }) {
            Ok(_) => {
                self.reload(cx);
                self.select(cx, brief_id);
                true
            }
            Err(Error::Invalid(e)) => {
                self.errors.push(e);
                false
            }
            Err(_) => false,
        }
    }

    /// Records the amendment (the reason is required); false when it was not recorded (the
    /// errors show).
    fn save_amendment(&mut self, cx: &mut Cx<'_>, brief_id: i64) -> bool {
        self.errors = self.strategy_errors(true);
        if self.amend_reason.trim().is_empty() {
            self.errors.insert(
                0,
                FieldError::new(Field::Comment, "strategy.err_amend_reason"),
            );
        }
        if !self.errors.is_empty() {
            return false;
        }
        match cx.apply(Command::AmendStrategy {
            brief_id,
            form: self.strategy.clone(),
            why: self.amend_reason.clone(),
        }) {
            Ok(_) => {
                self.reload(cx);
                self.select(cx, brief_id);
                true
            }
            Err(Error::Invalid(e)) => {
                self.errors.push(e);
                false
            }
            Err(_) => false,
        }
    }

    fn professional_detail_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief) {
        ui.horizontal(|ui| {
            section_ui(ui, &b.form.campaign_name);
            brief_chips_ui(ui, b);
        });
        let strategy = self
            .strategies
            .iter()
            .find(|(s, _)| s.brief_id == b.id)
            .map(|(s, _)| s.clone());
        two_columns_ui(
            ui,
            |ui| {
                ui.label(RichText::new(t("strategy.the_brief")).strong());
                brief_record_ui(ui, b);
            },
            |ui| {
                if let Some(s) = &strategy {
                    strategy_read_ui(ui, s);
                }
                if self.frozen {
                    ui.add_space(10.0);
                    amendments_ui(ui, cx, &self.amendments);
                }
            },
        );
        ui.add_space(10.0);
        ui.separator();
        section_ui(ui, &t("campaign.title"));
        match &self.campaign {
            Some(c) => {
                ui.horizontal(|ui| {
                    ui.label(RichText::new(&c.form.name).strong());
                    chip_ui(ui, &c.status.label(), widgets::ACCENT);
                    if ui.button(t("campaign.open")).clicked() {
                        let _ = cx.apply(Command::Open(Nav::Campaign(c.id)));
                    }
                });
            }
            None if b.status == BriefStatus::Asignada && cx.actor.can(Action::RunCampaigns) => {
                ui.label(RichText::new(t("campaign.create_intro")).weak());
                campaign_form_ui(
                    ui,
                    &mut self.campaign_form,
                    &self.campaign_errors,
                    &self.dispositions,
                    std::mem::take(&mut self.campaign_focus),
                );
                if ui
                    .button(RichText::new(t("campaign.create")).strong())
                    .clicked()
                {
                    self.campaign_errors = self.campaign_form.validate();
                    if self.campaign_errors.is_empty() {
                        match cx.apply(Command::CreateCampaign(b.id, self.campaign_form.clone())) {
                            Ok(Applied::Campaign(c)) => self.campaign = Some(*c),
                            Ok(_) => {}
                            Err(Error::Invalid(e)) => self.campaign_errors.push(e),
                            Err(_) => {}
                        }
                    }
                }
            }
            None => {
                ui.label(RichText::new(t("campaign.none")).weak());
            }
        }
    }
}

/// The narrowest a column of the brief-and-strategy page gets before the two stack.
const COLUMN_MIN: f32 = 340.0;

/// The brief and the strategy side by side when each column keeps [`COLUMN_MIN`]; on a
/// narrower window (a 1024 px laptop) one below the other, so no text breaks letter by letter.
fn two_columns_ui(ui: &mut Ui, left: impl FnOnce(&mut Ui), right: impl FnOnce(&mut Ui)) {
    if ui.available_width() >= 2.0 * COLUMN_MIN + ui.spacing().item_spacing.x {
        ui.columns(2, |cols| {
            left(&mut cols[0]);
            right(&mut cols[1]);
        });
    } else {
        left(ui);
        ui.add_space(10.0);
        ui.separator();
        right(ui);
    }
}

/// A strategy, read-only.
pub fn strategy_read_ui(ui: &mut Ui, s: &Strategy) {
    ui.label(RichText::new(t("strategy.title")).strong());
    egui::Grid::new(("strategy_read", s.id))
        .num_columns(2)
        .spacing([12.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            read_row_ui(ui, &t("strategy.approach"), &s.form.approach);
            read_row_ui(ui, &t("strategy.arguments"), &s.form.arguments);
            read_row_ui(ui, &t("strategy.priority"), &s.form.priority.label());
            for (code, pct) in TARGET_INDICATORS {
                if let Some(v) = s.form.targets.get(code) {
                    let text = if pct {
                        crate::domain::format::percent(v / 100.0)
                    } else {
                        v.to_string().replace('.', ",")
                    };
                    read_row_ui(ui, &t(&format!("indicator.{code}")), &text);
                }
            }
            read_row_ui(
                ui,
                &t("strategy.agents"),
                &s.form.agents.map(|a| a.to_string()).unwrap_or_default(),
            );
            read_row_ui(ui, &t("strategy.start"), &s.form.start_date);
            read_row_ui(ui, &t("strategy.end"), &s.form.end_date);
            read_row_ui(
                ui,
                &t("strategy.assigned"),
                &s.assigned_name.clone().unwrap_or_default(),
            );
        });
}

/// A frozen strategy's amendments, oldest first: when and who, each change (old → new) and
/// why — one under the other, full width (a narrow column never breaks a word per line).
fn amendments_ui(ui: &mut Ui, cx: &Cx<'_>, amendments: &[Amendment]) {
    ui.label(RichText::new(t("strategy.amendments")).strong());
    if amendments.is_empty() {
        ui.label(RichText::new(t("strategy.no_amendments")).weak());
        return;
    }
    for a in amendments {
        ui.separator();
        ui.label(
            RichText::new(format!(
                "{} · {}",
                crate::domain::format::datetime(a.at, cx.settings),
                a.who
            ))
            .strong(),
        );
        for c in &a.changes {
            ui.add(egui::Label::new(format!("• {}", c.describe())).wrap());
        }
        ui.add(
            egui::Label::new(
                RichText::new(format!("{}: {}", t("strategy.amend_why"), a.reason)).italics(),
            )
            .wrap(),
        );
    }
}
