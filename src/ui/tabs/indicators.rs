//! Indicadores (dashboards, `UX.md`): filters on top (campaign or every campaign, a period of
//! local days, an agent), the indicator cards against the strategy's targets, then outcomes by
//! disposition, the reasons for no interest, attempts and records reached per day, the
//! contactability heatmap by time band × weekday, the per-agent table, the breakdowns by
//! program and city, the survey's answers and the inbound calls per week. The figures are read
//! on a background job (`Store::dashboard` on a second connection): a frame never waits; the
//! pickers' lists (campaigns, agents: two small reads) when the tab opens.

use std::collections::BTreeMap;

use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use super::{Tab, TabView};
use crate::domain::call::Band;
use crate::domain::campaign::Campaign;
use crate::domain::indicators::{Dashboard, DashboardFilter, GroupRow, Heatmap};
use crate::domain::tally::mmss;
use crate::domain::{Action, Role, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::Cx;
use crate::ui::panels::{ConversionPanel, ProcessPanel, indicator_cards_ui};
use crate::ui::widgets::{ACCENT, empty_state_ui, error_text_ui, header_row_ui, section_ui};

/// What a read brings: the dashboard and the strategy's targets (one campaign with one).
type Read = (Dashboard, BTreeMap<String, f64>);

/// The Indicadores tab.
#[derive(Default)]
pub struct IndicatorsTab {
    loaded: bool,
    campaigns: Vec<Campaign>,
    agents: Vec<(i64, String)>,
    /// The filter being edited.
    campaign: Option<i64>,
    from_text: String,
    to_text: String,
    agent: Option<i64>,
    date_error: Option<String>,
    /// The filter of the figures shown (or being read).
    applied: Option<DashboardFilter>,
    shown: Option<Read>,
    job: Option<Job<Read, Error>>,
    background: Option<Store>,
    /// Campaigns or, for the head, the process (ISO 9001 9.1).
    page: Page,
    /// The real conversion of the campaign shown (the academic system's lists).
    conversion: ConversionPanel,
    /// The process indicators and the register of non-conformities (the head).
    process: ProcessPanel,
}

/// The tab's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Page {
    /// The campaigns' dashboards.
    #[default]
    Campanas,
    /// Indicadores del proceso (the head).
    Proceso,
}

impl IndicatorsTab {
    fn reload(&mut self, cx: &mut Cx<'_>) {
        let mut list = cx.shown(cx.store.campaigns(cx.actor)).unwrap_or_default();
        list.sort_by_key(|c| -c.id);
        self.agents = cx
            .store
            .users(cx.actor)
            .map(|users| {
                users
                    .into_iter()
                    .filter(|u| matches!(u.role, Role::Auxiliar | Role::Profesional))
                    .map(|u| (u.id, u.name))
                    .collect()
            })
            .unwrap_or_default();
        // The running campaign first by default.
        if self.applied.is_none() && self.campaign.is_none() {
            self.campaign = list
                .iter()
                .find(|c| c.status == crate::domain::procedure::CampaignStatus::Activa)
                .or(list.first())
                .map(|c| c.id);
        }
        self.campaigns = list;
        self.loaded = true;
        self.applied = None;
    }

