//! Mis llamadas (agents, and the professional, who also calls): the screen of `UX.md`, "Mis
//! llamadas". A campaign; the next contact's card with the phone as the largest text; the
//! script filled for this contact; the outcome buttons with their digit keys. One key records
//! the outcome (only while no text field has the keyboard, so the notes never lose a digit);
//! the next contact appears at once; the last outcome can be undone for a few seconds.
//!
//! Every store call here is a [`CallCommand`] run off the UI thread ([`spawn_call`]): a frame
//! never waits for the database, even while another desk imports.

mod card;
mod outcome;
mod script;

use std::collections::BTreeMap;

use egui::{Color32, Key, RichText, Ui};

use super::{Tab, TabView};
use crate::domain::calendar::NotNowReason;
use crate::domain::call::{Next, NextContact, NoCallReason};
use crate::domain::campaign::AgentCampaign;
use crate::domain::card::{Card, HistoryKind, Progress};
use crate::domain::catalog::{Disposition, DispositionCategory};
use crate::domain::procedure::CampaignStatus;
use crate::domain::script::{QuestionKind, ScriptVersion, reading_values, render};
use crate::domain::{Action, Field, FieldError, Role, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{CallApplied, CallCommand, Cx, spawn_call};
use crate::ui::widgets::{
    self, ACCENT, chip_ui, empty_state_ui, err_for, error_text_ui, inline_combo_ui, section_ui,
};

/// Seconds during which the last outcome can be undone.
pub const UNDO_SHOWN_SECS: f64 = crate::domain::call::UNDO_SECS as f64;

/// Width of the outcome column.
const OUTCOME_WIDTH: f32 = 300.0;

/// What the centre of the screen shows.
#[derive(Clone, Debug, Default)]
enum View {
    /// No campaign chosen, or waiting for the first answer.
    #[default]
    Idle,
    /// A contact to call.
    Contact(Box<NextContact>),
    /// Nothing may be called now.
    Nothing {
        reason: NoCallReason,
        why: Option<NotNowReason>,
        next_window: Option<i64>,
    },
}

/// An answer typed or chosen for a survey question.
#[derive(Clone, Debug, Default, PartialEq)]
struct Answer {
    text: String,
    chosen: Vec<String>,
}

impl Answer {
    fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.chosen.is_empty()
    }
}

/// The outcome being recorded.
#[derive(Clone, Debug, Default)]
struct OutcomeForm {
    /// The disposition picked that still needs something (a reason, a date).
    chosen: Option<i64>,
    notes: String,
    reason: Option<String>,
    callback_date: String,
    callback_time: String,
    answers: BTreeMap<u32, Answer>,
    errors: Vec<FieldError>,
    /// Focus this field next frame.
    focus: Option<Field>,
}

/// The outcome just recorded, for the undo bar.
#[derive(Clone, Debug)]
struct Last {
    name: String,
    outcome: String,
    /// The attempt, for "Deshacer".
    uuid: String,
    /// "Enviar información" applies: the program (an interested contact with an e-mail).
    info_program: Option<i64>,
    /// Sent already.
    info_sent: bool,
    campaign_id: i64,
    contact_id: i64,
    /// When it was recorded (window time, seconds).
    at: f64,
}

/// The Mis llamadas tab.
#[derive(Default)]
pub struct CallsTab {
    loaded: bool,
    campaigns: Vec<AgentCampaign>,
    campaign: Option<i64>,
    dispositions: Vec<Disposition>,
    script: Option<ScriptVersion>,
    /// The requesting department's name (the script's `{dependencia}`).
    department: String,
    view: View,
    /// The card of the contact on screen.
    card: Option<Box<Card>>,
    /// The agent's figures in the campaign.
    progress: Option<Progress>,
    /// The correction being typed (phone, e-mail), when open.
    correcting: Option<(String, String)>,
    form: OutcomeForm,
    job: Option<Job<CallApplied, Error>>,
    /// What the running job is recording (its contact's name and outcome), for the undo bar.
    recording: Option<(String, String)>,
    /// The program the recorded contact asked about and whether "Enviar información" applies
    /// (an interested outcome, a contact with an e-mail).
    recording_info: Option<i64>,
    /// The catalog's programs and services (their sheets).
    programs: Vec<crate::domain::Program>,
    /// A second connection for the jobs.
    background: Option<Store>,
    /// When the contact showed (window time, seconds).
    shown_at: f64,
    /// When "Llamar" was pressed.
    call_started: Option<f64>,
    last: Option<Last>,
    /// The running job undoes the last outcome.
    undoing: bool,
}

