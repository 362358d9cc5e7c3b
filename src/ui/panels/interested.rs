//! «Interesados de la campaña» on a brief: while its campaign runs, the requesting department
//! (and those who run it) see the contacts marked interested with the agents' notes, and export
//! them to Excel. Read on a background job; the export is written off the UI thread.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::format;
use crate::domain::interested::Interested;
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::Cx;
use crate::ui::files;
use crate::ui::widgets::{empty_state_ui, section_ui};

/// The section, for one brief at a time.
#[derive(Default)]
pub struct InterestedPanel {
    /// What was read, for which brief (`None` inside: the brief has no campaign).
    shown: Option<(i64, Option<Interested>)>,
    job: Option<(i64, Job<Option<Interested>, Error>)>,
    export: Option<Job<std::path::PathBuf, Error>>,
    file: files::Chooser,
    background: Option<Store>,
}

impl InterestedPanel {
    /// Reads again the next time it shows.
    pub fn mark_stale(&mut self) {
        self.shown = None;
    }

    fn load(&mut self, ui: &Ui, cx: &mut Cx<'_>, brief_id: i64) {
        let have = self.shown.as_ref().map(|(b, _)| *b);
        let running = self.job.as_ref().map(|(b, _)| *b);
        if have != Some(brief_id) && running != Some(brief_id) {
            let store = cx.background(&mut self.background);
            let actor = cx.actor.clone();
            let repaint = ui.ctx().clone();
            self.job = Some((
                brief_id,
                Job::spawn(
                    "interested",
                    String::new(),
                    move || repaint.request_repaint(),
                    move |_, _| store.interested_of_brief(&actor, brief_id),
                ),
            ));
        }
        if let Some((b, job)) = &mut self.job {
            match job.poll() {
                Some(Ok(list)) => {
                    if *b == brief_id {
                        self.shown = Some((brief_id, list));
                    }
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.shown = Some((brief_id, None));
                    self.job = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    /// Draws the section for the brief `brief_id`.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, brief_id: i64) {
        self.load(ui, cx, brief_id);
        section_ui(ui, &t("interested.title"));
        // Taken out while drawn (the rows are borrowed, the export and the chooser change).
        match self.shown.take() {
            Some((b, Some(list))) if b == brief_id => {
                self.list_ui(ui, cx, brief_id, &list);
                self.shown = Some((b, Some(list)));
            }
            Some((b, None)) if b == brief_id => {
                ui.label(RichText::new(t("interested.no_campaign")).weak());
                self.shown = Some((b, None));
            }
            other => {
                ui.spinner();
                self.shown = other;
            }
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, brief_id: i64, list: &Interested) {
        ui.label(RichText::new(t("interested.intro")).weak());
        let mut chosen = None;
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(tf("interested.count", &[("n", &list.contacts.len())])).strong(),
            );
            let busy = self.export.is_some();
            if ui
                .add_enabled(
                    !busy && !list.contacts.is_empty(),
                    egui::Button::new(t("interested.export")),
                )
                .clicked()
            {
                let name = format!("{} - {}.xlsx", t("interested.sheet"), list.campaign);
                chosen = self.file.ask(
                    cx.dialog,
                    files::Request::save(&t("interested.export"), &name, "Excel", &["xlsx"]),
                    (),
                );
            }
            if busy {
                ui.spinner();
            }
        });
        if let Some(((), path)) = chosen.or_else(|| self.file.ui(ui)) {
            let settings = cx.settings.clone();
            let repaint = ui.ctx().clone();
            let data = list.clone();
            self.export = Some(Job::spawn(
                "interested_xlsx",
                String::new(),
                move || repaint.request_repaint(),
                move |_, _| {
                    let bytes = crate::report::interested_xlsx::interested_xlsx(&data, &settings)
                        .map_err(|e| Error::Io(std::io::Error::other(e)))?;
                    std::fs::write(&path, bytes)?;
                    Ok(path)
                },
            ));
        }
        if let Some(job) = &mut self.export {
            match job.poll() {
                Some(Ok(path)) => {
                    cx.toasts.success(tf(
                        "interested.exported",
                        &[("path", &path.display().to_string())],
                    ));
                    self.export = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(e.to_string());
                    self.export = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
        if list.contacts.is_empty() {
            empty_state_ui(ui, &t("interested.none"));
            return;
        }
        let height = (list.contacts.len() as f32 * 22.0 + 30.0).min(320.0);
        ui.push_id(("interested", brief_id), |ui| {
            // Columns share what is left after the phone and the date, so the notes show
            // on a laptop too.
            let free = (ui.available_width() - 242.0 - 48.0).max(240.0);
            let share = |f: f32| free * f;
            TableBuilder::new(ui)
                .striped(true)
                .max_scroll_height(height)
                .min_scrolled_height(height)
                .column(Column::exact(share(0.25)).clip(true))
                .column(Column::exact(100.0))
                .column(Column::exact(share(0.2)).clip(true))
                .column(Column::exact(142.0))
                .column(Column::exact(share(0.2)).clip(true))
                .column(Column::remainder().at_least(60.0).clip(true))
                .header(24.0, |mut h| {
                    for key in [
                        "interested.col_name",
                        "interested.col_phone",
                        "interested.col_program",
                        "interested.col_when",
                        "interested.col_agent",
                        "interested.col_notes",
                    ] {
                        h.col(|ui| {
                            ui.strong(t(key));
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, list.contacts.len(), |mut row| {
                        let c = &list.contacts[row.index()];
                        let cell = |row: &mut egui_extras::TableRow<'_, '_>, text: String| {
                            row.col(|ui| {
                                ui.add(egui::Label::new(text).truncate());
                            });
                        };
                        cell(&mut row, c.name.clone());
                        cell(&mut row, format::phone(&c.phone));
                        cell(&mut row, c.program.clone());
                        cell(&mut row, format::datetime(c.at, cx.settings));
                        cell(&mut row, c.agent.clone());
                        row.col(|ui| {
                            ui.add(egui::Label::new(&c.notes).truncate())
                                .on_hover_text(&c.notes);
                        });
                    });
                });
        });
    }
}