    /// The filter as edited, or the words of what is wrong with its dates.
    fn filter(&self) -> Result<DashboardFilter, String> {
        let day = |s: &str, key: &str| -> Result<Option<chrono::NaiveDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            crate::domain::brief::parse_date(s)
                .map(Some)
                .ok_or_else(|| tf("dashboard.err_date", &[("field", &t(key)), ("text", &s)]))
        };
        let from = day(&self.from_text, "dashboard.from")?;
        let to = day(&self.to_text, "dashboard.to")?;
        if let (Some(f), Some(tt)) = (from, to)
            && f > tt
        {
            return Err(t("dashboard.err_backwards"));
        }
        Ok(DashboardFilter {
            campaign_id: self.campaign,
            from,
            to,
            agent_id: self.agent,
        })
    }

    /// Starts reading when the filter changed, and takes the result.
    fn refresh(&mut self, ui: &Ui, cx: &mut Cx<'_>, asked: bool) {
        match self.filter() {
            Ok(f) => {
                self.date_error = None;
                if (asked || self.applied.as_ref() != Some(&f)) && self.job.is_none() {
                    self.start(ui.ctx(), cx, f);
                }
            }
            Err(e) => self.date_error = Some(e),
        }
        if let Some(job) = &mut self.job {
            match job.poll() {
                Some(Ok(read)) => {
                    self.shown = Some(read);
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.job = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    fn start(&mut self, ctx: &egui::Context, cx: &Cx<'_>, filter: DashboardFilter) {
        let store = cx.background(&mut self.background);
        let actor = cx.actor.clone();
        let repaint = ctx.clone();
        let brief = filter
            .campaign_id
            .and_then(|id| self.campaigns.iter().find(|c| c.id == id))
            .and_then(|c| c.brief_id);
        self.applied = Some(filter.clone());
        self.job = Some(Job::spawn(
            "dashboard",
            String::new(),
            move || repaint.request_repaint(),
            move |_, _| {
                let d = store.dashboard(&actor, &filter)?;
                let targets = match brief {
                    Some(b) => store
                        .strategy_for_brief(&actor, b)?
                        .map(|s| s.form.targets)
                        .unwrap_or_default(),
                    None => Default::default(),
                };
                Ok((d, targets))
            },
        ));
    }

    fn filters_ui(&mut self, ui: &mut Ui) -> bool {
        let mut asked = false;
        ui.horizontal_wrapped(|ui| {
            let all = t("dashboard.all_campaigns");
            let name = self
                .campaign
                .and_then(|id| self.campaigns.iter().find(|c| c.id == id))
                .map_or(all.clone(), |c| c.form.name.clone());
            crate::ui::widgets::inline_combo_ui(ui, &t("dashboard.campaign"), name, 240.0, |ui| {
                ui.selectable_value(&mut self.campaign, None, &all);
                for c in &self.campaigns {
                    let text = format!("{} · {}", c.form.name, c.status.label());
                    ui.selectable_value(&mut self.campaign, Some(c.id), text);
                }
            });
            for (key, text) in [
                ("dashboard.from", &mut self.from_text),
                ("dashboard.to", &mut self.to_text),
            ] {
                let l = ui.label(t(key));
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text(t("common.date_hint"))
                        .desired_width(86.0),
                )
                .labelled_by(l.id);
            }
            let every = t("dashboard.all_agents");
            let agent = self
                .agent
                .and_then(|id| self.agents.iter().find(|(a, _)| *a == id))
                .map_or(every.clone(), |(_, n)| n.clone());
            crate::ui::widgets::inline_combo_ui(ui, &t("dashboard.agent"), agent, 160.0, |ui| {
                ui.selectable_value(&mut self.agent, None, &every);
                for (id, name) in &self.agents {
                    ui.selectable_value(&mut self.agent, Some(*id), name);
                }
            });
            if ui
                .button(t("common.refresh"))
                .on_hover_text(t("dashboard.refresh_hover"))
                .clicked()
            {
                asked = true;
            }
            if self.job.is_some() {
                ui.spinner();
                ui.label(RichText::new(t("dashboard.loading")).weak());
            }
        });
        if let Some(e) = &self.date_error {
            error_text_ui(ui, e);
        }
        asked
    }
}

impl TabView for IndicatorsTab {
    fn id(&self) -> Tab {
        Tab::Indicadores
    }

    fn label(&self) -> String {
        t("tab.indicators")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::ViewAllBriefs)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
        self.conversion.mark_stale();
        self.process.mark_stale();
    }

    fn unsaved(&self) -> bool {
        self.process.unsaved()
    }

    fn save_unsaved(&mut self, cx: &mut Cx<'_>) -> bool {
        self.process.save(cx)
    }

    fn discard_unsaved(&mut self) {
        self.process.discard();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        // The head also keeps the process's own indicators (UX.md: inside Indicadores).
        if cx.actor.can(Action::ManageQuality) {
            ui.horizontal(|ui| {
                for (p, key) in [
                    (Page::Campanas, "dashboard.page_campaigns"),
                    (Page::Proceso, "process.title"),
                ] {
                    if ui.selectable_label(self.page == p, t(key)).clicked() {
                        self.page = p;
                    }
                }
            });
            ui.separator();
        } else {
            self.page = Page::Campanas;
        }
        if self.page == Page::Proceso {
            egui::ScrollArea::vertical()
                .id_salt("process")
                .auto_shrink(false)
                .show(ui, |ui| self.process.ui(ui, cx));
            return;
        }
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                section_ui(ui, &t("tab.indicators"));
                let asked = self.filters_ui(ui);
                self.refresh(ui, cx, asked);
                ui.add_space(6.0);
                let Some((d, targets)) = &self.shown else {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(RichText::new(t("dashboard.loading")).weak());
                    });
                    return;
                };
                dashboard_ui(ui, cx, d, targets);
                if let Some(campaign) = self.applied.as_ref().and_then(|f| f.campaign_id) {
                    ui.add_space(12.0);
                    self.conversion.ui(ui, cx, campaign);
                }
            });
    }
}

