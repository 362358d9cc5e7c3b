//! Seguimiento: the live tally of a campaign (`domain::tally`). A campaign picker (running
//! campaigns first), the campaign's figures for today and so far, a line per agent, and the
//! campaign's past distributions. The figures are read on a background job (a second
//! connection) every [`REFRESH_SECS`] and on "Actualizar": a frame never waits for them, and
//! the last figures stay on screen meanwhile. An agent sees only its own line.

use egui::{RichText, Ui};

use super::campaigns::status_color;
use super::{Tab, TabView};
use crate::domain::campaign::Campaign;
use crate::domain::indicators::Indicators;
use crate::domain::procedure::CampaignStatus;
use crate::domain::tally::{Figures, Periods, Tally, mmss};
use crate::domain::{Action, Role, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::Cx;
use crate::ui::widgets::{chip_ui, combo_ui, empty_state_ui, header_row_ui, section_ui};

/// Seconds between two automatic refreshes.
pub const REFRESH_SECS: f64 = 30.0;

/// Which figures the agents' table shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Period {
    /// Since midnight.
    #[default]
    Today,
    /// Since the campaign began.
    Campaign,
}

/// The Seguimiento tab.
#[derive(Default)]
pub struct TrackingTab {
    loaded: bool,
    campaigns: Vec<Campaign>,
    selected: Option<i64>,
    period: Period,
    /// The last figures read (of the selected campaign).
    tally: Option<Tally>,
    /// The campaign's indicators and the strategy's targets (for those who run or decide).
    indicators: Option<Read>,
    /// The read under way.
    job: Option<Job<(Tally, Option<Read>), Error>>,
    /// When (window time, seconds) the last read started.
    started: Option<f64>,
    /// A second connection for the reads.
    background: Option<Store>,
}

/// The indicators read with the figures, and the strategy's targets (by key, `UX.md`).
type Read = (Indicators, std::collections::BTreeMap<String, f64>);

/// Running campaigns first (active, then paused), then planned, then closed; newest first
/// within each.
fn order(s: CampaignStatus) -> u8 {
    match s {
        CampaignStatus::Activa => 0,
        CampaignStatus::Pausada => 1,
        CampaignStatus::Planificada => 2,
        CampaignStatus::Cerrada => 3,
    }
}

impl TrackingTab {
    fn reload(&mut self, cx: &mut Cx<'_>) {
        let mut list = cx.shown(cx.store.campaigns(cx.actor)).unwrap_or_default();
        // An agent follows campaigns that have started.
        if !cx.actor.can(Action::ViewAllBriefs) {
            list.retain(|c| c.status != CampaignStatus::Planificada);
        }
        list.sort_by_key(|c| (order(c.status), -c.id));
        if self
            .selected
            .is_none_or(|id| !list.iter().any(|c| c.id == id))
        {
            self.select(list.first().map(|c| c.id));
        }
        self.campaigns = list;
        self.loaded = true;
    }

    fn select(&mut self, id: Option<i64>) {
        if self.selected != id {
            self.selected = id;
            self.tally = None;
            self.indicators = None;
            self.job = None;
            self.started = None;
        }
    }

    /// Starts reading the figures off the UI thread.
    fn start(&mut self, ctx: &egui::Context, cx: &Cx<'_>, campaign_id: i64, now: f64) {
        let store = cx.background(&mut self.background);
        let actor = cx.actor.clone();
        let repaint = ctx.clone();
        let brief = self
            .campaigns
            .iter()
            .find(|c| c.id == campaign_id)
            .and_then(|c| c.brief_id);
        self.job = Some(Job::spawn(
            "tally",
            String::new(),
            move || repaint.request_repaint(),
            move |_, _| {
                let tally = store.tally(&actor, campaign_id)?;
                // The indicators against the strategy's targets: for those who run or decide.
                let read = if actor.can(Action::ViewAllBriefs) || actor.can(Action::RunCampaigns) {
                    let ind = store.indicators(&actor, campaign_id, None, None)?;
                    let targets = match brief {
                        Some(b) => store
                            .strategy_for_brief(&actor, b)?
                            .map(|s| s.form.targets)
                            .unwrap_or_default(),
                        None => Default::default(),
                    };
                    Some((ind, targets))
                } else {
                    None
                };
                Ok((tally, read))
            },
        ));
        self.started = Some(now);
    }

