//! Consolidado semanal: the week's report (`domain::weekly`). A week picker (previous, next,
//! the current week by default), for the head and the professional a person picker (everyone
//! or one person), the totals against the previous week, the tables (channel, program, what
//! was asked, result, remissions and their follow-up, transfers, outbound by campaign and
//! outcome, per person), the busiest hours as bars; then "Exportar XLSX", "Enviar a jefatura"
//! (queued in the outbox with the file) and "Entregado a mano", each recorded in the archive,
//! and the week's records. An agent sees and exports only its own report. The figures are read
//! on a background job: a frame never waits for them.

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::weekly::{Delivery, Figures, IsoWeek, Weekly, WeeklyRecord};
use crate::domain::{Action, Role, audit, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{Command, Cx};
use crate::ui::files;
use crate::ui::widgets::{combo_ui, empty_state_ui, header_row_ui, section_ui, text_field_ui};

/// The Consolidado semanal tab.
#[derive(Default)]
pub struct WeeklyTab {
    /// The week shown (`None` until the first frame: the current week).
    week: Option<IsoWeek>,
    /// The person shown (`None`: everyone; an agent always sees itself).
    person: Option<String>,
    /// Everyone who had calls that week (for the person picker): (login, name).
    people: Vec<(String, String)>,
    /// The last report read, for `(week, person)`.
    report: Option<Weekly>,
    /// The read under way and what it is for.
    job: Option<(IsoWeek, Option<String>, Job<Weekly, Error>)>,
    /// The week's records (reload when `None`).
    records: Option<Vec<WeeklyRecord>>,
    /// The head's name and e-mail, read once.
    head: Option<(String, String)>,
    /// Where "Enviar a jefatura" sends.
    send_to: String,
    /// Who received it by hand.
    hand_to: String,
    /// The export's file.
    export_file: files::Chooser,
    /// A second connection for the reads.
    background: Option<Store>,
    /// The form's error (under the recipients).
    error: Option<String>,
}

impl WeeklyTab {
    fn sees_all(cx: &Cx<'_>) -> bool {
        cx.actor.can(Action::ViewAllBriefs)
    }

    /// Starts reading the report of `week` off the UI thread.
    fn start(&mut self, ctx: &egui::Context, cx: &Cx<'_>, week: IsoWeek) {
        let store = cx.background(&mut self.background);
        let actor = cx.actor.clone();
        let person = self.person.clone();
        let repaint = ctx.clone();
        let for_person = person.clone();
        let job = Job::spawn(
            "weekly",
            String::new(),
            move || repaint.request_repaint(),
            move |_, _| store.weekly(&actor, week, for_person.as_deref()),
        );
        self.job = Some((week, person, job));
    }

    /// Takes the read's result, and starts one when what is shown is not what is asked.
    fn refresh(&mut self, ui: &Ui, cx: &mut Cx<'_>, week: IsoWeek) {
        let wanted = (week, self.person.clone());
        let shown = self
            .report
            .as_ref()
            .map(|r| (r.week, self.person_of(r, cx)));
        let running = self.job.as_ref().map(|(w, p, _)| (*w, p.clone()));
        if shown.as_ref() != Some(&wanted) && running.as_ref() != Some(&wanted) {
            self.start(ui.ctx(), cx, week);
        }
        if let Some((w, p, job)) = &mut self.job {
            match job.poll() {
                Some(Ok(report)) => {
                    if (*w, p.clone()) == wanted {
                        if report.agent.is_none() {
                            self.people = report
                                .agents
                                .iter()
                                .map(|a| (a.login.clone(), a.name.clone()))
                                .collect();
                        }
                        self.report = Some(report);
                    }
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    // Not asked again every frame: shown as read (nothing) until the user moves.
                    self.report = Some(Weekly {
                        week,
                        agent: self.person.clone(),
                        agents: Vec::new(),
                        total: Figures::default(),
                        previous: Figures::default(),
                    });
                    self.job = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    /// The person a report answers for, as this tab asks: an agent's own report answers for
    /// `None` (the agent never picks).
    fn person_of(&self, r: &Weekly, cx: &Cx<'_>) -> Option<String> {
        if Self::sees_all(cx) {
            r.agent.clone()
        } else {
            None
        }
    }

    fn go(&mut self, week: IsoWeek) {
        if self.week != Some(week) {
            self.week = Some(week);
            self.records = None;
            self.error = None;
        }
    }

    /// The XLSX of the report on screen.
    fn xlsx(cx: &Cx<'_>, report: &Weekly) -> Result<Vec<u8>, String> {
        crate::report::weekly_xlsx::weekly_xlsx(report, cx.settings, cx.store.now())
    }

    /// Records the report as delivered (after writing the file, for an export).
    fn deliver(
        &mut self,
        cx: &mut Cx<'_>,
        report: &Weekly,
        how: Delivery,
        to: &str,
        bytes: Vec<u8>,
    ) {
        match cx.apply(Command::RecordWeekly {
            report: Box::new(report.clone()),
            delivery: how,
            recipient: to.to_owned(),
            content: bytes,
        }) {
            Ok(_) => {
                self.records = None;
                self.error = None;
            }
            Err(Error::Invalid(e)) => self.error = Some(e.message()),
            Err(_) => {}
        }
    }

    fn export(&mut self, cx: &mut Cx<'_>, report: &Weekly, path: &std::path::Path) {
        match Self::xlsx(cx, report).and_then(|b| {
            std::fs::write(path, &b)
                .map(|()| b)
                .map_err(|e| e.to_string())
        }) {
            Ok(bytes) => {
                cx.toasts
                    .success(tf("common.saved_to", &[("path", &path.display())]));
                self.deliver(cx, report, Delivery::Exportado, "", bytes);
            }
            Err(e) => cx.toasts.error(tf("weekly.err_xlsx", &[("detail", &e)])),
        }
    }

    fn actions_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, report: &Weekly) {
        // The head's address and name are proposed once (a field the user empties stays so).
        if self.head.is_none() {
            let (name, email) = cx.shown(cx.store.weekly_head(cx.actor)).unwrap_or_default();
            if self.send_to.is_empty() {
                self.send_to = email.clone();
            }
            if self.hand_to.is_empty() {
                self.hand_to = name.clone();
            }
            self.head = Some((name, email));
        }
        let mut chosen = None;
        if ui.button(t("weekly.export")).clicked() {
            chosen = self.export_file.ask(
                cx.dialog,
                files::Request::save(&t("weekly.export"), &report.file_name(), "Excel", &["xlsx"]),
                (),
            );
        }
        if let Some(((), path)) = chosen.or_else(|| self.export_file.ui(ui)) {
            self.export(cx, report, &path);
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            text_field_ui(ui, &t("weekly.send_to"), &mut self.send_to, None);
            if ui.button(t("weekly.send")).clicked() {
                match Self::xlsx(cx, report) {
                    Ok(b) => {
                        let to = self.send_to.clone();
                        self.deliver(cx, report, Delivery::Correo, &to, b);
                    }
                    Err(e) => cx.toasts.error(tf("weekly.err_xlsx", &[("detail", &e)])),
                }
            }
        });
        ui.horizontal(|ui| {
            text_field_ui(ui, &t("weekly.hand_to"), &mut self.hand_to, None);
            if ui.button(t("weekly.hand")).clicked() {
                match Self::xlsx(cx, report) {
                    Ok(b) => {
                        let to = self.hand_to.clone();
                        self.deliver(cx, report, Delivery::AMano, &to, b);
                    }
                    Err(e) => cx.toasts.error(tf("weekly.err_xlsx", &[("detail", &e)])),
                }
            }
        });
        if let Some(e) = &self.error {
            crate::ui::widgets::error_text_ui(ui, e);
        }
    }

    fn records_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, week: IsoWeek) {
        if self.records.is_none() {
            self.records = Some(
                cx.shown(cx.store.weekly_records(cx.actor, week))
                    .unwrap_or_default(),
            );
        }
        let records = self.records.clone().unwrap_or_default();
        ui.label(RichText::new(t("weekly.records_title")).strong());
        if records.is_empty() {
            ui.label(RichText::new(t("weekly.no_records")).weak());
            return;
        }
        egui::Grid::new("weekly_records")
            .num_columns(4)
            .spacing([18.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for key in ["audit.when", "audit.who", "weekly.col_how", "weekly.col_to"] {
                    ui.strong(t(key));
                }
                ui.end_row();
                for r in &records {
                    ui.label(format::datetime(r.created_at, cx.settings));
                    ui.label(audit::who(&r.created_by, None));
                    ui.label(r.delivery.map(Delivery::label).unwrap_or_default());
                    ui.label(&r.recipient);
                    ui.end_row();
                }
            });
    }
}

/// A table of `(label, count)` lines, the ones with nothing left out (all zero: "—").
fn counts_ui(ui: &mut Ui, id: &str, title: &str, lines: Vec<(String, i64)>) {
    ui.vertical(|ui| {
        ui.label(RichText::new(title).strong());
        let lines: Vec<_> = lines.into_iter().filter(|(_, n)| *n > 0).collect();
        if lines.is_empty() {
            ui.label(RichText::new("—").weak());
            return;
        }
        egui::Grid::new(id)
            .num_columns(2)
            .spacing([14.0, 2.0])
            .show(ui, |ui| {
                for (label, n) in lines {
                    ui.label(label);
                    ui.label(format::int(n));
                    ui.end_row();
                }
            });
    });
}

fn named_lines(list: &[crate::domain::weekly::Named]) -> Vec<(String, i64)> {
    list.iter()
        .map(|x| {
            let name = if x.name.is_empty() {
                t("weekly.none")
            } else {
                x.name.clone()
            };
            (name, x.n)
        })
        .collect()
}

/// The tables of one set of figures.
fn figures_ui(ui: &mut Ui, f: &Figures) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 32.0;
        counts_ui(
            ui,
            "weekly_channel",
            &t("weekly.col_channel"),
            f.by_channel.iter().map(|(c, n)| (c.label(), *n)).collect(),
        );
        counts_ui(
            ui,
            "weekly_asked",
            &t("weekly.col_asked"),
            f.by_asked.iter().map(|(c, n)| (c.label(), *n)).collect(),
        );
        counts_ui(
            ui,
            "weekly_result",
            &t("weekly.col_result"),
            f.by_result.iter().map(|(c, n)| (c.label(), *n)).collect(),
        );
        counts_ui(
            ui,
            "weekly_followup",
            &t("weekly.col_followup"),
            f.by_followup.iter().map(|(c, n)| (c.label(), *n)).collect(),
        );
    });
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 32.0;
        counts_ui(
            ui,
            "weekly_program",
            &t("weekly.col_program"),
            named_lines(&f.by_program),
        );
        counts_ui(
            ui,
            "weekly_transfers",
            &t("weekly.sheet_transfers"),
            named_lines(&f.transfers),
        );
        counts_ui(
            ui,
            "weekly_campaign",
            &t("weekly.col_campaign"),
            named_lines(&f.by_campaign),
        );
        counts_ui(
            ui,
            "weekly_outcome",
            &t("weekly.col_outcome"),
            named_lines(&f.by_outcome),
        );
    });
}