fn title_ui(ui: &mut Ui, key: &str) {
    ui.add_space(12.0);
    ui.label(RichText::new(t(key)).strong().size(15.0));
}

/// The whole dashboard below the filters.
fn dashboard_ui(ui: &mut Ui, cx: &Cx<'_>, d: &Dashboard, targets: &BTreeMap<String, f64>) {
    indicator_cards_ui(ui, &d.indicators, targets);
    ui.label(
        RichText::new(tf(
            "dashboard.cards_note",
            &[
                ("contactados", &format::int(d.indicators.contactados)),
                ("positivos", &format::int(d.indicators.positivos)),
                ("marcaciones", &format::int(d.indicators.marcaciones)),
                ("terceros", &format::int(d.terceros)),
            ],
        ))
        .weak()
        .small(),
    );
    if d.indicators.marcaciones == 0 {
        ui.add_space(8.0);
        empty_state_ui(ui, &t("dashboard.no_calls"));
    } else {
        let wide = ui.available_width() >= 1200.0;
        let half = if wide {
            (ui.available_width() - 28.0) / 2.0
        } else {
            ui.available_width()
        };
        let pair = |ui: &mut Ui, a: &dyn Fn(&mut Ui), b: &dyn Fn(&mut Ui)| {
            if wide {
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_width(half);
                        a(ui)
                    });
                    ui.add_space(16.0);
                    ui.vertical(|ui| {
                        ui.set_width(half);
                        b(ui)
                    });
                });
            } else {
                a(ui);
                b(ui);
            }
        };
        pair(ui, &|ui| outcomes_ui(ui, d), &|ui| reasons_ui(ui, d));
        pair(ui, &|ui| days_ui(ui, d), &|ui| heatmap_ui(ui, &d.heatmap));
        agents_ui(ui, d);
        pair(
            ui,
            &|ui| {
                groups_ui(
                    ui,
                    "dashboard.by_program",
                    "dashboard.col_program",
                    &d.programs,
                )
            },
            &|ui| groups_ui(ui, "dashboard.by_city", "dashboard.col_city", &d.cities),
        );
        survey_ui(ui, d);
    }
    inbound_ui(ui, cx, d);
}

/// Outcomes: records by their best outcome (bars), attempts on hover.
fn outcomes_ui(ui: &mut Ui, d: &Dashboard) {
    title_ui(ui, "dashboard.outcomes_title");
    let rows: Vec<_> = d.outcomes.iter().rev().collect();
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Bar::new(i as f64, r.records as f64)
                .name(tf(
                    "dashboard.outcome_tip",
                    &[
                        ("name", &r.name),
                        ("records", &format::int(r.records)),
                        ("attempts", &format::int(r.attempts)),
                    ],
                ))
                .fill(category_color(&r.category))
                .width(0.7)
        })
        .collect();
    bars_ui(ui, "dash_outcomes", &t("dashboard.records"), names, bars);
}