    /// Starts a read when due, and takes its result.
    fn refresh(&mut self, ui: &Ui, cx: &mut Cx<'_>, campaign_id: i64, asked: bool) {
        let now = ui.input(|i| i.time);
        let due = self.started.is_none_or(|at| now - at >= REFRESH_SECS);
        if self.job.is_none() && (asked || due) {
            self.start(ui.ctx(), cx, campaign_id, now);
        }
        if let Some(job) = &mut self.job {
            match job.poll() {
                Some(Ok((tally, read))) => {
                    if tally.campaign_id == campaign_id {
                        self.tally = Some(tally);
                        self.indicators = read;
                    }
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.job = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200)),
            }
        }
        if self.job.is_none()
            && let Some(at) = self.started
        {
            let wait = (at + REFRESH_SECS - now).max(0.5);
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(wait));
        }
    }
}

impl TabView for TrackingTab {
    fn id(&self) -> Tab {
        Tab::Seguimiento
    }

    fn label(&self) -> String {
        t("tab.tracking")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::ViewTally)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
        self.started = None;
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        egui::ScrollArea::both().show(ui, |ui| {
            section_ui(ui, &t("tab.tracking"));
            if self.campaigns.is_empty() {
                empty_state_ui(ui, &t("tally.no_campaigns"));
                return;
            }
            let mut asked = false;
            ui.horizontal(|ui| {
                let name = self
                    .selected
                    .and_then(|id| self.campaigns.iter().find(|c| c.id == id))
                    .map(|c| c.form.name.clone())
                    .unwrap_or_else(|| t("common.choose"));
                let mut chosen = self.selected;
                combo_ui(ui, &t("tally.campaign"), name, 320.0, |ui| {
                    for c in &self.campaigns {
                        let text = format!("{} · {}", c.form.name, c.status.label());
                        ui.selectable_value(&mut chosen, Some(c.id), text);
                    }
                });
                self.select(chosen);
                if let Some(c) = self
                    .selected
                    .and_then(|id| self.campaigns.iter().find(|c| c.id == id))
                {
                    chip_ui(ui, &c.status.label(), status_color(c.status));
                }
                if ui
                    .button(t("common.refresh"))
                    .on_hover_text(t("tally.refresh_hover"))
                    .clicked()
                {
                    asked = true;
                }
            });
            let Some(id) = self.selected else {
                empty_state_ui(ui, &t("tally.choose_campaign"));
                return;
            };
            self.refresh(ui, cx, id, asked);
            let Some(tally) = self.tally.clone() else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(t("tally.loading")).weak());
                });
                return;
            };
            let at = format::local(tally.computed_at, cx.settings);
            let mut note = tf(
                "tally.updated_at",
                &[("time", &format::time(&at, cx.settings.hour12))],
            );
            if self.job.is_some() {
                note = format!("{note} {}", t("tally.loading"));
            }
            ui.label(RichText::new(note).weak().small());
            ui.add_space(6.0);
            if let Some(summary) = &tally.summary {
                summary_ui(ui, summary);
                ui.add_space(10.0);
            }
            if let Some((ind, targets)) = &self.indicators {
                crate::ui::panels::indicators_table_ui(ui, ind, targets);
                ui.add_space(10.0);
            }
            self.agents_ui(ui, &tally);
            if tally.summary.is_some() {
                ui.add_space(10.0);
                distributions_ui(ui, cx, &tally);
            }
        });
    }
}

