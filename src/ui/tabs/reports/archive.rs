//! Informes y archivo › Archivo: the documents the program keeps (procedure section 7; ISO
//! 9001 7.5.3) with filters (kind, period, code or title, only what is due), each with its code,
//! title, kind, date, author, SHA-256 (✓ verified, ⚠ altered), retention dates and what is due;
//! download (save dialog), verification, transfer to the central archive and removal with
//! confirmation (the head); and the records registry, which the head edits. Every read and the
//! verification run on background jobs: a frame never waits for them.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::archive::{
    AccessLevel, ArchiveFilter, ArchivedRecord, FinalDisposition, KINDS, Medium, RecordType,
    RecordTypeForm, Verification, kind_label, parse_years,
};
use crate::domain::{Action, FieldError, audit, brief::parse_date, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{Command, Cx, spawn_archive_verify};
use crate::ui::files;
use crate::ui::widgets::{
    self, Confirm, combo_ui, confirm_ui, date_field_ui, empty_state_ui, error_text_ui, section_ui,
    text_field_ui,
};

/// The registry entry being edited: its id, the form, the two retentions as typed, the error.
struct Editing {
    id: i64,
    form: RecordTypeForm,
    management: String,
    central: String,
    error: Option<FieldError>,
}

/// The archive's page.
#[derive(Default)]
pub struct ArchiveView {
    /// The filters as typed.
    kind: Option<String>,
    from: String,
    to: String,
    text: String,
    due_only: bool,
    /// The filter the list shown was read with.
    shown_filter: Option<ArchiveFilter>,
    filter_error: Option<String>,
    records: Option<std::sync::Arc<Vec<ArchivedRecord>>>,
    list_job: Option<(ArchiveFilter, Job<Vec<ArchivedRecord>, Error>)>,
    types: Option<std::sync::Arc<Vec<RecordType>>>,
    types_job: Option<Job<Vec<RecordType>, Error>>,
    verify_job: Option<Job<Vec<Verification>, Error>>,
    download: files::Chooser<i64>,
    download_job: Option<Job<std::path::PathBuf, Error>>,
    /// The record the head is asked to confirm removing: (id, title).
    removing: Option<(i64, String)>,
    editing: Option<Editing>,
    background: Option<Store>,
}

impl ArchiveView {
    /// Reloads the list and the registry the next time the page shows.
    pub fn mark_stale(&mut self) {
        self.records = None;
        self.shown_filter = None;
        self.types = None;
    }

    /// The filter as typed, or the words of what is wrong with a date.
    fn filter(&self, cx: &Cx<'_>) -> Result<ArchiveFilter, String> {
        let tz = cx.settings.tz();
        let day = |text: &str| -> Result<Option<chrono::NaiveDate>, String> {
            let s = text.trim();
            if s.is_empty() {
                return Ok(None);
            }
            parse_date(s)
                .map(Some)
                .ok_or_else(|| tf("archive.err_date", &[("text", &s)]))
        };
        let from = day(&self.from)?.map(|d| format::day_bounds(d, tz).0);
        let to = day(&self.to)?.map(|d| format::day_bounds(d, tz).1);
        Ok(ArchiveFilter {
            kind: self.kind.clone(),
            from,
            to,
            text: self.text.trim().to_owned(),
            due_only: self.due_only,
        })
    }

    /// Takes the jobs' results and starts the reads that what is shown needs.
    fn refresh(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        let ctx = ui.ctx().clone();
        match self.filter(cx) {
            Ok(f) => {
                self.filter_error = None;
                let running = self.list_job.as_ref().map(|(f, _)| f);
                if self.shown_filter.as_ref() != Some(&f) && running != Some(&f) {
                    let store = cx.background(&mut self.background);
                    let actor = cx.actor.clone();
                    let repaint = ctx.clone();
                    let asked = f.clone();
                    let job = Job::spawn(
                        "archive-list",
                        String::new(),
                        move || repaint.request_repaint(),
                        move |_, _| store.archive_list(&actor, &asked),
                    );
                    self.list_job = Some((f, job));
                }
            }
            Err(e) => self.filter_error = Some(e),
        }
        if let Some((f, job)) = &mut self.list_job
            && let Some(r) = job.poll()
        {
            let f = f.clone();
            self.list_job = None;
            match r {
                Ok(list) => self.records = Some(std::sync::Arc::new(list)),
                Err(e) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.records.get_or_insert_with(Default::default);
                }
            }
            self.shown_filter = Some(f);
        }
        if self.types.is_none() && self.types_job.is_none() {
            let store = cx.background(&mut self.background);
            let actor = cx.actor.clone();
            let repaint = ctx.clone();
            self.types_job = Some(Job::spawn(
                "archive-registry",
                String::new(),
                move || repaint.request_repaint(),
                move |_, _| store.record_types(&actor),
            ));
        }
        if let Some(job) = &mut self.types_job
            && let Some(r) = job.poll()
        {
            self.types_job = None;
            match r {
                Ok(types) => self.types = Some(std::sync::Arc::new(types)),
                Err(e) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.types = Some(std::sync::Arc::new(Vec::new()));
                }
            }
        }
        if let Some(job) = &mut self.verify_job
            && let Some(r) = job.poll()
        {
            self.verify_job = None;
            match r {
                Ok(v) => {
                    let bad: Vec<String> = v
                        .iter()
                        .filter(|v| !v.ok)
                        .map(|v| v.title.clone())
                        .collect();
                    if bad.is_empty() {
                        cx.toasts
                            .success(tf("archive.verified_ok", &[("n", &v.len())]));
                    } else {
                        cx.toasts
                            .error(tf("archive.verified_bad", &[("titles", &bad.join("; "))]));
                    }
                    self.shown_filter = None;
                }
                Err(e) => cx.toasts.error(e.to_string()),
            }
        }
        if let Some(job) = &mut self.download_job
            && let Some(r) = job.poll()
        {
            self.download_job = None;
            match r {
                Ok(path) => cx
                    .toasts
                    .success(tf("common.saved_to", &[("path", &path.display())])),
                Err(e) => cx.toasts.error(tf("common.err_write", &[("detail", &e)])),
            }
        }
        if self.list_job.is_some()
            || self.types_job.is_some()
            || self.verify_job.is_some()
            || self.download_job.is_some()
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn verify(&mut self, ui: &Ui, cx: &mut Cx<'_>, only: Option<i64>) {
        if self.verify_job.is_some() {
            return;
        }
        let store = cx.background(&mut self.background);
        self.verify_job = Some(spawn_archive_verify(
            ui.ctx(),
            store,
            cx.actor.clone(),
            only,
        ));
    }

    /// Reads the record's content and writes it to `path`, off the UI thread.
    fn save(&mut self, ui: &Ui, cx: &mut Cx<'_>, id: i64, path: std::path::PathBuf) {
        let store = cx.background(&mut self.background);
        let actor = cx.actor.clone();
        let repaint = ui.ctx().clone();
        self.download_job = Some(Job::spawn(
            "archive-download",
            String::new(),
            move || repaint.request_repaint(),
            move |_, _| {
                let (_, bytes) = store.archive_content(&actor, id)?;
                std::fs::write(&path, bytes)?;
                Ok(path)
            },
        ));
    }

    fn filters_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal_wrapped(|ui| {
            ui.vertical(|ui| {
                let shown = self
                    .kind
                    .as_deref()
                    .map_or_else(|| t("common.all_m"), kind_label);
                let mut chosen = self.kind.clone();
                combo_ui(ui, &t("archive.kind"), shown, 200.0, |ui| {
                    ui.selectable_value(&mut chosen, None, t("common.all_m"));
                    for k in KINDS {
                        ui.selectable_value(&mut chosen, Some(k.to_owned()), kind_label(k));
                    }
                });
                self.kind = chosen;
            });
            ui.vertical(|ui| {
                ui.set_width(130.0);
                date_field_ui(ui, &t("archive.from"), &mut self.from, None);
            });
            ui.vertical(|ui| {
                ui.set_width(130.0);
                date_field_ui(ui, &t("archive.to"), &mut self.to, None);
            });
            ui.vertical(|ui| {
                ui.set_width(220.0);
                text_field_ui(ui, &t("archive.code_or_title"), &mut self.text, None);
            });
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut self.due_only, t("archive.due_only"))
                .on_hover_text(t("archive.due_only_hover"));
            ui.add_space(12.0);
            if ui.button(t("common.refresh")).clicked() {
                self.mark_stale();
            }
            let verifying = self.verify_job.is_some();
            if ui
                .add_enabled(!verifying, egui::Button::new(t("archive.verify_all")))
                .on_hover_text(t("archive.verify_hover"))
                .clicked()
            {
                self.verify(ui, cx, None);
            }
            if verifying {
                ui.spinner();
            }
        });
        if let Some(e) = &self.filter_error {
            error_text_ui(ui, e);
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(records) = self.records.clone() else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(t("tally.loading")).weak());
            });
            return;
        };
        if records.is_empty() {
            empty_state_ui(
                ui,
                &if self.due_only {
                    t("archive.nothing_due")
                } else {
                    t("archive.empty")
                },
            );
            return;
        }
        let now = cx.store.now();
        let head = cx.actor.can(Action::ManageArchive);
        let mut download = None;
        let mut verify = None;
        let mut transfer = None;
        let mut remove = None;
        TableBuilder::new(ui)
            .id_salt("archive_records")
            .striped(true)
            .max_scroll_height(360.0)
            .column(Column::exact(90.0).clip(true))
            .column(Column::remainder().at_least(160.0).clip(true))
            .column(Column::exact(160.0).clip(true))
            .column(Column::exact(120.0))
            .column(Column::exact(190.0).clip(true))
            .column(Column::exact(180.0))
            .header(22.0, |mut h| {
                for key in [
                    "archive.col_code",
                    "archive.col_title",
                    "archive.col_date_author",
                    "archive.col_hash",
                    "archive.col_retention",
                    "archive.col_actions",
                ] {
                    h.col(|ui| {
                        ui.strong(t(key));
                    });
                }
            })
            .body(|body| {
                body.rows(58.0, records.len(), |mut row| {
                    let r = &records[row.index()];
                    row.col(|ui| {
                        ui.label(&r.code);
                    });
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            ui.label(&r.title)
                                .on_hover_text(format!("{}\n{}", r.title, r.file_name));
                            ui.label(RichText::new(kind_label(&r.kind)).weak().small());
                        });
                    });
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            ui.label(format::datetime(r.created_at, cx.settings));
                            ui.label(
                                RichText::new(audit::who(&r.created_by, None))
                                    .weak()
                                    .small(),
                            );
                        });
                    });
                    row.col(|ui| {
                        let (mark, color, hover) = match r.verified {
                            Some(true) => ("✓", widgets::SUCCESS, t("archive.hash_ok")),
                            Some(false) => ("⚠", widgets::ERROR, t("archive.hash_bad")),
                            None => (
                                "",
                                ui.visuals().weak_text_color(),
                                t("archive.hash_unverified"),
                            ),
                        };
                        ui.horizontal(|ui| {
                            ui.monospace(r.sha_short()).on_hover_text(&r.sha256);
                            if !mark.is_empty() {
                                ui.label(RichText::new(mark).color(color).strong())
                                    .on_hover_text(hover);
                            }
                        });
                    });
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            let date = |ts: Option<i64>| {
                                ts.map_or_else(
                                    || t("archive.undefined"),
                                    |ts| format::date(&format::local(ts, cx.settings)),
                                )
                            };
                            let central = match r.transferred_at {
                                Some(ts) => {
                                    tf("archive.transferred_on", &[("date", &date(Some(ts)))])
                                }
                                None => tf("archive.central_on", &[("date", &date(r.central_at))]),
                            };
                            ui.label(RichText::new(central).small());
                            let end = match (r.disposition_at, r.disposition) {
                                (Some(_), Some(d)) => tf(
                                    "archive.final_on",
                                    &[("date", &date(r.disposition_at)), ("what", &d.label())],
                                ),
                                _ => tf(
                                    "archive.final_undefined",
                                    &[(
                                        "what",
                                        &r.disposition.map_or_else(
                                            || t("archive.undefined"),
                                            FinalDisposition::label,
                                        ),
                                    )],
                                ),
                            };
                            ui.label(RichText::new(end).small());
                            if let Some(due) = r.due(now) {
                                ui.label(
                                    RichText::new(due.label())
                                        .color(widgets::WARNING)
                                        .small()
                                        .strong(),
                                );
                            }
                        });
                    });
                    row.col(|ui| {
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                if ui
                                    .small_button(t("archive.download"))
                                    .on_hover_text(&r.file_name)
                                    .clicked()
                                {
                                    download = Some((r.id, r.file_name.clone()));
                                }
                                if ui.small_button(t("archive.verify")).clicked() {
                                    verify = Some(r.id);
                                }
                            });
                            if head {
                                ui.horizontal(|ui| {
                                    if r.transferred_at.is_none()
                                        && r.due(now).is_some()
                                        && ui.small_button(t("archive.transfer")).clicked()
                                    {
                                        transfer = Some(r.id);
                                    }
                                    if ui.small_button(t("archive.remove")).clicked() {
                                        remove = Some((r.id, r.title.clone()));
                                    }
                                });
                            }
                        });
                    });
                });
            });
        if let Some((id, name)) = download {
            let ext = std::path::Path::new(&name)
                .extension()
                .map(|e| e.to_string_lossy().into_owned())
                .unwrap_or_default();
            let exts = [ext.as_str()];
            let req = files::Request::save(&t("archive.download"), &name, &ext, &exts);
            if let Some((id, path)) = self.download.ask(cx.dialog, req, id) {
                self.save(ui, cx, id, path);
            }
        }
        if let Some(id) = verify {
            self.verify(ui, cx, Some(id));
        }
        if let Some(id) = transfer
            && cx.apply(Command::TransferRecord(id)).is_ok()
        {
            self.shown_filter = None;
        }
        if remove.is_some() {
            self.removing = remove;
        }
    }

    fn confirm_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some((id, title)) = self.removing.clone() else {
            return;
        };
        match confirm_ui(
            ui,
            "archive_remove",
            &t("archive.remove_title"),
            &tf("archive.remove_body", &[("title", &title)]),
            &t("archive.remove_yes"),
        ) {
            Confirm::Open => {}
            Confirm::No => self.removing = None,
            Confirm::Yes => {
                self.removing = None;
                if cx.apply(Command::RemoveRecord(id)).is_ok() {
                    self.shown_filter = None;
                }
            }
        }
    }

    fn registry_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        section_ui(ui, &t("archive.registry_title"));
        ui.label(RichText::new(t("archive.registry_intro")).weak());
        let Some(types) = self.types.clone() else {
            ui.spinner();
            return;
        };
        let head = cx.actor.can(Action::ManageArchive);
        let mut edit = None;
        egui::ScrollArea::horizontal()
            .id_salt("archive_registry_scroll")
            .show(ui, |ui| {
                egui::Grid::new("archive_registry")
                    .striped(true)
                    .spacing([14.0, 4.0])
                    .show(ui, |ui| {
                        for key in [
                            "archive.col_code",
                            "archive.col_name",
                            "archive.col_medium",
                            "archive.col_access",
                            "archive.col_storage",
                            "archive.col_responsible",
                            "archive.col_management",
                            "archive.col_central",
                            "archive.col_disposition",
                        ] {
                            ui.strong(t(key));
                        }
                        ui.end_row();
                        for ty in types.iter() {
                            let f = &ty.form;
                            ui.label(&f.code);
                            ui.label(&f.name);
                            ui.label(f.medium.label());
                            ui.label(f.access.label());
                            ui.label(&f.storage);
                            ui.label(&f.responsible);
                            ui.label(RecordTypeForm::years_text(f.management_years));
                            ui.label(RecordTypeForm::years_text(f.central_years));
                            ui.label(
                                f.disposition.map_or_else(
                                    || t("archive.undefined"),
                                    FinalDisposition::label,
                                ),
                            );
                            if head
                                && ui
                                    .small_button(t("archive.edit"))
                                    .on_hover_text(&f.name)
                                    .clicked()
                            {
                                edit = Some(ty.clone());
                            }
                            ui.end_row();
                        }
                    });
            });
        if let Some(ty) = edit {
            self.editing = Some(Editing {
                id: ty.id,
                management: ty
                    .form
                    .management_years
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                central: ty
                    .form
                    .central_years
                    .map(|y| y.to_string())
                    .unwrap_or_default(),
                form: ty.form,
                error: None,
            });
        }
        if head {
            self.editor_ui(ui, cx);
        }
    }

    fn editor_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(e) = &mut self.editing else {
            return;
        };
        let mut saved = false;
        let mut cancel = false;
        ui.add_space(8.0);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(RichText::new(tf("archive.editing", &[("name", &e.form.name)])).strong());
            ui.horizontal_wrapped(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(160.0);
                    text_field_ui(ui, &t("archive.col_code"), &mut e.form.code, None);
                });
                ui.vertical(|ui| {
                    ui.set_width(320.0);
                    text_field_ui(ui, &t("archive.col_name"), &mut e.form.name, None);
                });
                ui.vertical(|ui| {
                    combo_ui(
                        ui,
                        &t("archive.col_medium"),
                        e.form.medium.label(),
                        140.0,
                        |ui| {
                            for m in Medium::ALL {
                                ui.selectable_value(&mut e.form.medium, *m, m.label());
                            }
                        },
                    );
                });
                ui.vertical(|ui| {
                    combo_ui(
                        ui,
                        &t("archive.col_access"),
                        e.form.access.label(),
                        140.0,
                        |ui| {
                            for a in AccessLevel::ALL {
                                ui.selectable_value(&mut e.form.access, *a, a.label())
                                    .on_hover_text(t(&format!("archive_access_hint.{}", a.code())));
                            }
                        },
                    );
                });
            });
            ui.horizontal_wrapped(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(180.0);
                    text_field_ui(ui, &t("archive.col_storage"), &mut e.form.storage, None);
                });
                ui.vertical(|ui| {
                    ui.set_width(220.0);
                    text_field_ui(
                        ui,
                        &t("archive.col_responsible"),
                        &mut e.form.responsible,
                        None,
                    );
                });
                ui.vertical(|ui| {
                    ui.set_width(170.0);
                    text_field_ui(ui, &t("archive.management_years"), &mut e.management, None);
                });
                ui.vertical(|ui| {
                    ui.set_width(170.0);
                    text_field_ui(ui, &t("archive.central_years"), &mut e.central, None);
                });
                ui.vertical(|ui| {
                    let shown = e
                        .form
                        .disposition
                        .map_or_else(|| t("archive.undefined"), FinalDisposition::label);
                    combo_ui(ui, &t("archive.col_disposition"), shown, 170.0, |ui| {
                        ui.selectable_value(&mut e.form.disposition, None, t("archive.undefined"));
                        for d in FinalDisposition::ALL {
                            ui.selectable_value(&mut e.form.disposition, Some(*d), d.label());
                        }
                    });
                });
            });
            ui.label(RichText::new(t("archive.years_hint")).weak().small());
            if let Some(err) = &e.error {
                error_text_ui(ui, &err.message());
            }
            ui.horizontal(|ui| {
                if ui.button(t("common.save_changes")).clicked() {
                    let years = parse_years(&e.management)
                        .and_then(|m| parse_years(&e.central).map(|c| (m, c)));
                    match years {
                        Err(err) => e.error = Some(err),
                        Ok((m, c)) => {
                            let mut form = e.form.clone();
                            form.management_years = m;
                            form.central_years = c;
                            match cx.apply(Command::SaveRecordType { id: e.id, form }) {
                                Ok(_) => saved = true,
                                Err(Error::Invalid(err)) => e.error = Some(err),
                                Err(_) => {}
                            }
                        }
                    }
                }
                if ui.button(t("common.cancel")).clicked() {
                    cancel = true;
                }
            });
        });
        if saved || cancel {
            self.editing = None;
        }
        if saved {
            self.types = None;
            self.shown_filter = None;
        }
    }

    /// Draws the page.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        self.refresh(ui, cx);
        egui::ScrollArea::vertical()
            .id_salt("archive_page")
            .show(ui, |ui| {
                section_ui(ui, &t("archive.title"));
                ui.label(RichText::new(t("archive.intro")).weak());
                ui.add_space(4.0);
                self.filters_ui(ui, cx);
                if let Some(((id, path), _)) = self.download.ui(ui).map(|c| (c, ())) {
                    self.save(ui, cx, id, path);
                }
                ui.add_space(6.0);
                self.list_ui(ui, cx);
                ui.add_space(14.0);
                ui.separator();
                self.registry_ui(ui, cx);
            });
        self.confirm_ui(ui, cx);
    }
}