impl TabView for CallsTab {
    fn id(&self) -> Tab {
        Tab::MisLlamadas
    }

    fn label(&self) -> String {
        t("tab.calls")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::RecordCalls)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
    }

    fn unsaved(&self) -> bool {
        // Notes typed for a contact not recorded yet would be lost.
        matches!(self.view, View::Contact(_)) && !self.form.notes.trim().is_empty()
    }

    fn discard_unsaved(&mut self) {
        self.form = OutcomeForm::default();
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.campaigns = cx
                .shown(cx.store.agent_campaigns(cx.actor))
                .unwrap_or_default();
            self.loaded = true;
            // One campaign running: no need to choose.
            let active: Vec<i64> = self
                .campaigns
                .iter()
                .filter(|c| c.status == CampaignStatus::Activa)
                .map(|c| c.id)
                .collect();
            match self.campaign {
                Some(id) if self.campaigns.iter().any(|c| c.id == id) => {}
                _ => {
                    self.campaign = None;
                    if let [only] = active[..] {
                        self.choose(ui, cx, only);
                    }
                }
            }
        }
        self.poll(ui, cx);
        self.keys(ui, cx);
        self.top_ui(ui, cx);
        ui.separator();
        let undo_bar = self.last.is_some() || self.recording.is_some();
        let body_height = ui.available_height() - if undo_bar { 34.0 } else { 0.0 };
        ui.allocate_ui(egui::vec2(ui.available_width(), body_height), |ui| {
            self.body_ui(ui, cx);
        });
        if undo_bar {
            ui.separator();
            self.last_ui(ui, cx);
        }
    }
}

