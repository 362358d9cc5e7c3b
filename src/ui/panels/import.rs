//! "Cargar base", step by step in one panel: 1 choose the file (dialog, drop, or the brief's
//! attachment) → 2 columns (preview, a mapping combo above each column) and the data-protection
//! facts → 3 import (progress, cancel) → 4 result (counts, rows not loaded, save them).

use std::sync::Arc;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::contact::DataOrigin;
use crate::domain::format;
use crate::i18n::{t, tf};
use crate::import::Field;
use crate::import::job::{self, Dedupe, ImportError, ImportOptions, ImportReport};
use crate::import::read::{self, Preview, Source};
use crate::jobs::{Job, Progress};
use crate::ui::commands::Cx;
use crate::ui::files;
use crate::ui::widgets::{self, callout_ui, combo_ui, section_ui, text_field_ui};

/// Where the panel is.
#[derive(Default)]
enum Step {
    /// Choose a file.
    #[default]
    Choose,
    /// Reading the chosen file's first rows (a large workbook takes seconds): off the frame.
    Opening(Job<(Source, Preview), ImportError>),
    /// Check the columns and say where the data come from.
    Map(Box<MapState>),
    /// Importing.
    Running(Job<ImportReport, ImportError>),
    /// Done.
    Done(Box<ImportReport>),
}

struct MapState {
    source: Source,
    preview: Preview,
    fields: Vec<Field>,
    origin: String,
    purpose: String,
    authorization: String,
    dedupe: Dedupe,
    errors: Vec<String>,
    /// Another sheet's preview being read.
    sheet_job: Option<Job<Preview, ImportError>>,
}

/// The import panel of a campaign.
#[derive(Default)]
pub struct ImportPanel {
    campaign_id: Option<i64>,
    /// The last import's file and options (to import again, completing landlines).
    last: Option<(Source, ImportOptions)>,
    step: Step,
    error: Option<String>,
    brief_files: Vec<(i64, String)>,
    /// "Elegir archivo…": the dialog, or the path field.
    chooser: files::Chooser,
    /// "Guardar no cargadas": the dialog, or the path field (true: Excel, false: CSV).
    issues_chooser: files::Chooser<bool>,
}

/// Every choice of the mapping combo, with its label.
fn field_choices(headers: &[String], col: usize) -> Vec<(Field, String)> {
    let extra_name = headers.get(col).cloned().unwrap_or_default();
    vec![
        (Field::Phone, t("field.phone")),
        (Field::FullName, t("field.full_name")),
        (Field::FirstName, t("field.first_name")),
        (Field::LastName, t("field.last_name")),
        (Field::Email, t("field.email")),
        (Field::Program, t("field.program")),
        (Field::City, t("field.city")),
        (Field::Document, t("field.document")),
        (Field::Notes, t("field.notes")),
        (Field::Extra(extra_name), t("field.extra")),
        (Field::Ignore, t("field.ignore")),
    ]
}

fn field_label(f: &Field) -> String {
    match f {
        Field::Phone => t("field.phone"),
        Field::FullName => t("field.full_name"),
        Field::FirstName => t("field.first_name"),
        Field::LastName => t("field.last_name"),
        Field::Email => t("field.email"),
        Field::Program => t("field.program"),
        Field::City => t("field.city"),
        Field::Document => t("field.document"),
        Field::Notes => t("field.notes"),
        Field::Extra(_) => t("field.extra"),
        Field::Ignore => t("field.ignore"),
    }
}

impl ImportPanel {
    /// Whether an import is running (the campaign's other actions wait).
    pub fn running(&self) -> bool {
        matches!(self.step, Step::Running(_))
    }

    /// Opens a file for the mapping step (from the dialog, a drop or a brief's file): its first
    /// rows are read in the background, so a large workbook never freezes the window.
    pub fn choose(&mut self, ctx: &egui::Context, source: Source) {
        self.error = None;
        let name = source.name();
        self.step = opening(ctx, name, move || Ok(source));
    }