/// A horizontal bar chart, one bar a row with its name on the axis, hover text per bar;
/// `axis` names the values.
fn bars_ui(ui: &mut Ui, id: &str, axis: &str, names: Vec<String>, bars: Vec<Bar>) {
    let rows = bars.len();
    let chart = BarChart::new(axis, bars)
        .horizontal()
        .element_formatter(Box::new(|b, _| b.name.clone()));
    Plot::new(id)
        .height(40.0 + 24.0 * rows as f32)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .show_grid([true, false])
        .x_axis_label(axis)
        .custom_y_axes(vec![
            egui_plot::AxisHints::new_y()
                .formatter(move |m, _| label_at(&names, m.value))
                .label_spacing(12.0..=14.0)
                .min_thickness(150.0),
        ])
        .y_grid_spacer(every_row)
        .width(ui.available_width())
        .show(ui, |p| p.bar_chart(chart));
}

/// A grid mark on every row of a bar chart (each bar's name shows).
fn every_row(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    let (lo, hi) = input.bounds;
    (lo.ceil().max(0.0) as i64..=hi.floor() as i64)
        .map(|i| egui_plot::GridMark {
            value: i as f64,
            step_size: 1.0,
        })
        .collect()
}

fn label_at(names: &[String], v: f64) -> String {
    let i = v.round();
    if (v - i).abs() > 0.01 || i < 0.0 {
        return String::new();
    }
    names.get(i as usize).cloned().unwrap_or_default()
}

fn category_color(category: &str) -> Color32 {
    match category {
        "positivo" => Color32::from_rgb(0x2e, 0x7d, 0x32),
        "agendado" => Color32::from_rgb(0x1f, 0x5f, 0xad),
        "negativo" | "exclusion" => Color32::from_rgb(0xc6, 0x28, 0x28),
        "tercero" => Color32::from_rgb(0x8e, 0x5c, 0xb8),
        "numero_invalido" => Color32::from_rgb(0x6d, 0x6d, 0x6d),
        _ => Color32::from_rgb(0xb2, 0x6a, 0x00),
    }
}

/// The coded reasons for no interest (bars).
fn reasons_ui(ui: &mut Ui, d: &Dashboard) {
    title_ui(ui, "dashboard.reasons_title");
    if d.reasons.is_empty() {
        empty_state_ui(ui, &t("dashboard.no_reasons"));
        return;
    }
    let label = |code: &str| {
        if code.is_empty() {
            t("dashboard.not_given")
        } else {
            crate::domain::settings::reason_label(code)
        }
    };
    let rows: Vec<_> = d.reasons.iter().rev().collect();
    let names: Vec<String> = rows.iter().map(|r| label(&r.0)).collect();
    let total: i64 = d.reasons.iter().map(|r| r.1).sum();
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, (code, n))| {
            Bar::new(i as f64, *n as f64)
                .name(tf(
                    "dashboard.reason_tip",
                    &[
                        ("name", &label(code)),
                        ("n", &format::int(*n)),
                        ("share", &format::percent(*n as f64 / total as f64)),
                    ],
                ))
                .fill(Color32::from_rgb(0xc6, 0x28, 0x28))
                .width(0.7)
        })
        .collect();
    bars_ui(ui, "dash_reasons", &t("dashboard.attempts"), names, bars);
}

