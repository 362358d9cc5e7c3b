//! Resultados: the campaigns with their report's status (borrador / final / entregado, the due
//! date, days late in red) on the left; for the chosen campaign its indicators, the narrative
//! (conclusions and recommendations; Ctrl+S saves, unsaved changes are guarded), the due date,
//! "Generar Excel" / "Generar PDF" (written on a job, kept in the archive), the delivery (by
//! e-mail through the outbox, or by hand, after a confirmation that says to whom) and the
//! department's satisfaction. A solicitante reads its department's reports, downloads the
//! delivered ones and records its satisfaction.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::domain::results::{CSV_MIME, PDF_MIME, ReportStatus, ReportSummary, ResultsData};
use crate::domain::weekly::{Delivery, XLSX_MIME};
use crate::domain::{Action, Role, Settings, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{Command, Cx};
use crate::ui::files;
use crate::ui::widgets::{
    self, Confirm, chip_ui, confirm_ui, date_field_ui, empty_state_ui, error_text_ui, section_ui,
    text_area_ui, text_field_ui,
};

/// What a file action makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Xlsx,
    Pdf,
    Csv,
}

impl Kind {
    fn ext(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Pdf => "pdf",
            Kind::Csv => "csv",
        }
    }
    fn mime(self) -> &'static str {
        match self {
            Kind::Xlsx => XLSX_MIME,
            Kind::Pdf => PDF_MIME,
            Kind::Csv => CSV_MIME,
        }
    }
}

/// What a file chosen in the dialog is for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Save {
    /// A report generated now.
    Generate(Kind),
    /// A delivered report kept in the archive (its record id).
    Download(i64),
}

/// A file made on a job.
struct Made {
    campaign_id: i64,
    kind: Kind,
    file_name: String,
    bytes: Vec<u8>,
    /// Where it was written (a generated file), or the delivery it is for.
    path: Option<PathBuf>,
    deliver: Option<(Delivery, String)>,
}

/// The Resultados sub-page.
#[derive(Default)]
pub struct ResultsPage {
    list: Option<std::sync::Arc<Vec<ReportSummary>>>,
    /// The list being read (a few reads per campaign: off the UI thread).
    list_job: Option<Job<Vec<ReportSummary>, Error>>,
    /// The list changed: read it again, showing the old one meanwhile.
    list_stale: bool,
    selected: Option<i64>,
    data: Option<std::sync::Arc<ResultsData>>,
    job: Option<(i64, Job<ResultsData, Error>)>,
    making: Option<Job<Made, Error>>,
    background: Option<Store>,
    narrative: String,
    saved_narrative: String,
    due: String,
    saved_due: String,
    due_error: Option<String>,
    file: files::Chooser<Save>,
    confirm: Option<(Delivery, String)>,
    hand_to: String,
    score: i64,
    comment: String,
    error: Option<String>,
    /// The delivery's recipients, read once per campaign (not every frame).
    recipients: Option<(i64, Vec<(String, String)>)>,
}

impl ResultsPage {
    pub fn mark_stale(&mut self) {
        self.list_stale = true;
        self.recipients = None;
        if !self.unsaved() {
            self.data = None;
        }
    }

    pub fn unsaved(&self) -> bool {
        self.selected.is_some()
            && (self.narrative != self.saved_narrative || self.due.trim() != self.saved_due.trim())
    }

    pub fn discard(&mut self) {
        self.narrative = self.saved_narrative.clone();
        self.due = self.saved_due.clone();
        self.due_error = None;
    }

    /// Saves the narrative and the due date; false (the error under the field) when refused.
    pub fn save(&mut self, cx: &mut Cx<'_>) -> bool {
        let Some(id) = self.selected else { return true };
        let due = self.due.trim();
        let due_date = if due.is_empty() {
            None
        } else {
            match crate::domain::brief::parse_date(due) {
                Some(d) => Some(d),
                None => {
                    self.due_error = Some(t("results.err_due_date"));
                    return false;
                }
            }
        };
        match cx.apply(Command::SaveResults {
            campaign_id: id,
            narrative: self.narrative.clone(),
            due_date,
        }) {
            Ok(_) => {
                self.saved_narrative = self.narrative.clone();
                self.saved_due = self.due.clone();
                self.due_error = None;
                self.list_stale = true;
                self.data = None;
                true
            }
            Err(Error::Invalid(e)) => {
                self.due_error = Some(e.message());
                false
            }
            Err(_) => false,
        }
    }