    /// Draws the panel; returns true when an import finished (the contacts changed).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut Cx<'_>,
        campaign_id: i64,
        brief_id: Option<i64>,
    ) -> bool {
        if self.campaign_id != Some(campaign_id) {
            *self = Self {
                campaign_id: Some(campaign_id),
                brief_files: brief_id
                    .and_then(|b| cx.shown(cx.store.brief_files(cx.actor, b)))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| (f.id, f.file_name))
                    .collect(),
                ..Default::default()
            };
        }
        if !self.running() {
            for (name, bytes) in files::dropped_files(ui.ctx()) {
                self.choose(
                    ui.ctx(),
                    Source::Bytes {
                        name,
                        data: Arc::new(bytes),
                    },
                );
            }
        }
        let mut finished = false;
        let mut next: Option<Step> = None;
        match &mut self.step {
            Step::Choose => {
                section_ui(ui, &t("import.step1"));
                ui.label(RichText::new(t("import.step1_intro")).weak());
                if let Some(e) = &self.error {
                    callout_ui(ui, &t("import.cannot_read"), e, widgets::ERROR);
                }
                let mut picked = None;
                ui.horizontal(|ui| {
                    if ui.button(t("import.choose_file")).clicked() {
                        picked = self.chooser.ask(
                            cx.dialog,
                            files::Request::open(
                                &t("import.choose_file"),
                                &t("brief.contact_files"),
                                &["csv", "txt", "xlsx", "xls", "ods"],
                            ),
                            (),
                        );
                    }
                    ui.label(RichText::new(t("brief.drop_here")).weak().small());
                });
                if let Some(((), p)) = picked.or_else(|| self.chooser.ui(ui)) {
                    self.error = None;
                    let source = Source::File(p);
                    next = Some(opening(ui.ctx(), source.name(), move || Ok(source)));
                }
                for (fid, name) in &self.brief_files {
                    if ui
                        .button(tf("import.use_brief_file", &[("name", name)]))
                        .clicked()
                    {
                        // The attachment is read from the database in the background too.
                        let (store, actor, fid) = (cx.store.clone(), cx.actor.clone(), *fid);
                        self.error = None;
                        next = Some(opening(ui.ctx(), name.clone(), move || {
                            let (name, bytes) = store.brief_file_content(&actor, fid)?;
                            Ok(Source::Bytes {
                                name,
                                data: Arc::new(bytes),
                            })
                        }));
                    }
                }
            }
            Step::Opening(job) => match job.poll() {
                Some(Ok((source, preview))) => next = Some(map_step(source, preview)),
                Some(Err(e)) => {
                    self.error = Some(e.to_string());
                    next = Some(Step::Choose);
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tf("import.opening", &[("name", &job.title)]));
                    });
                }
            },
            Step::Map(m) => {
                if let Some(s) = map_ui(ui, cx, campaign_id, m) {
                    if matches!(s, Step::Running(_)) {
                        self.last = Some((m.source.clone(), options_of(m)));
                    }
                    next = Some(s);
                }
            }
            Step::Running(job) => {
                if let Some(result) = job.poll() {
                    next = Some(match result {
                        Ok(report) => {
                            finished = true;
                            let text = tf(
                                "import.done_toast",
                                &[("n", &format::int(report.counts.imported))],
                            );
                            // The next step, when the campaign's contacts are dealt by hand.
                            let deals = cx.actor.can(crate::domain::Action::RunCampaigns)
                                && report.counts.imported > 0
                                && cx.store.campaign(cx.actor, campaign_id).is_ok_and(|c| {
                                    c.form.distribution_mode
                                        == crate::domain::procedure::DistributionMode::Asignacion
                                });
                            if deals {
                                cx.toasts.success_with_link(
                                    text,
                                    t("import.go_distribute"),
                                    crate::ui::commands::Nav::Distribution(campaign_id),
                                );
                            } else {
                                cx.toasts.success(text);
                            }
                            Step::Done(Box::new(report))
                        }
                        Err(e) => {
                            self.error = Some(e.to_string());
                            Step::Choose
                        }
                    });
                } else {
                    running_ui(ui, job);
                }
            }
            Step::Done(report) => match done_ui(ui, cx, report, &mut self.issues_chooser) {
                Some(DoneAction::Another) => next = Some(Step::Choose),
                Some(DoneAction::CompleteLandlines) => {
                    if let Some((source, options)) = self.last.clone() {
                        let options = ImportOptions {
                            complete_landlines: true,
                            ..options
                        };
                        next = Some(spawn(ui.ctx().clone(), cx, campaign_id, source, options));
                    }
                }
                None => {}
            },
        }
        if let Some(s) = next {
            self.step = s;
        }
        finished
    }
}