/// Attempts and records reached per day (lines).
fn days_ui(ui: &mut Ui, d: &Dashboard) {
    title_ui(ui, "dashboard.days_title");
    let first = d.days.first().map(|r| r.day);
    let x = |day: chrono::NaiveDate| first.map_or(0.0, |f| (day - f).num_days() as f64);
    let days: Vec<chrono::NaiveDate> = d.days.iter().map(|r| r.day).collect();
    let attempts: PlotPoints = d
        .days
        .iter()
        .map(|r| [x(r.day), r.attempts as f64])
        .collect();
    let reached: PlotPoints = d
        .days
        .iter()
        .map(|r| [x(r.day), r.reached as f64])
        .collect();
    let rows = d.days.clone();
    let first2 = first;
    Plot::new("dash_days")
        .height(200.0)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .legend(Legend::default())
        .width(ui.available_width())
        .x_axis_label(t("dashboard.day"))
        .y_axis_label(t("dashboard.count"))
        .x_axis_formatter(move |m, _| {
            let i = m.value.round();
            if (m.value - i).abs() > 0.01 {
                return String::new();
            }
            first2
                .and_then(|f| f.checked_add_signed(chrono::Duration::days(i as i64)))
                .filter(|d| days.contains(d))
                .map(|d| d.format("%d/%m").to_string())
                .unwrap_or_default()
        })
        .label_formatter(move |pos| {
            let v = match pos {
                egui_plot::HoverPosition::NearDataPoint { position, .. } => position.x,
                egui_plot::HoverPosition::Elsewhere { position } => position.x,
            };
            let day = first
                .and_then(|f| f.checked_add_signed(chrono::Duration::days(v.round() as i64)))?;
            let r = rows.iter().find(|r| r.day == day)?;
            Some(tf(
                "dashboard.day_tip",
                &[
                    ("day", &format::date(&r.day)),
                    ("attempts", &format::int(r.attempts)),
                    ("reached", &format::int(r.reached)),
                ],
            ))
        })
        .show(ui, |p| {
            p.line(
                Line::new(t("dashboard.attempts"), attempts)
                    .color(ACCENT)
                    .width(2.0),
            );
            p.line(
                Line::new(t("dashboard.reached_records"), reached)
                    .color(Color32::from_rgb(0x2e, 0x7d, 0x32))
                    .width(2.0),
            );
        });
}

/// The colour of a contactability (0..1): pale to strong green.
fn heat_color(r: f64) -> Color32 {
    let r = r.clamp(0.0, 1.0) as f32;
    let lerp = |a: u8, b: u8| (a as f32 + (b as f32 - a as f32) * r).round() as u8;
    Color32::from_rgb(lerp(0xf1, 0x1b), lerp(0xf8, 0x5e), lerp(0xe9, 0x20))
}

