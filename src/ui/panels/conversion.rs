//! Conversión real: a campaign's records that applied to or enrolled in the university,
//! from the lists the academic system exports («Cargar lista del sistema académico…», read and
//! matched in a background job), in total, per agent and per program, beside the interest the
//! agents recorded (`Store::conversion`).

use egui::{RichText, Ui};

use crate::domain::enrolment::{Conversion, ConversionLine, EnrolmentReport, Stage};
use crate::domain::format;
use crate::i18n::{t, tf};
use crate::import::job::ImportError;
use crate::import::read::Source;
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::Cx;
use crate::ui::files;
use crate::ui::widgets::{combo_ui, empty_state_ui, header_row_ui, section_ui};

/// The conversion section of a campaign's dashboard.
#[derive(Default)]
pub struct ConversionPanel {
    /// The figures shown, and for which campaign.
    shown: Option<Conversion>,
    job: Option<(i64, Job<Conversion, Error>)>,
    import: Option<Job<EnrolmentReport, ImportError>>,
    file: files::Chooser,
    /// The stage of rows whose file has no stage column.
    stage: Option<Stage>,
    background: Option<Store>,
}

impl ConversionPanel {
    /// Reads again the next time it shows.
    pub fn mark_stale(&mut self) {
        self.shown = None;
    }

    fn load(&mut self, ui: &Ui, cx: &mut Cx<'_>, campaign: i64) {
        let have = self.shown.as_ref().map(|c| c.campaign_id);
        let running = self.job.as_ref().map(|(c, _)| *c);
        if have != Some(campaign) && running != Some(campaign) {
            let store = cx.background(&mut self.background);
            let actor = cx.actor.clone();
            let repaint = ui.ctx().clone();
            self.job = Some((
                campaign,
                Job::spawn(
                    "conversion",
                    String::new(),
                    move || repaint.request_repaint(),
                    move |_, _| store.conversion(&actor, campaign),
                ),
            ));
        }
        if let Some((c, job)) = &mut self.job {
            match job.poll() {
                Some(Ok(conv)) => {
                    if *c == campaign {
                        self.shown = Some(conv);
                    }
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.shown = Some(Conversion {
                        campaign_id: campaign,
                        ..Default::default()
                    });
                    self.job = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    /// Starts reading a list of the academic system.
    fn start_import(&mut self, ui: &Ui, cx: &mut Cx<'_>, path: std::path::PathBuf) {
        let store = cx.background(&mut self.background);
        let actor = cx.actor.clone();
        let repaint = ui.ctx().clone();
        let stage = self.stage.unwrap_or(Stage::Matriculado);
        let source = Source::File(path);
        self.import = Some(Job::spawn(
            "enrolments",
            source.name(),
            move || repaint.request_repaint(),
            move |_, _| crate::import::enrolments::import_file(&store, &actor, &source, stage),
        ));
    }

    /// Draws the section for `campaign`.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, campaign: i64) {
        section_ui(ui, &t("enrolment.title"));
        ui.label(RichText::new(t("enrolment.intro")).weak());
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            let importing = self.import.is_some();
            if ui
                .add_enabled(!importing, egui::Button::new(t("enrolment.load")))
                .on_hover_text(t("enrolment.load_hover"))
                .clicked()
            {
                chosen = self.file.ask(
                    cx.dialog,
                    files::Request::open(
                        &t("enrolment.load"),
                        &t("enrolment.filter"),
                        &["csv", "txt", "xlsx", "xls", "ods"],
                    ),
                    (),
                );
            }
            let mut stage = self.stage.unwrap_or(Stage::Matriculado);
            combo_ui(
                ui,
                &t("enrolment.default_stage"),
                stage.label(),
                140.0,
                |ui| {
                    for s in Stage::ALL {
                        ui.selectable_value(&mut stage, s, s.label());
                    }
                },
            );
            self.stage = Some(stage);
            if importing {
                ui.spinner();
                ui.label(t("enrolment.loading"));
            }
        });
        if let Some(((), path)) = chosen.or_else(|| self.file.ui(ui)) {
            self.start_import(ui, cx, path);
        }
        if let Some(job) = &mut self.import {
            match job.poll() {
                Some(Ok(r)) => {
                    cx.toasts.success(r.summary());
                    self.import = None;
                    self.shown = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(e.to_string());
                    self.import = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
        self.load(ui, cx, campaign);
        let Some(conv) = self.shown.as_ref().filter(|c| c.campaign_id == campaign) else {
            ui.spinner();
            return;
        };
        if conv.lists == 0 {
            empty_state_ui(ui, &t("enrolment.no_lists_ui"));
            return;
        }
        table_ui(
            ui,
            "conversion_agents",
            &t("enrolment.by_agent"),
            &t("enrolment.no_agent"),
            &conv.total,
            &conv.by_agent,
        );
        table_ui(
            ui,
            "conversion_programs",
            &t("enrolment.by_program"),
            &t("enrolment.no_program"),
            &conv.total,
            &conv.by_program,
        );
    }
}

/// A conversion table: the campaign's line first, then the lines of `rows`.
fn table_ui(
    ui: &mut Ui,
    id: &str,
    title: &str,
    blank: &str,
    total: &ConversionLine,
    rows: &[ConversionLine],
) {
    ui.add_space(6.0);
    ui.label(RichText::new(title).strong());
    let pct = |r: Option<f64>| r.map_or("—".to_owned(), format::percent);
    egui::Grid::new(id)
        .striped(true)
        .num_columns(8)
        .spacing([14.0, 4.0])
        .show(ui, |ui| {
            header_row_ui(
                ui,
                &[
                    "enrolment.col_name",
                    "indicators.registros_validos",
                    "indicators.contactados",
                    "indicators.positivos",
                    "enrolment.col_converted",
                    "enrolment.col_enrolled",
                    "enrolment.col_conversion",
                    "enrolment.col_positive_conversion",
                ],
            );
            let total_name = t("enrolment.total");
            for (l, strong) in std::iter::once((total, true)).chain(rows.iter().map(|r| (r, false)))
            {
                let name = if strong {
                    total_name.as_str()
                } else if l.name.is_empty() {
                    blank
                } else {
                    l.name.as_str()
                };
                let cell = |ui: &mut Ui, s: String| {
                    let text = RichText::new(s);
                    ui.label(if strong { text.strong() } else { text });
                };
                cell(ui, name.to_owned());
                cell(ui, format::int(l.records));
                cell(ui, format::int(l.reached));
                cell(ui, format::int(l.positive));
                cell(ui, format::int(l.converted));
                cell(ui, format::int(l.enrolled));
                cell(ui, pct(l.conversion()));
                cell(ui, pct(l.positive_conversion()));
                ui.end_row();
            }
        });
}