impl CallsTab {
    /// Picks a campaign: its outcomes and script, and its first contact.
    fn choose(&mut self, ui: &Ui, cx: &mut Cx<'_>, id: i64) {
        self.campaign = Some(id);
        self.dispositions = cx
            .shown(cx.store.campaign_dispositions(id))
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d.active)
            .collect();
        self.script = cx.shown(cx.store.campaign_script(cx.actor, id)).flatten();
        self.programs = cx.shown(cx.store.programs()).unwrap_or_default();
        self.department = cx
            .shown(cx.store.campaign(cx.actor, id))
            .map(|c| c.department)
            .unwrap_or_default();
        self.view = View::Idle;
        self.form = OutcomeForm::default();
        self.last = None;
        self.run(ui, cx, CallCommand::Next { campaign_id: id });
    }

    /// Starts a store call in the background.
    fn run(&mut self, ui: &Ui, cx: &Cx<'_>, cmd: CallCommand) {
        let store = cx.background(&mut self.background);
        let ctx = ui.ctx().clone();
        self.job = Some(spawn_call(
            store,
            cx.actor.clone(),
            cx.user.login.clone(),
            cmd,
            move || ctx.request_repaint(),
        ));
    }

    /// Takes the answer of the running store call.
    fn poll(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        let Some(job) = &mut self.job else {
            return;
        };
        let Some(result) = job.poll() else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        self.job = None;
        let now = ui.input(|i| i.time);
        match result {
            Ok(applied) => {
                if let Some(r) = &applied.recorded
                    && let Some((name, outcome)) = self.recording.take()
                    && let Some(campaign_id) = self.campaign
                {
                    self.last = Some(Last {
                        name,
                        outcome,
                        info_program: self.recording_info.take(),
                        info_sent: false,
                        uuid: r.attempt_uuid.clone(),
                        campaign_id,
                        contact_id: r.contact_id,
                        at: now,
                    });
                }
                if self.undoing {
                    // Undone: the bar goes, the contact is back as it was.
                    self.undoing = false;
                    self.last = None;
                    cx.toasts.success(t("calls.undone"));
                }
                let same = match (&self.view, &applied.next) {
                    (View::Contact(a), Next::Contact(b)) => a.contact_id == b.contact_id,
                    _ => false,
                };
                if !same {
                    // A new contact: a fresh form and timer (a correction keeps them).
                    self.form = OutcomeForm::default();
                    self.call_started = None;
                    self.shown_at = now;
                }
                self.correcting = None;
                self.card = applied.card;
                if applied.progress.is_some() {
                    self.progress = applied.progress;
                }
                self.view = match applied.next {
                    Next::Contact(c) => View::Contact(Box::new(c)),
                    Next::Nothing {
                        reason,
                        why,
                        next_window,
                    } => View::Nothing {
                        reason,
                        why,
                        next_window,
                    },
                };
                // The counts on the campaign picker follow (read by the job).
                if let Some(list) = applied.campaigns {
                    self.campaigns = list;
                }
            }
            Err(Error::Invalid(fe)) => {
                // A field's problem (a correction refused): under its field.
                self.recording = None;
                self.undoing = false;
                self.form.errors.retain(|e| e.field != fe.field);
                self.form.errors.push(fe);
            }
            Err(e) => {
                // The form keeps what was typed: nothing is lost, the agent tries again.
                self.recording = None;
                self.undoing = false;
                cx.toasts.error(e.to_string());
                if matches!(self.view, View::Idle) {
                    self.view = View::Nothing {
                        reason: NoCallReason::ColaVacia,
                        why: None,
                        next_window: None,
                    };
                }
            }
        }
    }

    /// Digit keys record an outcome and Enter dials or saves, only while no text field has the
    /// keyboard (a digit typed in the notes stays in the notes).
    fn keys(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        if self.job.is_some() || !matches!(self.view, View::Contact(_)) {
            return;
        }
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        const DIGITS: [(Key, char); 10] = [
            (Key::Num0, '0'),
            (Key::Num1, '1'),
            (Key::Num2, '2'),
            (Key::Num3, '3'),
            (Key::Num4, '4'),
            (Key::Num5, '5'),
            (Key::Num6, '6'),
            (Key::Num7, '7'),
            (Key::Num8, '8'),
            (Key::Num9, '9'),
        ];
        let pressed = ui.input(|i| {
            DIGITS
                .iter()
                .find(|(k, _)| i.key_pressed(*k) && i.modifiers.is_none())
                .map(|(_, c)| *c)
        });
        if let Some(digit) = pressed
            && let Some(d) = self
                .dispositions
                .iter()
                .find(|d| d.key == Some(digit))
                .cloned()
        {
            self.pick(ui, cx, &d);
            return;
        }
        if ui.input(|i| i.key_pressed(Key::Enter)) {
            match self.form.chosen {
                Some(id) => {
                    if let Some(d) = self.dispositions.iter().find(|d| d.id == id).cloned() {
                        self.pick(ui, cx, &d);
                    }
                }
                None => self.dial(ui, cx),
            }
        }
    }

    /// "Llamar": opens the phone through the click-to-call link or command of the settings
    /// and starts the timer (also when the system could not dial: the agent dials by hand).
    fn dial(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        let View::Contact(c) = &self.view else {
            return;
        };
        let phone = self
            .card
            .as_ref()
            .filter(|k| k.contact_id == c.contact_id)
            .map_or(c.phone.clone(), |k| k.phone.clone());
        let target = crate::domain::call::dial_target(&cx.settings.click_to_call, &phone);
        if let Err(e) = (cx.dial)(&target) {
            cx.toasts.error(tf(
                "calls.dial_failed",
                &[("error", &e), ("phone", &format::phone(&phone))],
            ));
        }
        self.call_started = Some(ui.input(|i| i.time));
    }

    /// "Deshacer": the last outcome, while its time lasts.
    fn undo(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        let Some(last) = &self.last else {
            return;
        };
        if self.job.is_some() {
            return;
        }
        let cmd = CallCommand::Undo {
            campaign_id: last.campaign_id,
            contact_id: last.contact_id,
            attempt_uuid: last.uuid.clone(),
        };
        self.undoing = true;
        self.run(ui, cx, cmd);
    }

    /// An outcome chosen (button or key): recorded at once when it needs nothing more, else
    /// kept while the agent fills what it needs (the reason, the callback's date and time, the
    /// required answers).
    fn pick(&mut self, ui: &Ui, cx: &mut Cx<'_>, d: &Disposition) {
        let View::Contact(contact) = &self.view else {
            return;
        };
        let Some(campaign_id) = self.campaign else {
            return;
        };
        self.form.chosen = Some(d.id);
        let mut errors = Vec::new();
        let needs_reason = d.category == DispositionCategory::Negativo;
        if needs_reason && self.form.reason.is_none() {
            errors.push(FieldError::new(Field::Reason, "calls.err_reason"));
        }
        let callback = crate::domain::call::needs_callback(d);
        let mut callback_at = None;
        if callback {
            match crate::domain::callback::callback_at(
                &self.form.callback_date,
                &self.form.callback_time,
                cx.settings.tz(),
                cx.store.now(),
            ) {
                Ok(at) => callback_at = Some(at),
                Err(e) => errors.push(e),
            }
        }
        if d.reached
            && let Some(script) = &self.script
        {
            // The store's rule, on the answers as they will be sent.
            let answers = self
                .answers_json()
                .and_then(|j| crate::domain::call::parse_answers(&j))
                .unwrap_or_default();
            let missing = crate::domain::call::missing_answers(&script.content, &answers);
            if !missing.is_empty() {
                errors.push(FieldError::with(
                    Field::Answers,
                    "calls.err_answers",
                    &[("list", &missing.join(" · "))],
                ));
            }
        }
        if !errors.is_empty() {
            self.form.focus = errors.first().map(|e| e.field);
            self.form.errors = errors;
            return;
        }
        self.form.errors.clear();
        let now = ui.input(|i| i.time);
        let duration = (now - self.call_started.unwrap_or(self.shown_at)).max(0.0) as i64;
        self.recording = Some((contact.name.clone(), d.name.clone()));
        let card = self
            .card
            .as_ref()
            .filter(|k| k.contact_id == contact.contact_id);
        self.recording_info = if d.category == DispositionCategory::Positivo
            && card.is_some_and(|k| k.email.as_deref().is_some_and(|e| !e.trim().is_empty()))
        {
            self.program_of(card.and_then(|k| k.program.as_deref()))
                .map(|p| p.id)
        } else {
            None
        };
        let cmd = CallCommand::Record {
            campaign_id,
            contact_id: contact.contact_id,
            outcome: d.code.clone(),
            reason: if needs_reason {
                self.form.reason.clone()
            } else {
                None
            },
            notes: self.form.notes.trim().to_owned(),
            callback_at,
            duration_secs: duration,
            answers: self.answers_json(),
        };
        self.run(ui, cx, cmd);
    }

    /// The campaign picker and the agent's progress.
    fn top_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let mut chosen = None;
        ui.horizontal(|ui| {
            let current = self
                .campaign
                .and_then(|id| self.campaigns.iter().find(|c| c.id == id))
                .map_or_else(|| t("calls.choose_campaign"), |c| c.name.clone());
            inline_combo_ui(ui, &t("calls.campaign"), current, 280.0, |ui| {
                for c in &self.campaigns {
                    let text = format!(
                        "{} · {} · {}",
                        c.name,
                        c.status.label(),
                        tf(
                            "calls.pending_of",
                            &[
                                ("pending", &format::int(c.pending)),
                                ("total", &format::int(c.total))
                            ]
                        )
                    );
                    if ui
                        .selectable_label(self.campaign == Some(c.id), text)
                        .clicked()
                    {
                        chosen = Some(c.id);
                    }
                }
            });
            if let Some(c) = self
                .campaign
                .and_then(|id| self.campaigns.iter().find(|c| c.id == id))
            {
                if c.status != CampaignStatus::Activa {
                    chip_ui(ui, &c.status.label(), widgets::WARNING);
                }
                if c.shared {
                    chip_ui(ui, &t("calls.shared_queue"), ACCENT);
                }
                let (done, total) = match &self.progress {
                    Some(p) => (p.done, p.assigned),
                    None => (c.total - c.pending, c.total),
                };
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(
                        RichText::new(tf(
                            "calls.progress",
                            &[("done", &format::int(done)), ("total", &format::int(total))],
                        ))
                        .strong(),
                    );
                    if let Some(p) = &self.progress {
                        ui.label(tf(
                            "calls.today",
                            &[("calls", &p.today_calls), ("reached", &p.today_reached)],
                        ));
                    }
                });
            }
        });
        if let Some(id) = chosen
            && Some(id) != self.campaign
            && self.job.is_none()
        {
            self.choose(ui, cx, id);
        }
    }

    fn body_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if self.campaigns.is_empty() {
            empty_state_ui(ui, &t("calls.no_campaigns"));
            return;
        }
        if self.campaign.is_none() {
            empty_state_ui(ui, &t("calls.pick_campaign"));
            return;
        }
        match self.view.clone() {
            View::Idle => {
                ui.add_space(24.0);
                ui.vertical_centered(|ui| {
                    ui.spinner();
                    ui.label(t("calls.loading"));
                });
            }
            View::Nothing {
                reason,
                why,
                next_window,
            } => self.nothing_ui(ui, cx, reason, why.as_ref(), next_window),
            View::Contact(c) => self.contact_ui(ui, cx, &c),
        }
    }

    /// Why nothing is offered now, and when calling may resume.
    fn nothing_ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut Cx<'_>,
        reason: NoCallReason,
        why: Option<&NotNowReason>,
        next_window: Option<i64>,
    ) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            let title = match why {
                Some(w) => w.label(),
                None => match reason {
                    NoCallReason::ColaVacia => t("call.queue_empty"),
                    NoCallReason::FueraDeHorario => t("calendar.reason_fuera_de_horario"),
                    NoCallReason::Festivo => t("calendar.reason_festivo_plain"),
                },
            };
            ui.label(RichText::new(title).size(22.0).strong());
            ui.add_space(8.0);
            match next_window {
                Some(at) => ui.label(
                    RichText::new(tf(
                        "call.next_window",
                        &[("when", &format::datetime(at, cx.settings))],
                    ))
                    .size(16.0),
                ),
                None if reason == NoCallReason::ColaVacia => {
                    ui.label(RichText::new(t("calls.queue_done")).weak())
                }
                None => ui.label(RichText::new(t("call.no_next_window")).weak()),
            };
            ui.add_space(16.0);
            if ui
                .add_enabled(self.job.is_none(), egui::Button::new(t("calls.look_again")))
                .on_hover_text(t("calls.look_again_hover"))
                .clicked()
                && let Some(id) = self.campaign
            {
                self.run(ui, cx, CallCommand::Next { campaign_id: id });
            }
        });
    }

    /// The three columns: the contact, the script, the outcome.
    fn contact_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        use egui_extras::{Size, StripBuilder};
        let width = ui.available_width();
        let outcome_w = OUTCOME_WIDTH.min(width * 0.34);
        let card_w = ((width - outcome_w) * 0.42).clamp(240.0, 420.0);
        StripBuilder::new(ui)
            .size(Size::exact(card_w))
            .size(Size::remainder().at_least(200.0))
            .size(Size::exact(outcome_w))
            .horizontal(|mut strip| {
                strip.cell(|ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("call_card")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.card_ui(ui, cx, c));
                });
                strip.cell(|ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("call_script")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            ui.add_space(2.0);
                            self.script_ui(ui, cx, c);
                        });
                });
                strip.cell(|ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("call_outcome")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.outcome_ui(ui, cx));
                });
            });
    }
}