/// The contactability heatmap: band × weekday, % and count in each cell, exact figures on hover.
fn heatmap_ui(ui: &mut Ui, h: &Heatmap) {
    title_ui(ui, "dashboard.heatmap_title");
    let days: Vec<String> = (0..7)
        .map(|i| t(&format!("dashboard.weekday_{i}")))
        .collect();
    let max = h
        .iter()
        .flatten()
        .filter_map(|c| c.ratio())
        .fold(0.0_f64, f64::max)
        .max(0.01);
    let label_w = 120.0;
    let cell_w = ((ui.available_width() - label_w) / 7.0).clamp(48.0, 90.0);
    let cell_h = 40.0;
    egui::Grid::new("dash_heatmap")
        .spacing([2.0, 2.0])
        .min_col_width(0.0)
        .show(ui, |ui| {
            ui.add_sized([label_w, 18.0], egui::Label::new(""));
            for d in &days {
                ui.add_sized(
                    [cell_w, 18.0],
                    egui::Label::new(RichText::new(d).small().strong()),
                );
            }
            ui.end_row();
            for (b, band) in Band::ALL.iter().enumerate() {
                let (start, end) = band.hours();
                ui.add_sized(
                    [label_w, cell_h],
                    egui::Label::new(
                        RichText::new(tf(
                            "dashboard.band_row",
                            &[
                                ("band", &band.label()),
                                ("from", &start.to_string()),
                                ("to", &end.to_string()),
                            ],
                        ))
                        .small(),
                    ),
                );
                for (w, day) in days.iter().enumerate() {
                    let c = h[b][w];
                    let (rect, resp) =
                        ui.allocate_exact_size(egui::vec2(cell_w, cell_h), egui::Sense::hover());
                    let (fill, text) = match c.ratio() {
                        Some(r) => (
                            heat_color(r / max),
                            format!("{}\n{}", format::percent(r), format::int(c.attempts)),
                        ),
                        None => (ui.visuals().faint_bg_color, "—".to_owned()),
                    };
                    ui.painter().rect_filled(rect, 3.0, fill);
                    let dark = c.ratio().is_some_and(|r| r / max > 0.55);
                    ui.painter().text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        text,
                        egui::FontId::proportional(11.0),
                        if dark {
                            Color32::WHITE
                        } else {
                            Color32::from_gray(40)
                        },
                    );
                    resp.on_hover_text(tf(
                        "dashboard.heat_tip",
                        &[
                            ("day", day),
                            ("band", &band.label()),
                            ("reached", &format::int(c.reached)),
                            ("attempts", &format::int(c.attempts)),
                            ("ratio", &c.ratio().map_or("—".to_owned(), format::percent)),
                        ],
                    ));
                }
                ui.end_row();
            }
        });
    // The colour scale.
    ui.horizontal(|ui| {
        ui.label(RichText::new(t("dashboard.scale")).small().weak());
        for i in 0..=4 {
            let r = i as f64 / 4.0;
            let (rect, _) = ui.allocate_exact_size(egui::vec2(28.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 2.0, heat_color(r));
            ui.label(RichText::new(format::percent(r * max)).small().weak());
        }
    });
    ui.label(RichText::new(t("dashboard.heatmap_note")).small().weak());
}

/// The per-agent table.
fn agents_ui(ui: &mut Ui, d: &Dashboard) {
    title_ui(ui, "dashboard.agents_title");
    if d.agents.is_empty() {
        empty_state_ui(ui, &t("dashboard.no_calls"));
        return;
    }
    egui::Grid::new("dash_agents")
        .num_columns(6)
        .spacing([18.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            ui.strong(t("dashboard.col_agent"));
            ui.strong(t("indicators.marcaciones"));
            ui.strong(t("dashboard.col_contacts"))
                .on_hover_text(t("dashboard.contacts_hover"));
            ui.strong(t("indicators.positivos"))
                .on_hover_text(t("dashboard.positive_hover"));
            ui.strong(t("dashboard.col_per_hour"))
                .on_hover_text(t("dashboard.per_hour_hover"));
            ui.strong(t("dashboard.col_tmo"))
                .on_hover_text(t("tally.tmo_hover"));
            ui.end_row();
            for a in &d.agents {
                if a.name.is_empty() {
                    ui.label(RichText::new(t("dashboard.nobody")).weak());
                } else {
                    ui.label(&a.name);
                }
                ui.label(format::int(a.attempts));
                ui.label(format::int(a.reached));
                ui.label(format::int(a.positive));
                ui.label(a.per_hour().map_or("—".to_owned(), format::decimal))
                    .on_hover_text(tf(
                        "dashboard.per_hour_tip",
                        &[
                            ("attempts", &format::int(a.attempts)),
                            ("hours", &format::int(a.hours)),
                        ],
                    ));
                ui.label(mmss(a.tmo_secs().map(|s| s.round() as i64)));
                ui.end_row();
            }
        });
}

/// Records by program or city.
fn groups_ui(ui: &mut Ui, title: &str, col: &str, rows: &[GroupRow]) {
    title_ui(ui, title);
    if rows.is_empty() {
        empty_state_ui(ui, &t("dashboard.no_records"));
        return;
    }
    egui::Grid::new(title)
        .num_columns(5)
        .spacing([14.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for k in [
                col,
                "indicators.registros_validos",
                "indicators.gestionados",
                "indicators.contactados",
                "indicators.positivos",
            ] {
                ui.strong(t(k));
            }
            ui.end_row();
            for g in rows.iter().take(15) {
                if g.name.is_empty() {
                    ui.label(RichText::new(t("dashboard.not_given")).weak());
                } else {
                    ui.label(&g.name);
                }
                for n in [g.records, g.handled, g.reached, g.positive] {
                    ui.label(format::int(n));
                }
                ui.end_row();
            }
        });
    if rows.len() > 15 {
        ui.label(
            RichText::new(tf(
                "dashboard.more_rows",
                &[("n", &format::int(rows.len() as i64 - 15))],
            ))
            .weak()
            .small(),
        );
    }
}

