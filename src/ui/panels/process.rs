//! Indicadores del proceso (ISO 9001 9.1, the head): briefs received on time and late, the
//! non-conformities found, closed and open, and the register of non-conformities (10.2) with
//! its form: what happened, cause, action, who answers, found and closed days. Figures and
//! register are read on a background job; saving goes through `Command::SaveNonConformity`.

use egui::{RichText, Ui};

use crate::domain::process::{NonConformity, NonConformityForm, ProcessIndicators};
use crate::domain::{Field, FieldError, format};
use crate::i18n::t;
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{Command, Cx};
use crate::ui::widgets::{
    self, date_field_ui, empty_state_ui, err_for, req, section_ui, text_area_ui, text_field_ui,
};

type Loaded = (ProcessIndicators, Vec<NonConformity>);

/// The form being edited: which one (`None` for a new one), its fields and errors.
struct Editing {
    id: Option<i64>,
    form: NonConformityForm,
    /// The form as it opened (what "unsaved" compares with).
    baseline: NonConformityForm,
    errors: Vec<FieldError>,
}

impl Editing {
    fn new(id: Option<i64>, form: NonConformityForm) -> Self {
        Self {
            id,
            baseline: form.clone(),
            form,
            errors: Vec::new(),
        }
    }
}

/// The process page.
#[derive(Default)]
pub struct ProcessPanel {
    loaded: Option<Loaded>,
    job: Option<Job<Loaded, Error>>,
    background: Option<Store>,
    editing: Option<Editing>,
}

impl ProcessPanel {
    /// Reads again the next time it shows.
    pub fn mark_stale(&mut self) {
        self.loaded = None;
    }

    /// Drops the form being edited.
    pub fn discard(&mut self) {
        self.editing = None;
    }

    /// Whether the form holds something typed and not saved.
    pub fn unsaved(&self) -> bool {
        self.editing.as_ref().is_some_and(|e| e.form != e.baseline)
    }