fn map_step(source: Source, preview: Preview) -> Step {
    let fields = preview.fields.clone();
    Step::Map(Box::new(MapState {
        source,
        preview,
        fields,
        origin: String::new(),
        purpose: String::new(),
        authorization: String::new(),
        dedupe: Dedupe::Phone,
        errors: Vec::new(),
        sheet_job: None,
    }))
}

/// The step that reads a file's first rows in the background; `source` may itself read (a
/// brief's attachment comes from the database).
fn opening(
    ctx: &egui::Context,
    name: String,
    source: impl FnOnce() -> Result<Source, ImportError> + Send + 'static,
) -> Step {
    let ctx = ctx.clone();
    Step::Opening(Job::spawn(
        "open-base",
        name,
        move || ctx.request_repaint(),
        move |_, _| {
            let source = source()?;
            let preview = read::preview(&source, None, 8)?;
            Ok((source, preview))
        },
    ))
}

fn map_ui(ui: &mut Ui, cx: &mut Cx<'_>, campaign_id: i64, m: &mut MapState) -> Option<Step> {
    let mut next = None;
    section_ui(ui, &t("import.step2"));
    ui.label(format!(
        "{} · {} · {}",
        m.source.name(),
        tf(
            "import.bytes",
            &[("n", &format::int(m.preview.sniffed.size as i64))]
        ),
        job::describe(&m.preview.sniffed, m.preview.sheet.as_deref())
    ));
    if let Some(note) = &m.preview.sniffed.note {
        callout_ui(ui, &t("import.note"), note, widgets::WARNING);
    }
    if m.preview.sniffed.sheets.len() > 1 {
        let current = m.preview.sheet.clone().unwrap_or_default();
        let mut chosen = current.clone();
        combo_ui(ui, &t("import.sheet"), current.clone(), 240.0, |ui| {
            for s in &m.preview.sniffed.sheets {
                ui.selectable_value(&mut chosen, s.clone(), s);
            }
        });
        if chosen != current && m.sheet_job.is_none() {
            let (source, ctx) = (m.source.clone(), ui.ctx().clone());
            m.sheet_job = Some(Job::spawn(
                "open-sheet",
                chosen.clone(),
                move || ctx.request_repaint(),
                move |_, _| Ok(read::preview(&source, Some(&chosen), 8)?),
            ));
        }
        if let Some(job) = &mut m.sheet_job {
            match job.poll() {
                Some(Ok(p)) => {
                    m.fields = p.fields.clone();
                    m.preview = p;
                    m.sheet_job = None;
                }
                Some(Err(e)) => {
                    m.errors = vec![e.to_string()];
                    m.sheet_job = None;
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(tf("import.opening", &[("name", &job.title)]));
                    });
                }
            }
        }
    }
    ui.label(RichText::new(tf("import.header_at", &[("row", &m.preview.header_row)])).weak());
    let phone_cols = m.fields.iter().filter(|f| **f == Field::Phone).count();
    if phone_cols == 0 {
        callout_ui(
            ui,
            &t("import.no_phone_title"),
            &t("import.err_no_phone_column"),
            widgets::ERROR,
        );
    }
    egui::ScrollArea::horizontal()
        .id_salt("mapping_scroll")
        .show(ui, |ui| {
            let cols = m.preview.headers.len();
            TableBuilder::new(ui)
                .id_salt("mapping")
                .striped(true)
                .columns(Column::initial(150.0).clip(true), cols)
                .header(54.0, |mut h| {
                    for c in 0..cols {
                        h.col(|ui| {
                            let header = m.preview.headers.get(c).cloned().unwrap_or_default();
                            let is_phone = m.fields.get(c) == Some(&Field::Phone);
                            let text = RichText::new(&header).strong();
                            ui.label(if is_phone {
                                text.color(widgets::ACCENT)
                            } else {
                                text
                            });
                            if let Some(f) = m.fields.get_mut(c) {
                                egui::ComboBox::from_id_salt(("map", c))
                                    .selected_text(field_label(f))
                                    .width(140.0)
                                    .show_ui(ui, |ui| {
                                        for (choice, label) in field_choices(&m.preview.headers, c)
                                        {
                                            let selected = std::mem::discriminant(f)
                                                == std::mem::discriminant(&choice);
                                            if ui.selectable_label(selected, label).clicked() {
                                                *f = choice;
                                            }
                                        }
                                    })
                                    .response
                                    .on_hover_text(tf("import.map_hover", &[("header", &header)]));
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(20.0, m.preview.rows.len(), |mut row| {
                        let r = &m.preview.rows[row.index()];
                        for c in 0..cols {
                            row.col(|ui| {
                                ui.label(r.cells.get(c).cloned().unwrap_or_default());
                            });
                        }
                    });
                });
        });
    ui.add_space(8.0);
    ui.label(RichText::new(t("import.ley1581")).strong());
    ui.label(RichText::new(t("import.ley1581_intro")).weak());
    text_field_ui(ui, &t("import.origin"), &mut m.origin, None);
    text_field_ui(ui, &t("import.purpose"), &mut m.purpose, None);
    text_field_ui(ui, &t("import.authorization"), &mut m.authorization, None);
    ui.horizontal(|ui| {
        ui.label(t("import.dedupe"));
        ui.radio_value(&mut m.dedupe, Dedupe::Phone, t("import.dedupe_phone"));
        ui.radio_value(&mut m.dedupe, Dedupe::Document, t("import.dedupe_document"))
            .on_hover_text(t("import.dedupe_document_hover"));
    });
    for e in &m.errors {
        widgets::error_text_ui(ui, e);
    }
    ui.horizontal(|ui| {
        let ready = phone_cols > 0;
        let go = ui
            .add_enabled(
                ready,
                egui::Button::new(RichText::new(t("import.run")).strong()),
            )
            .on_disabled_hover_text(t("import.err_no_phone_column"));
        if go.clicked() {
            m.errors.clear();
            if m.origin.trim().is_empty() || m.purpose.trim().is_empty() {
                m.errors.push(t("import.err_origin"));
            } else {
                next = Some(start(ui.ctx().clone(), cx, campaign_id, m));
            }
        }
        if ui.button(t("common.cancel")).clicked() {
            next = Some(Step::Choose);
        }
    });
    next
}

fn start(ctx: egui::Context, cx: &mut Cx<'_>, campaign_id: i64, m: &MapState) -> Step {
    spawn(ctx, cx, campaign_id, m.source.clone(), options_of(m))
}

/// The options the mapping step gathered.
fn options_of(m: &MapState) -> ImportOptions {
    ImportOptions {
        sheet: m.preview.sheet.clone(),
        mapping: Some(m.fields.clone()),
        dedupe: m.dedupe,
        origin: DataOrigin {
            origin: m.origin.clone(),
            purpose: m.purpose.clone(),
            authorization_ref: m.authorization.clone(),
            authorization_file: None,
        },
        keep_phones: false,
        complete_landlines: false,
    }
}

/// Starts an import job.
fn spawn(
    ctx: egui::Context,
    cx: &mut Cx<'_>,
    campaign_id: i64,
    source: Source,
    options: ImportOptions,
) -> Step {
    let store = match cx.store.connect_again() {
        Ok(s) => s,
        Err(e) => {
            cx.toasts.error(e.to_string());
            return Step::Choose;
        }
    };
    let actor = cx.actor.clone();
    Step::Running(Job::spawn(
        "import",
        source.name(),
        move || ctx.request_repaint(),
        move |progress, cancel| {
            job::run(
                &store,
                &actor,
                campaign_id,
                &source,
                &options,
                &|p| {
                    progress(Progress {
                        done: p.rows,
                        fraction: p.fraction,
                    })
                },
                cancel,
            )
        },
    ))
}

fn running_ui(ui: &mut Ui, job: &Job<ImportReport, ImportError>) {
    section_ui(ui, &t("import.step3"));
    ui.label(&job.title);
    let p = job.progress;
    ui.add(
        egui::ProgressBar::new(p.fraction)
            .show_percentage()
            .animate(true),
    );
    let eta = job
        .eta()
        .map(|d| tf("import.eta", &[("secs", &d.as_secs().max(1))]))
        .unwrap_or_default();
    ui.label(tf(
        "import.progress",
        &[
            ("rows", &format::int(p.done as i64)),
            ("rate", &format::int(job.rate() as i64)),
            ("eta", &eta),
        ],
    ));
    if job.cancelling() {
        ui.label(RichText::new(t("import.cancelling")).weak());
    } else if ui.button(t("common.cancel")).clicked() {
        job.cancel();
    }
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(200));
}

/// What the user chose on the result.
enum DoneAction {
    /// Load another file.
    Another,
    /// Import the same file again, completing 7-digit landlines with the city's area code.
    CompleteLandlines,
}

/// Shows the result and the suggestion to complete old landlines.
fn done_ui(
    ui: &mut Ui,
    cx: &mut Cx<'_>,
    report: &ImportReport,
    chooser: &mut files::Chooser<bool>,
) -> Option<DoneAction> {
    section_ui(ui, &t("import.step4"));
    ui.label(RichText::new(&report.format).weak());
    let c = &report.counts;
    ui.horizontal(|ui| {
        for (key, n, color) in [
            ("import.n_read", c.rows_read, ui.visuals().text_color()),
            ("import.n_imported", c.imported, widgets::SUCCESS),
            ("import.n_duplicates", c.duplicates, widgets::WARNING),
            ("import.n_rejected", c.rejected, widgets::ERROR),
            ("import.n_opted_out", c.opted_out, egui::Color32::GRAY),
        ] {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.vertical(|ui| {
                    ui.label(
                        RichText::new(format::int(n))
                            .size(26.0)
                            .strong()
                            .color(color),
                    );
                    ui.label(t(key));
                });
            });
        }
    });
    for w in &report.warnings {
        callout_ui(ui, &t("import.note"), w, widgets::WARNING);
    }
    let mut action = None;
    if report.completable > 0 {
        callout_ui(
            ui,
            &t("import.landlines_title"),
            &tf(
                "import.landlines_body",
                &[("n", &format::int(report.completable))],
            ),
            widgets::ACCENT,
        );
        if ui
            .button(tf(
                "import.landlines_button",
                &[("n", &format::int(report.completable))],
            ))
            .clicked()
        {
            action = Some(DoneAction::CompleteLandlines);
        }
    }
    let mut picked = None;
    ui.horizontal(|ui| {
        if report.issues_total > 0 && report.batch_id.is_some() {
            for (label, ext, xlsx) in [
                (t("import.save_issues_xlsx"), "xlsx", true),
                (t("import.save_issues_csv"), "csv", false),
            ] {
                if ui.button(&label).clicked() {
                    picked = chooser.ask(
                        cx.dialog,
                        files::Request::save(
                            &label,
                            &format!("filas-no-cargadas.{ext}"),
                            ext,
                            &[ext],
                        ),
                        xlsx,
                    );
                }
            }
        }
        if ui.button(t("import.another")).clicked() {
            action = Some(DoneAction::Another);
        }
    });
    if let Some((xlsx, path)) = picked.or_else(|| chooser.ui(ui))
        && let Some(batch) = report.batch_id
    {
        let bytes = cx
            .store
            .import_issues(batch)
            .map_err(|e| e.to_string())
            .and_then(|all| {
                if xlsx {
                    crate::report::issues::issues_xlsx(&all)
                } else {
                    crate::report::issues::issues_csv(&all)
                }
            });
        match bytes.and_then(|b| std::fs::write(&path, b).map_err(|e| e.to_string())) {
            Ok(()) => cx
                .toasts
                .success(tf("common.saved_to", &[("path", &path.display())])),
            Err(e) => cx.toasts.error(e),
        }
    }
    if !report.issues.is_empty() {
        ui.label(
            RichText::new(tf(
                "import.issues_shown",
                &[
                    ("shown", &format::int(report.issues.len() as i64)),
                    ("total", &format::int(report.issues_total as i64)),
                ],
            ))
            .weak(),
        );
        TableBuilder::new(ui)
            .id_salt("issues")
            .striped(true)
            .max_scroll_height(300.0)
            .column(Column::exact(60.0))
            .column(Column::exact(90.0))
            .column(Column::initial(380.0).clip(true))
            .column(Column::remainder().clip(true))
            .header(22.0, |mut h| {
                for key in [
                    "contacts.row",
                    "import.col_kind",
                    "import.col_reason",
                    "import.col_values",
                ] {
                    h.col(|ui| {
                        ui.strong(t(key));
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, report.issues.len(), |mut row| {
                    let i = &report.issues[row.index()];
                    row.col(|ui| {
                        ui.label(i.row.to_string());
                    });
                    row.col(|ui| {
                        ui.label(i.kind.label());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&i.reason).truncate());
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(RichText::new(i.original.join(" | ")).weak())
                                .truncate(),
                        );
                    });
                });
            });
    }
    action
}