/// Survey answers per question.
fn survey_ui(ui: &mut Ui, d: &Dashboard) {
    title_ui(ui, "dashboard.survey_title");
    if d.survey.is_empty() {
        empty_state_ui(ui, &t("dashboard.no_survey"));
        return;
    }
    for q in &d.survey {
        ui.label(RichText::new(&q.question).strong());
        let total: i64 = q.answers.iter().map(|a| a.1).sum();
        egui::Grid::new(("dash_survey", &q.question_id))
            .num_columns(3)
            .spacing([14.0, 2.0])
            .show(ui, |ui| {
                for (answer, n) in q.answers.iter().take(10) {
                    ui.label(answer);
                    let share = *n as f32 / total.max(1) as f32;
                    let (rect, resp) =
                        ui.allocate_exact_size(egui::vec2(160.0, 12.0), egui::Sense::hover());
                    ui.painter()
                        .rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
                    let mut bar = rect;
                    bar.set_width(rect.width() * share);
                    ui.painter().rect_filled(bar, 2.0, ACCENT);
                    resp.on_hover_text(tf(
                        "dashboard.answer_tip",
                        &[
                            ("answer", answer),
                            ("n", &format::int(*n)),
                            ("share", &format::percent(f64::from(share))),
                        ],
                    ));
                    ui.label(format!(
                        "{} · {}",
                        format::int(*n),
                        format::percent(f64::from(share))
                    ));
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
    }
}

/// Inbound calls per week by channel, program and result.
fn inbound_ui(ui: &mut Ui, _cx: &Cx<'_>, d: &Dashboard) {
    title_ui(ui, "dashboard.inbound_title");
    if d.inbound.is_empty() {
        empty_state_ui(ui, &t("dashboard.no_inbound"));
        return;
    }
    // The five most frequent of each, then the rest together.
    let join = |list: &[(String, i64)], label: &dyn Fn(&str) -> String| {
        let mut lines: Vec<String> = list
            .iter()
            .take(5)
            .map(|(k, n)| format!("{}: {}", label(k), format::int(*n)))
            .collect();
        let rest: i64 = list.iter().skip(5).map(|(_, n)| n).sum();
        if rest > 0 {
            lines.push(format!("{}: {}", t("dashboard.others"), format::int(rest)));
        }
        lines.join("\n")
    };
    let channel =
        |c: &str| crate::domain::inbound::Channel::from_code(c).map_or(c.to_owned(), |c| c.label());
    let result = |c: &str| {
        crate::domain::inbound::InboundResult::from_code(c).map_or(c.to_owned(), |c| c.label())
    };
    let program = |p: &str| {
        if p.is_empty() {
            t("dashboard.not_given")
        } else {
            p.to_owned()
        }
    };
    egui::Grid::new("dash_inbound")
        .num_columns(5)
        .spacing([18.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            header_row_ui(
                ui,
                &[
                    "dashboard.col_week",
                    "dashboard.col_calls",
                    "dashboard.col_channel",
                    "dashboard.col_program",
                    "dashboard.col_result",
                ],
            );
            for w in &d.inbound {
                ui.label(tf(
                    "dashboard.week_of",
                    &[("day", &format::date(&w.monday))],
                ));
                ui.label(format::int(w.calls));
                ui.label(join(&w.by_channel, &channel));
                ui.label(join(&w.by_program, &program));
                ui.label(join(&w.by_result, &result));
                ui.end_row();
            }
        });
}