/// The headers and the cells of the campaign's figures.
fn summary_ui(ui: &mut Ui, p: &Periods) {
    ui.label(RichText::new(t("tally.summary_title")).strong());
    egui::Grid::new("tally_summary")
        .num_columns(9)
        .spacing([18.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for key in [
                "tally.col_records",
                "tally.col_handled",
                "tally.col_reached",
                "tally.col_positive",
                "tally.col_callbacks",
                "tally.col_pending",
                "tally.col_calls",
            ] {
                ui.strong(t(key));
            }
            ui.strong(t("tally.col_tmo"))
                .on_hover_text(t("tally.tmo_hover"));
            ui.end_row();
            for (key, f) in [
                ("tally.row_today", &p.today),
                ("tally.row_campaign", &p.campaign),
            ] {
                ui.strong(t(key));
                for n in [
                    f.assigned,
                    f.handled,
                    f.reached,
                    f.positive,
                    f.callbacks_today,
                    f.pending,
                    f.calls,
                ] {
                    ui.label(format::int(n));
                }
                ui.label(mmss(f.tmo_secs()));
                ui.end_row();
            }
        });
    ui.label(RichText::new(t("tally.reached_note")).weak().small());
}

impl TrackingTab {
    fn agents_ui(&mut self, ui: &mut Ui, tally: &Tally) {
        let mine = tally.summary.is_none();
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(if mine {
                    t("tally.mine_title")
                } else {
                    t("tally.agents_title")
                })
                .strong(),
            );
            ui.add_space(12.0);
            ui.selectable_value(&mut self.period, Period::Today, t("tally.period_today"));
            ui.selectable_value(
                &mut self.period,
                Period::Campaign,
                t("tally.period_campaign"),
            );
        });
        if tally.agents.is_empty() {
            empty_state_ui(ui, &t("tally.no_agents"));
            return;
        }
        egui::Grid::new("tally_agents")
            .num_columns(9)
            .spacing([18.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                for key in [
                    "tally.col_agent",
                    "tally.col_assigned",
                    "tally.col_handled",
                    "tally.col_reached",
                    "tally.col_positive",
                    "tally.col_callbacks",
                    "tally.col_pending",
                    "tally.col_calls_today",
                ] {
                    ui.strong(t(key));
                }
                ui.strong(t("tally.col_tmo"))
                    .on_hover_text(t("tally.tmo_hover"));
                ui.end_row();
                for a in &tally.agents {
                    let f: &Figures = match self.period {
                        Period::Today => &a.figures.today,
                        Period::Campaign => &a.figures.campaign,
                    };
                    ui.label(&a.name);
                    for n in [
                        f.assigned,
                        f.handled,
                        f.reached,
                        f.positive,
                        f.callbacks_today,
                        f.pending,
                        a.figures.today.calls,
                    ] {
                        ui.label(format::int(n));
                    }
                    ui.label(mmss(f.tmo_secs()));
                    ui.end_row();
                }
            });
    }
}

/// The campaign's past distributions, newest first.
fn distributions_ui(ui: &mut Ui, cx: &Cx<'_>, tally: &Tally) {
    ui.label(RichText::new(t("tally.distributions_title")).strong());
    if tally.distributions.is_empty() {
        empty_state_ui(ui, &t("tally.no_distributions"));
        return;
    }
    egui::Grid::new("tally_distributions")
        .num_columns(5)
        .spacing([18.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            header_row_ui(
                ui,
                &[
                    "tally.col_when",
                    "tally.col_who",
                    "tally.col_what",
                    "tally.col_contacts",
                    "tally.col_per_agent",
                ],
            );
            for e in &tally.distributions {
                ui.label(format::datetime(e.at, cx.settings));
                ui.label(&e.who);
                ui.label(match &e.from {
                    Some(from) => tf(
                        "tally.kind_from",
                        &[("what", &e.kind.label()), ("name", from)],
                    ),
                    None => e.kind.label(),
                });
                ui.label(format::int(e.total));
                if e.per_agent.is_empty() {
                    ui.label(RichText::new(t("tally.not_recorded")).weak());
                } else {
                    let parts: Vec<String> = e
                        .per_agent
                        .iter()
                        .map(|(name, n)| format!("{name}: {}", format::int(*n)))
                        .collect();
                    // One agent a line: the column stays narrow on a laptop.
                    ui.label(parts.join("\n"));
                }
                ui.end_row();
            }
        });
}