    fn load(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        if self.loaded.is_none() && self.job.is_none() {
            let store = cx.background(&mut self.background);
            let actor = cx.actor.clone();
            let repaint = ui.ctx().clone();
            self.job = Some(Job::spawn(
                "process",
                String::new(),
                move || repaint.request_repaint(),
                move |_, _| {
                    Ok((
                        store.process_indicators(&actor, None, None)?,
                        store.nonconformities(&actor)?,
                    ))
                },
            ));
        }
        if let Some(job) = &mut self.job {
            match job.poll() {
                Some(Ok(l)) => {
                    self.loaded = Some(l);
                    self.job = None;
                }
                Some(Err(e)) => {
                    cx.toasts
                        .error(crate::i18n::tf("common.load_failed", &[("error", &e)]));
                    self.loaded = Some(Default::default());
                    self.job = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    /// Draws the page.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        self.load(ui, cx);
        let Some((figures, list)) = &self.loaded else {
            ui.spinner();
            return;
        };
        section_ui(ui, &t("process.title"));
        ui.label(RichText::new(t("process.intro")).weak());
        ui.add_space(4.0);
        let on_time = figures
            .on_time_rate()
            .map_or("—".to_owned(), format::percent);
        let cards = [
            (
                "process.briefs_received",
                figures.briefs_received.to_string(),
            ),
            ("process.on_time_rate", on_time),
            ("process.briefs_late", figures.briefs_late.to_string()),
            (
                "process.nonconformities",
                figures.nonconformities.to_string(),
            ),
            (
                "process.nonconformities_closed",
                figures.nonconformities_closed.to_string(),
            ),
            (
                "process.nonconformities_open",
                figures.nonconformities_open.to_string(),
            ),
            ("process.reports_due", figures.reports_due.to_string()),
            (
                "process.reports_on_time_rate",
                figures
                    .reports_on_time_rate()
                    .map_or("—".to_owned(), format::percent),
            ),
            (
                "process.days_late_mean",
                figures
                    .days_late_mean
                    .map_or("—".to_owned(), format::decimal),
            ),
            (
                "process.satisfaction_mean",
                figures
                    .satisfaction_mean
                    .map_or("—".to_owned(), |m| format!("{} / 5", format::decimal(m))),
            ),
        ];
        // Five in a row on a wide window and on a laptop's, three on a narrow one.
        let per_row = if ui.available_width() >= 900.0 { 5 } else { 3 };
        let gap = 8.0;
        let width = (ui.available_width() - gap * (per_row as f32 - 1.0)) / per_row as f32 - 26.0;
        egui::Grid::new("process_cards")
            .spacing([gap, gap])
            .show(ui, |ui| {
                for (n, (key, value)) in cards.iter().enumerate() {
                    card_ui(ui, &t(key), value, width);
                    if (n + 1) % per_row == 0 {
                        ui.end_row();
                    }
                }
            });
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            section_ui(ui, &t("process.register"));
            if self.editing.is_none() && ui.button(t("process.new")).clicked() {
                self.editing = Some(Editing::new(
                    None,
                    NonConformityForm {
                        found_on: format::date(&format::today(cx.store.now(), cx.settings)),
                        ..Default::default()
                    },
                ));
                widgets::focus_next_field(ui);
            }
        });
        let mut edit = None;
        if list.is_empty() {
            empty_state_ui(ui, &t("process.empty"));
        } else {
            egui::Grid::new("nonconformities")
                .striped(true)
                .num_columns(6)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for h in [
                        "process.col_found",
                        "process.col_finding",
                        "process.col_responsible",
                        "process.col_action",
                        "process.col_closed",
                        "",
                    ] {
                        if h.is_empty() {
                            ui.label("");
                        } else {
                            ui.label(RichText::new(t(h)).strong());
                        }
                    }
                    ui.end_row();
                    for n in list {
                        ui.label(format::date(&n.found_on));
                        ui.add(egui::Label::new(&n.finding).wrap());
                        ui.label(&n.responsible);
                        ui.add(egui::Label::new(&n.action).wrap());
                        match n.closed_on {
                            Some(d) => ui.label(format::date(&d)),
                            None => widgets::chip_ui(ui, &t("process.open"), widgets::WARNING),
                        };
                        if ui
                            .button(t("process.edit"))
                            .on_hover_text(t("process.edit_hover"))
                            .clicked()
                        {
                            edit = Some(n.clone());
                        }
                        ui.end_row();
                    }
                });
        }
        if let Some(n) = edit {
            self.editing = Some(Editing::new(Some(n.id), NonConformityForm::of(&n)));
            widgets::focus_next_field(ui);
        }
        self.form_ui(ui, cx);
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(e) = &mut self.editing else {
            return;
        };
        ui.add_space(8.0);
        let mut close = false;
        let mut save = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(t(if e.id.is_some() {
                    "process.edit_title"
                } else {
                    "process.new_title"
                }))
                .strong(),
            );
            widgets::required_legend_ui(ui);
            let before = e.form.clone();
            text_area_ui(
                ui,
                req(&t("process.f_finding")),
                &mut e.form.finding,
                err_for(&e.errors, Field::Finding),
                2,
            );
            text_field_ui(
                ui,
                req(&t("process.f_responsible")),
                &mut e.form.responsible,
                err_for(&e.errors, Field::Responsible),
            );
            date_field_ui(
                ui,
                req(&t("process.f_found")),
                &mut e.form.found_on,
                err_for(&e.errors, Field::FoundOn),
            );
            text_area_ui(
                ui,
                &t("process.f_cause"),
                &mut e.form.cause,
                err_for(&e.errors, Field::Cause),
                2,
            );
            text_area_ui(
                ui,
                &t("process.f_action"),
                &mut e.form.action,
                err_for(&e.errors, Field::CorrectiveAction),
                2,
            );
            date_field_ui(
                ui,
                &t("process.f_closed"),
                &mut e.form.closed_on,
                err_for(&e.errors, Field::ClosedOn),
            );
            let today = format::today(cx.store.now(), cx.settings);
            if e.form != before {
                let fresh = e.form.validate(today).err().unwrap_or_default();
                let changed: Vec<Field> = changed_fields(&before, &e.form);
                widgets::revalidate(&mut e.errors, &changed, fresh);
            }
            ui.horizontal(|ui| {
                save = ui
                    .button(t("common.save"))
                    .on_hover_text(t("common.save_hover"))
                    .clicked()
                    || ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S));
                close = ui.button(t("common.cancel")).clicked()
                    || ui.input(|i| i.key_pressed(egui::Key::Escape));
            });
        });
        if save {
            close = self.save(cx);
        }
        if close {
            self.editing = None;
        }
    }

    /// Saves the form; false (its errors showing) when refused.
    pub fn save(&mut self, cx: &mut Cx<'_>) -> bool {
        let Some(e) = &mut self.editing else {
            return true;
        };
        let today = format::today(cx.store.now(), cx.settings);
        if let Err(errors) = e.form.validate(today) {
            e.errors = errors;
            return false;
        }
        match cx.apply(Command::SaveNonConformity {
            id: e.id,
            form: e.form.clone(),
        }) {
            Ok(_) => {
                self.editing = None;
                self.loaded = None;
                true
            }
            Err(Error::Invalid(fe)) => {
                e.errors = vec![fe];
                false
            }
            Err(_) => false,
        }
    }
}

/// The fields whose text changed between two versions of the form.
fn changed_fields(a: &NonConformityForm, b: &NonConformityForm) -> Vec<Field> {
    [
        (a.finding != b.finding, Field::Finding),
        (a.responsible != b.responsible, Field::Responsible),
        (a.found_on != b.found_on, Field::FoundOn),
        (a.cause != b.cause, Field::Cause),
        (a.action != b.action, Field::CorrectiveAction),
        (a.closed_on != b.closed_on, Field::ClosedOn),
    ]
    .into_iter()
    .filter(|(c, _)| *c)
    .map(|(_, f)| f)
    .collect()
}

/// A figure on a small card: the number large, its name under it.
fn card_ui(ui: &mut Ui, name: &str, value: &str, width: f32) {
    egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| {
                ui.label(RichText::new(value).size(20.0).strong());
                ui.add(egui::Label::new(RichText::new(name).small().weak()).truncate())
                    .on_hover_text(name);
            });
        });
}