/// The busiest hours as bars, in order of the day.
fn hours_ui(ui: &mut Ui, f: &Figures) {
    ui.label(RichText::new(t("weekly.busiest_hours")).strong());
    let max = f.by_hour.iter().copied().max().unwrap_or(0);
    if max == 0 {
        ui.label(RichText::new("—").weak());
        return;
    }
    let top: Vec<u32> = f.busiest_hours().iter().take(3).map(|(h, _)| *h).collect();
    egui::Grid::new("weekly_hours")
        .num_columns(3)
        .spacing([10.0, 2.0])
        .show(ui, |ui| {
            for (h, n) in (0u32..24).zip(f.by_hour) {
                if n == 0 {
                    continue;
                }
                let label = crate::report::weekly_xlsx::hour_label(h);
                if top.contains(&h) {
                    ui.strong(label);
                } else {
                    ui.label(label);
                }
                let width = 240.0 * n as f32 / max as f32;
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(width.max(2.0), 12.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(rect, 2.0, crate::ui::widgets::ACCENT);
                ui.label(format::int(n));
                ui.end_row();
            }
        });
}

impl TabView for WeeklyTab {
    fn id(&self) -> Tab {
        Tab::Consolidado
    }

    fn label(&self) -> String {
        t("tab.weekly")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::ViewTally)
    }

    fn mark_stale(&mut self) {
        self.report = None;
        self.records = None;
        self.head = None;
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let week = *self
            .week
            .get_or_insert_with(|| IsoWeek::of_instant(cx.store.now(), cx.settings));
        egui::ScrollArea::both().show(ui, |ui| {
            section_ui(ui, &t("weekly.page_title"));
            ui.horizontal(|ui| {
                if ui
                    .button(t("weekly.previous"))
                    .on_hover_text(week.previous().label())
                    .clicked()
                {
                    self.go(week.previous());
                }
                ui.label(RichText::new(week.label()).strong().size(16.0))
                    .on_hover_text(week.code());
                if ui
                    .button(t("weekly.next"))
                    .on_hover_text(week.next().label())
                    .clicked()
                {
                    self.go(week.next());
                }
                let current = IsoWeek::of_instant(cx.store.now(), cx.settings);
                if week != current && ui.button(t("weekly.current")).clicked() {
                    self.go(current);
                }
            });
            let week = self.week.unwrap_or(week);
            if Self::sees_all(cx) {
                let name = self
                    .person
                    .as_ref()
                    .map(|l| {
                        self.people
                            .iter()
                            .find(|(login, _)| login == l)
                            .map_or(l.clone(), |(_, n)| n.clone())
                    })
                    .unwrap_or_else(|| t("weekly.everyone"));
                let mut chosen = self.person.clone();
                combo_ui(ui, &t("weekly.person"), name, 280.0, |ui| {
                    ui.selectable_value(&mut chosen, None, t("weekly.everyone"));
                    for (login, name) in &self.people {
                        ui.selectable_value(&mut chosen, Some(login.clone()), name);
                    }
                });
                if chosen != self.person {
                    self.person = chosen;
                    self.error = None;
                }
            }
            self.refresh(ui, cx, week);
            let Some(report) = self.report.clone().filter(|r| r.week == week) else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(t("tally.loading")).weak());
                });
                return;
            };
            ui.add_space(6.0);
            // The change against the previous week.
            egui::Grid::new("weekly_changes")
                .num_columns(4)
                .spacing([18.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    header_row_ui(
                        ui,
                        &[
                            "weekly.col_figure",
                            "weekly.col_this_week",
                            "weekly.col_previous_week",
                            "weekly.col_change",
                        ],
                    );
                    for c in report.changes() {
                        ui.label(t(c.key));
                        ui.label(format::int(c.now));
                        ui.label(format::int(c.before));
                        ui.label(c.text());
                        ui.end_row();
                    }
                });
            ui.add_space(10.0);
            if report.total.calls() == 0 {
                empty_state_ui(ui, &t("weekly.no_calls"));
            } else {
                figures_ui(ui, &report.total);
                ui.add_space(10.0);
                if report.agent.is_none() && !report.agents.is_empty() {
                    ui.label(RichText::new(t("weekly.per_person")).strong());
                    egui::Grid::new("weekly_people")
                        .num_columns(6)
                        .spacing([18.0, 4.0])
                        .striped(true)
                        .show(ui, |ui| {
                            header_row_ui(
                                ui,
                                &[
                                    "weekly.col_person",
                                    "weekly.inbound",
                                    "weekly.remitted",
                                    "weekly.transferred",
                                    "weekly.outbound",
                                    "weekly.calls",
                                ],
                            );
                            for a in &report.agents {
                                let f = &a.figures;
                                ui.label(format!("{} · {}", a.name, a.role.label()));
                                for n in [
                                    f.inbound,
                                    f.remissions(),
                                    f.transferred(),
                                    f.outbound,
                                    f.calls(),
                                ] {
                                    ui.label(format::int(n));
                                }
                                ui.end_row();
                            }
                        });
                    ui.add_space(10.0);
                }
                hours_ui(ui, &report.total);
            }
            ui.add_space(12.0);
            ui.separator();
            self.actions_ui(ui, cx, &report);
            ui.add_space(10.0);
            self.records_ui(ui, cx, week);
        });
    }
}