    fn writes(cx: &Cx<'_>) -> bool {
        cx.actor.can(Action::ViewAllBriefs)
    }

    fn select(&mut self, id: i64) {
        if self.selected != Some(id) {
            self.selected = Some(id);
            self.data = None;
            self.job = None;
            self.error = None;
            self.confirm = None;
            self.narrative.clear();
            self.saved_narrative.clear();
            self.due.clear();
            self.saved_due.clear();
            self.due_error = None;
            self.score = 0;
            self.comment.clear();
        }
    }

    /// Reads the chosen campaign's report off the UI thread.
    fn refresh(&mut self, ui: &Ui, cx: &mut Cx<'_>, id: i64) {
        let running = self.job.as_ref().map(|(j, _)| *j);
        if self.data.as_ref().map(|d| d.campaign_id) != Some(id) && running != Some(id) {
            let store = cx.background(&mut self.background);
            let actor = cx.actor.clone();
            let repaint = ui.ctx().clone();
            self.job = Some((
                id,
                Job::spawn(
                    "results",
                    String::new(),
                    move || repaint.request_repaint(),
                    move |_, _| store.results(&actor, id),
                ),
            ));
        }
        if let Some((j, job)) = &mut self.job {
            match job.poll() {
                Some(Ok(d)) => {
                    if *j == id {
                        // The editor keeps what the user typed; it takes the saved text only
                        // when nothing is pending.
                        let pending = self.narrative != self.saved_narrative
                            || self.due.trim() != self.saved_due.trim();
                        self.saved_narrative = d.record.narrative.clone();
                        self.saved_due = if d.record.due_date_set {
                            d.record
                                .due_date
                                .map(|x| format::date(&x))
                                .unwrap_or_default()
                        } else {
                            String::new()
                        };
                        if !pending {
                            self.narrative = self.saved_narrative.clone();
                            self.due = self.saved_due.clone();
                        }
                        self.data = Some(std::sync::Arc::new(d));
                    }
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                    self.job = None;
                    self.selected = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    /// Makes a file on a job: written to `path`, or delivered.
    fn make(
        &mut self,
        ui: &Ui,
        cx: &Cx<'_>,
        kind: Kind,
        path: Option<PathBuf>,
        deliver: Option<(Delivery, String)>,
    ) {
        let Some(data) = self.data.clone() else {
            return;
        };
        let settings: Settings = cx.settings.clone();
        let now = cx.store.now();
        let repaint = ui.ctx().clone();
        let lang = crate::i18n::lang();
        self.making = Some(Job::spawn(
            "results_file",
            String::new(),
            move || repaint.request_repaint(),
            move |_, _| {
                crate::i18n::set_lang(lang);
                let text = |e: String| Error::Other(crate::i18n::Msg::text(e));
                let bytes = match kind {
                    Kind::Xlsx => crate::report::results::results_xlsx(&data, &settings),
                    Kind::Pdf => crate::report::results::results_pdf(&data, &settings, now),
                    Kind::Csv => crate::report::results::results_csv(&data, &settings),
                }
                .map_err(text)?;
                if let Some(p) = &path {
                    std::fs::write(p, &bytes).map_err(|e| text(e.to_string()))?;
                }
                Ok(Made {
                    campaign_id: data.campaign_id,
                    kind,
                    file_name: data.file_name(kind.ext()),
                    bytes,
                    path,
                    deliver,
                })
            },
        ));
    }

    /// Takes a finished file: records it in the archive, or delivers it.
    fn made(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        let Some(job) = &mut self.making else { return };
        match job.poll() {
            None => ui
                .ctx()
                .request_repaint_after(std::time::Duration::from_millis(100)),
            Some(Err(e)) => {
                cx.toasts
                    .error(tf("results.err_file", &[("detail", &e.to_string())]));
                self.making = None;
            }
            Some(Ok(m)) => {
                self.making = None;
                let result = match m.deliver {
                    Some((how, received_by)) => cx.apply(Command::DeliverResults {
                        campaign_id: m.campaign_id,
                        how,
                        received_by,
                        file_name: m.file_name,
                        mime: m.kind.mime().to_owned(),
                        content: m.bytes,
                    }),
                    None => {
                        if let Some(p) = &m.path {
                            cx.toasts
                                .success(tf("common.saved_to", &[("path", &p.display())]));
                        }
                        cx.apply(Command::ArchiveResults {
                            campaign_id: m.campaign_id,
                            file_name: m.file_name,
                            mime: m.kind.mime().to_owned(),
                            content: m.bytes,
                        })
                    }
                };
                match result {
                    Ok(_) => {
                        self.error = None;
                        self.list_stale = true;
                        self.data = None;
                    }
                    Err(Error::Invalid(e)) => self.error = Some(e.message()),
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if (self.list.is_none() || self.list_stale) && self.list_job.is_none() {
            self.list_stale = false;
            let store = cx.background(&mut self.background);
            let actor = cx.actor.clone();
            let repaint = ui.ctx().clone();
            self.list_job = Some(Job::spawn(
                "results_list",
                String::new(),
                move || repaint.request_repaint(),
                move |_, _| store.results_list(&actor),
            ));
        }
        if let Some(job) = &mut self.list_job {
            match job.poll() {
                Some(read) => {
                    self.list = Some(std::sync::Arc::new(cx.shown(read).unwrap_or_default()));
                    self.list_job = None;
                }
                None => {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                    if self.list.is_none() {
                        ui.add(egui::Spinner::new());
                        return;
                    }
                }
            }
        }
        let list = self.list.clone().unwrap_or_default();
        ui.label(RichText::new(tf("results.count", &[("n", &list.len())])).weak());
        if list.is_empty() {
            empty_state_ui(ui, &t("results.empty"));
            return;
        }
        let today = format::today(cx.store.now(), cx.settings);
        egui::ScrollArea::vertical().show(ui, |ui| {
            for s in list.iter() {
                let selected = self.selected == Some(s.campaign_id);
                if ui.selectable_label(selected, &s.campaign).clicked() {
                    if self.unsaved() {
                        // The shell's guard covers leaving the tab; inside it, save first.
                        let _ = self.save(cx);
                    }
                    self.select(s.campaign_id);
                }
                ui.horizontal_wrapped(|ui| {
                    status_chip(ui, s.record.status);
                    ui.label(RichText::new(&s.department).small().weak());
                });
                if let Some(due) = s.record.due_date {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(tf(
                                "results.due_short",
                                &[("date", &format::date(&due))],
                            ))
                            .small(),
                        );
                        let late = s.record.days_late(today, cx.settings);
                        if late > 0
                            && s.campaign_status
                                == crate::domain::procedure::CampaignStatus::Cerrada
                        {
                            ui.label(
                                RichText::new(tf("results.late", &[("n", &late)]))
                                    .small()
                                    .color(widgets::ERROR),
                            );
                        }
                    });
                }
                ui.add_space(6.0);
            }
        });
    }

    fn detail_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &ResultsData) {
        let writes = Self::writes(cx);
        section_ui(ui, &tf("results.title_of", &[("campaign", &d.campaign)]));
        ui.horizontal_wrapped(|ui| {
            status_chip(ui, d.record.status);
            ui.label(format!("{} · {}", d.department, d.campaign_status.label()));
        });
        ui.add_space(6.0);
        // The indicators in two columns; how each is computed (its denominator) on hover.
        let lines = crate::report::results::lines(&d.indicators, d.terceros);
        let half = lines.len().div_ceil(2);
        ui.horizontal_top(|ui| {
            for (i, part) in lines.chunks(half).enumerate() {
                egui::Grid::new(("results_indicators", i))
                    .num_columns(2)
                    .spacing([14.0, 3.0])
                    .striped(true)
                    .show(ui, |ui| {
                        for l in part {
                            // No denominator yet: a dash, the reason on hover.
                            let (shown, how) = match l.value {
                                Some(_) => (l.shown.clone(), l.how.clone()),
                                None => ("—".to_owned(), format!("{} {}", l.shown, l.how)),
                            };
                            ui.label(&l.name).on_hover_text(&how);
                            ui.strong(shown).on_hover_text(&how);
                            ui.end_row();
                        }
                    });
                ui.add_space(24.0);
            }
        });
        ui.add_space(10.0);

        // The narrative and the due date.
        let default_due = d
            .record
            .due_date
            .filter(|_| !d.record.due_date_set)
            .map(|x| format::date(&x));
        if writes {
            text_area_ui(ui, &t("results.narrative"), &mut self.narrative, None, 6);
            let r = date_field_ui(
                ui,
                &t("results.due_date"),
                &mut self.due,
                self.due_error.as_deref(),
            );
            if r.changed() {
                self.due_error = None;
            }
            if self.due.trim().is_empty() {
                let hint = default_due.map_or_else(
                    || t("results.no_due_date"),
                    |x| tf("results.due_default", &[("date", &x)]),
                );
                ui.label(RichText::new(hint).weak().small());
            }
            let save = ui
                .add_enabled(self.unsaved(), egui::Button::new(t("results.save")))
                .on_hover_text(t("results.save_hover"));
            if save.clicked()
                || (self.unsaved()
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)))
            {
                self.save(cx);
            }
        } else {
            let due = d
                .record
                .due_date
                .map(|x| format::date(&x))
                .unwrap_or_default();
            for (label, value) in [
                (t("results.narrative"), d.record.narrative.clone()),
                (t("results.due_date"), due),
            ] {
                ui.label(RichText::new(label).weak());
                let value = if value.trim().is_empty() {
                    "—".to_owned()
                } else {
                    value
                };
                ui.add(egui::Label::new(value).wrap());
                ui.add_space(4.0);
            }
        }
        ui.add_space(10.0);

        // The files.
        let busy = self.making.is_some();
        let mut chosen = None;
        if writes {
            ui.horizontal(|ui| {
                for (key, kind, filter) in [
                    ("results.make_xlsx", Kind::Xlsx, "Excel"),
                    ("results.make_pdf", Kind::Pdf, "PDF"),
                    ("results.make_csv", Kind::Csv, "CSV"),
                ] {
                    if ui.add_enabled(!busy, egui::Button::new(t(key))).clicked() {
                        chosen = self.file.ask(
                            cx.dialog,
                            files::Request::save(
                                &t(key),
                                &d.file_name(kind.ext()),
                                filter,
                                &[kind.ext()],
                            ),
                            Save::Generate(kind),
                        );
                    }
                }
                if busy {
                    ui.spinner();
                    ui.label(RichText::new(t("results.making")).weak());
                }
            });
        }
        if let Some(del) = &d.record.delivered
            && let Some(record) = del.record_id
            && !writes
            && ui
                .add_enabled(!busy, egui::Button::new(t("results.download")))
                .clicked()
        {
            chosen = self.file.ask(
                cx.dialog,
                files::Request::save(
                    &t("results.download"),
                    &d.file_name(Kind::Xlsx.ext()),
                    "Excel",
                    &["xlsx", "pdf"],
                ),
                Save::Download(record),
            );
        }
        if let Some((save, path)) = chosen.or_else(|| self.file.ui(ui)) {
            match save {
                Save::Generate(kind) => self.make(ui, cx, kind, Some(path), None),
                Save::Download(record) => {
                    match cx
                        .shown(cx.store.results_file(cx.actor, d.campaign_id, record))
                        .map(|(_, _, bytes)| std::fs::write(&path, bytes))
                    {
                        Some(Ok(())) => cx
                            .toasts
                            .success(tf("common.saved_to", &[("path", &path.display())])),
                        Some(Err(e)) => cx.toasts.error(e.to_string()),
                        None => {}
                    }
                }
            }
        }
        ui.add_space(10.0);

        // The delivery.
        ui.label(RichText::new(t("results.delivery_title")).strong());
        match &d.record.delivered {
            Some(del) => {
                ui.label(tf(
                    "results.delivered_value",
                    &[
                        ("how", &del.how.label()),
                        ("when", &format::datetime(del.at, cx.settings)),
                        ("to", &del.to),
                        ("by", &del.by_name),
                    ],
                ));
            }
            None if !writes => {
                ui.label(RichText::new(t("results.not_delivered")).weak());
            }
            None => self.delivery_ui(ui, cx, d, busy),
        }
        if let Some(e) = &self.error {
            error_text_ui(ui, e);
        }
        ui.add_space(10.0);
        self.satisfaction_ui(ui, cx, d);
    }

    fn delivery_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &ResultsData, busy: bool) {
        let closed = d.campaign_status == crate::domain::procedure::CampaignStatus::Cerrada;
        if !closed {
            ui.label(RichText::new(t("results.err_not_closed")).weak());
        }
        let why = t("results.err_not_closed");
        if closed && self.recipients.as_ref().map(|r| r.0) != Some(d.campaign_id) {
            let read = cx
                .shown(cx.store.results_recipients(cx.actor, d.campaign_id))
                .unwrap_or_default();
            self.recipients = Some((d.campaign_id, read));
        }
        let recipients = match &self.recipients {
            Some((c, r)) if closed && *c == d.campaign_id => r.clone(),
            _ => Vec::new(),
        };
        let to_text = recipients
            .iter()
            .map(|(n, a)| {
                if n.is_empty() {
                    a.clone()
                } else {
                    format!("{n} <{a}>")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        ui.horizontal(|ui| {
            let b = ui
                .add_enabled(
                    closed && !busy && !recipients.is_empty(),
                    egui::Button::new(t("results.deliver_mail")),
                )
                .on_disabled_hover_text(if closed {
                    t("results.err_no_recipients")
                } else {
                    why.clone()
                })
                .on_hover_text(tf("results.deliver_mail_hover", &[("to", &to_text)]));
            if b.clicked() {
                self.confirm = Some((Delivery::Correo, to_text.clone()));
            }
        });
        ui.scope(|ui| {
            ui.set_max_width(420.0);
            text_field_ui(ui, &t("results.received_by"), &mut self.hand_to, None);
        });
        {
            let b = ui
                .add_enabled(
                    closed && !busy,
                    egui::Button::new(t("results.deliver_hand")),
                )
                .on_disabled_hover_text(why.clone());
            if b.clicked() {
                if self.hand_to.trim().is_empty() {
                    self.error = Some(t("results.err_received_by"));
                } else {
                    self.confirm = Some((Delivery::AMano, self.hand_to.trim().to_owned()));
                }
            }
        }
        if let Some((how, to)) = self.confirm.clone() {
            let body = match how {
                Delivery::Correo => tf(
                    "results.confirm_mail",
                    &[("to", &to), ("campaign", &d.campaign)],
                ),
                _ => tf(
                    "results.confirm_hand",
                    &[("to", &to), ("campaign", &d.campaign)],
                ),
            };
            match confirm_ui(
                ui,
                "results_confirm_delivery",
                &t("results.confirm_title"),
                &body,
                &t("results.confirm_yes"),
            ) {
                Confirm::Open => {}
                Confirm::No => self.confirm = None,
                Confirm::Yes => {
                    self.confirm = None;
                    let received = if how == Delivery::AMano {
                        to
                    } else {
                        String::new()
                    };
                    self.make(ui, cx, Kind::Xlsx, None, Some((how, received)));
                }
            }
        }
    }

    fn satisfaction_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, d: &ResultsData) {
        let Some(_) = &d.record.delivered else { return };
        ui.label(RichText::new(t("results.satisfaction_title")).strong());
        if let Some(s) = &d.record.satisfaction {
            ui.label(tf(
                "results.satisfaction_value",
                &[
                    ("score", &s.score),
                    ("comment", &s.comment),
                    ("by", &s.by_name),
                    ("when", &format::datetime(s.at, cx.settings)),
                ],
            ));
            return;
        }
        let may = matches!(
            cx.actor.role(),
            Some(Role::Solicitante) | Some(Role::Jefe) | None
        );
        if !may {
            ui.label(RichText::new(t("results.satisfaction_pending")).weak());
            return;
        }
        ui.horizontal(|ui| {
            ui.label(t("results.score"));
            for n in 1..=5 {
                ui.selectable_value(&mut self.score, n, tf("results.score_n", &[("n", &n)]));
            }
        });
        text_field_ui(ui, &t("results.comment"), &mut self.comment, None);
        if ui.button(t("results.record_satisfaction")).clicked() {
            match cx.apply(Command::RecordSatisfaction {
                campaign_id: d.campaign_id,
                score: self.score,
                comment: self.comment.clone(),
            }) {
                Ok(_) => {
                    self.error = None;
                    self.data = None;
                    self.list_stale = true;
                }
                Err(Error::Invalid(e)) => self.error = Some(e.message()),
                Err(_) => {}
            }
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        self.made(ui, cx);
        // A floor for the width: while the list is read (a spinner), the panel would otherwise
        // settle at the spinner's width and keep it.
        egui::Panel::left("results_list")
            .default_size(300.0)
            .min_size(240.0)
            .resizable(true)
            .show(ui, |ui| self.list_ui(ui, cx));
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(id) = self.selected else {
                empty_state_ui(ui, &t("results.select_hint"));
                return;
            };
            self.refresh(ui, cx, id);
            let Some(d) = self.data.clone().filter(|d| d.campaign_id == id) else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(t("tally.loading")).weak());
                });
                return;
            };
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| self.detail_ui(ui, cx, &d));
        });
    }
}

fn status_chip(ui: &mut Ui, s: ReportStatus) {
    let color = match s {
        ReportStatus::Borrador => widgets::WARNING,
        ReportStatus::Final => widgets::ACCENT,
        ReportStatus::Entregado => widgets::SUCCESS,
    };
    chip_ui(ui, &s.label(), color);
}
