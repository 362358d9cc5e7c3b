//! Mis llamadas (agents, and the professional, who also calls): the screen of `UX.md`, "Mis
//! llamadas". A campaign; the next contact's card with the phone as the largest text; the
//! script filled for this contact; the outcome buttons with their digit keys. One key records
//! the outcome (only while no text field has the keyboard, so the notes never lose a digit);
//! the next contact appears at once; the last outcome can be undone for a few seconds.
//!
//! Every store call here is a [`CallCommand`] run off the UI thread ([`spawn_call`]): a frame
//! never waits for the database, even while another desk imports.

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
        let store = self
            .background
            .get_or_insert_with(|| {
                cx.store
                    .connect_again()
                    .unwrap_or_else(|_| cx.store.clone())
            })
            .clone();
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
                // The counts on the campaign picker follow.
                if let Ok(list) = cx.store.agent_campaigns(cx.actor) {
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
            let missing: Vec<String> = script
                .content
                .questions
                .iter()
                .filter(|q| q.is_required())
                .filter(|q| self.form.answers.get(&q.id).is_none_or(Answer::is_empty))
                .map(|q| q.text.clone())
                .collect();
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

    /// The catalog's program or service a contact's file names (case and accents aside).
    fn program_of(&self, name: Option<&str>) -> Option<&crate::domain::Program> {
        let key = crate::domain::script::placeholder_name(name?);
        if key.is_empty() {
            return None;
        }
        self.programs
            .iter()
            .find(|p| crate::domain::script::placeholder_name(&p.name) == key)
    }

    /// The survey's answers as the store keeps them (`{"1": "Sí", "2": ["A", "B"]}`), when any.
    fn answers_json(&self) -> Option<String> {
        let questions = &self.script.as_ref()?.content.questions;
        let mut out = serde_json::Map::new();
        for q in questions {
            let Some(a) = self.form.answers.get(&q.id).filter(|a| !a.is_empty()) else {
                continue;
            };
            let v = match q.kind {
                QuestionKind::Multiple => serde_json::Value::from(a.chosen.clone()),
                QuestionKind::Numero | QuestionKind::Texto => {
                    serde_json::Value::from(a.text.trim())
                }
                _ => serde_json::Value::from(a.chosen.first().cloned().unwrap_or_default()),
            };
            out.insert(q.id.to_string(), v);
        }
        (!out.is_empty()).then(|| serde_json::Value::Object(out).to_string())
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

    fn card_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        section_ui(ui, &t("calls.contact"));
        if c.callback {
            chip_ui(ui, &t("calls.callback_due"), widgets::WARNING);
        }
        let card = self.card.clone().filter(|k| k.contact_id == c.contact_id);
        let name = card.as_ref().map_or(c.name.as_str(), |k| k.name.as_str());
        ui.label(RichText::new(name).size(20.0).strong());
        ui.add_space(6.0);
        let phone = format::phone(card.as_ref().map_or(c.phone.as_str(), |k| k.phone.as_str()));
        ui.label(
            RichText::new(&phone)
                .size(32.0)
                .strong()
                .color(ui.visuals().strong_text_color()),
        )
        .on_hover_text(t("calls.phone_hover"));
        ui.horizontal(|ui| {
            let label = if self.call_started.is_some() {
                t("calls.calling")
            } else {
                t("calls.dial")
            };
            if ui
                .add_enabled(
                    self.call_started.is_none(),
                    egui::Button::new(RichText::new(label).size(16.0).strong())
                        .fill(ACCENT.linear_multiply(0.35))
                        .min_size(egui::vec2(120.0, 32.0)),
                )
                .on_hover_text(t("calls.dial_hover"))
                .clicked()
            {
                self.dial(ui, cx);
            }
            if let Some(started) = self.call_started {
                let secs = (ui.input(|i| i.time) - started).max(0.0) as i64;
                ui.label(
                    RichText::new(format!("{}:{:02}", secs / 60, secs % 60))
                        .size(18.0)
                        .monospace(),
                );
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(500));
            }
        });
        ui.add_space(6.0);
        let alternates: Vec<String> = match &card {
            Some(k) => k.alternates.iter().map(|p| format::phone(p)).collect(),
            None => c
                .alt_phones
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(format::phone)
                .collect(),
        };
        egui::Grid::new("call_card_fields")
            .num_columns(2)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                if !alternates.is_empty() {
                    widgets::read_row_ui(ui, &t("calls.alternates"), &alternates.join("\n"));
                }
                let email = card
                    .as_ref()
                    .map_or(c.email.clone(), |k| k.email.clone())
                    .unwrap_or_default();
                widgets::read_row_ui(ui, &t("calls.email"), &email);
                if let Some(k) = &card {
                    for (label, value) in [
                        (t("calls.program"), &k.program),
                        (t("calls.city"), &k.city),
                        (t("calls.document"), &k.document),
                    ] {
                        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                            widgets::read_row_ui(ui, &label, v);
                        }
                    }
                    for (header, value) in &k.fields {
                        widgets::read_row_ui(ui, header, value);
                    }
                }
                widgets::read_row_ui(ui, &t("calls.attempts"), &format::int(c.attempts));
            });
        ui.add_space(4.0);
        self.correction_ui(ui, cx, c);
        if let Some(k) = &card
            && !k.history.is_empty()
        {
            ui.add_space(6.0);
            ui.label(RichText::new(t("calls.history")).strong().color(ACCENT));
            for h in &k.history {
                let when = format::datetime(h.at, cx.settings);
                let head = match h.kind {
                    HistoryKind::Correction => format!("{when} · {} — {}", h.agent, h.what()),
                    _ => format!("{when} · {} · {} — {}", h.campaign, h.agent, h.what()),
                };
                ui.add(egui::Label::new(RichText::new(head).small()).wrap());
                if let Some(r) = h.reason.as_deref().filter(|r| !r.is_empty()) {
                    ui.label(RichText::new(reason_label(r)).small().weak());
                }
                if !h.notes.trim().is_empty() {
                    ui.add(egui::Label::new(RichText::new(&h.notes).small().weak()).wrap());
                }
                ui.add_space(2.0);
            }
        }
    }

    /// "Corregir teléfono o correo": the new values, checked, sent as a [`CallCommand`].
    fn correction_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        let Some((mut phone, mut email)) = self.correcting.take() else {
            if ui
                .add_enabled(self.job.is_none(), egui::Button::new(t("calls.correct")))
                .on_hover_text(t("calls.correct_hover"))
                .clicked()
            {
                self.correcting = Some((String::new(), String::new()));
                self.form.focus = Some(Field::Phone);
            }
            return;
        };
        let mut send = false;
        let mut cancel = false;
        let busy = self.job.is_some();
        ui.group(|ui| {
            let r = widgets::text_field_ui(
                ui,
                t("calls.new_phone").as_str(),
                &mut phone,
                err_for(&self.form.errors, Field::Phone),
            );
            if self.form.focus.take_if(|f| *f == Field::Phone).is_some() {
                r.request_focus();
            }
            widgets::text_field_ui(
                ui,
                t("calls.new_email").as_str(),
                &mut email,
                err_for(&self.form.errors, Field::Email),
            );
            ui.horizontal(|ui| {
                send = ui
                    .add_enabled(!busy, egui::Button::new(t("calls.save_correction")))
                    .clicked();
                cancel = ui.button(t("common.cancel")).clicked();
            });
        });
        let clear = |errors: &mut Vec<FieldError>| {
            errors.retain(|e| !matches!(e.field, Field::Phone | Field::Email));
        };
        if cancel {
            clear(&mut self.form.errors);
            return;
        }
        let (p, e) = (phone.trim().to_owned(), email.trim().to_owned());
        self.correcting = Some((phone, email));
        if !send {
            return;
        }
        clear(&mut self.form.errors);
        let new_phone = if p.is_empty() {
            None
        } else {
            match crate::import::phone::normalize_phone(&p) {
                Some(n) => Some(n),
                None => {
                    self.form
                        .errors
                        .push(FieldError::new(Field::Phone, "calls.err_phone"));
                    return;
                }
            }
        };
        if p.is_empty() && e.is_empty() {
            self.form.errors.push(FieldError::new(
                Field::Phone,
                "calls.err_nothing_to_correct",
            ));
            return;
        }
        if let Some(campaign_id) = self.campaign {
            self.run(
                ui,
                cx,
                CallCommand::Correct {
                    campaign_id,
                    contact_id: c.contact_id,
                    phone: new_phone,
                    email: (!e.is_empty()).then_some(e),
                },
            );
        }
    }

    fn script_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        let Some(script) = &self.script else {
            section_ui(ui, &t("calls.script"));
            ui.label(RichText::new(t("script.nothing_published")).weak());
            return;
        };
        section_ui(
            ui,
            &tf("calls.script_version", &[("version", &script.version)]),
        );
        let campaign = self
            .campaign
            .and_then(|id| self.campaigns.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_default();
        let mut values = reading_values(
            &cx.user.name,
            &campaign,
            &self.department,
            &t("script.institution_sample"),
            false,
        );
        match self.card.as_ref().filter(|k| k.contact_id == c.contact_id) {
            Some(k) => values.extend(k.values()),
            None => {
                values.insert("nombre".into(), c.name.clone());
                values.insert("telefono".into(), format::phone(&c.phone));
            }
        }
        for s in &script.content.sections {
            ui.label(RichText::new(&s.title).strong().color(ACCENT));
            ui.add(egui::Label::new(render(&s.text, &values)).wrap());
            ui.add_space(8.0);
        }
        // The program's sheet, for the questions the person asks while talking.
        let program = self
            .card
            .as_ref()
            .filter(|k| k.contact_id == c.contact_id)
            .and_then(|k| self.program_of(k.program.as_deref()));
        if let Some(p) = program
            && !p.sheet.rows().is_empty()
        {
            ui.label(
                RichText::new(tf("calls.sheet_title", &[("program", &p.name)]))
                    .strong()
                    .color(ACCENT),
            );
            egui::Grid::new("call_program_sheet")
                .num_columns(2)
                .spacing([10.0, 2.0])
                .show(ui, |ui| {
                    for (label, value) in p.sheet.rows() {
                        widgets::read_row_ui(ui, &label, value);
                    }
                });
            ui.add_space(8.0);
        }
        if script.content.questions.is_empty() {
            return;
        }
        ui.add_space(4.0);
        ui.label(RichText::new(t("calls.survey")).strong().color(ACCENT));
        if let Some(e) = err_for(&self.form.errors, Field::Answers) {
            error_text_ui(ui, e);
        }
        let questions = script.content.questions.clone();
        for q in &questions {
            let answer = self.form.answers.entry(q.id).or_default();
            let mut text = q.text.clone();
            if q.is_required() {
                text.push_str(" *");
            }
            let l = ui.label(RichText::new(text).strong());
            let options: Vec<String> = match q.kind {
                QuestionKind::SiNo => vec![t("common.yes"), t("common.no")],
                QuestionKind::Escala => (1..=5).map(|n| n.to_string()).collect(),
                QuestionKind::Unica | QuestionKind::Multiple => q.options.clone(),
                QuestionKind::Numero | QuestionKind::Texto => Vec::new(),
            };
            if options.is_empty() {
                ui.add(
                    egui::TextEdit::singleline(&mut answer.text)
                        .desired_width(ui.available_width().min(320.0)),
                )
                .labelled_by(l.id);
            } else {
                ui.horizontal_wrapped(|ui| {
                    for o in options {
                        let on = answer.chosen.contains(&o);
                        if ui.selectable_label(on, &o).clicked() {
                            if q.kind == QuestionKind::Multiple {
                                if on {
                                    answer.chosen.retain(|x| x != &o);
                                } else {
                                    answer.chosen.push(o);
                                }
                            } else {
                                answer.chosen = if on { Vec::new() } else { vec![o] };
                            }
                        }
                    }
                });
            }
            ui.add_space(4.0);
        }
    }

    fn outcome_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        section_ui(ui, &t("calls.outcome"));
        let busy = self.job.is_some();
        let mut picked = None;
        let dispositions = self.dispositions.clone();
        for pair in dispositions.chunks(2) {
            ui.columns(2, |cols| {
                for (col, d) in cols.iter_mut().zip(pair) {
                    let text = match d.key {
                        Some(k) => format!("[{k}] {}", d.name),
                        None => d.name.clone(),
                    };
                    let selected = self.form.chosen == Some(d.id);
                    let mut rt = RichText::new(text);
                    if let Some(c) = category_color(d) {
                        rt = rt.color(c);
                    }
                    let w = col.available_width();
                    let mut b = egui::Button::new(rt).wrap().min_size(egui::vec2(w, 30.0));
                    if selected {
                        // A frame, not a fill: the outcome's colour stays readable.
                        b = b
                            .stroke(egui::Stroke::new(2.5, ACCENT))
                            .fill(ACCENT.linear_multiply(0.12));
                    }
                    if col.add_enabled(!busy, b).clicked() {
                        picked = Some(d.clone());
                    }
                }
            });
            ui.add_space(2.0);
        }
        ui.add_space(6.0);
        let chosen = self
            .form
            .chosen
            .and_then(|id| dispositions.iter().find(|d| d.id == id))
            .cloned();
        if let Some(d) = &chosen {
            if d.category == DispositionCategory::Negativo {
                // The reasons as buttons: one click (or Tab and Space), no list to open.
                let choices = cx.settings.no_interest_reason_choices();
                widgets::label_ui(ui, widgets::req(&t("calls.reason")));
                let mut first = None;
                ui.horizontal_wrapped(|ui| {
                    for (code, label) in &choices {
                        let on = self.form.reason.as_deref() == Some(code.as_str());
                        let r = ui.selectable_label(on, label);
                        if r.clicked() {
                            self.form.reason = Some(code.clone());
                            self.form.errors.retain(|e| e.field != Field::Reason);
                        }
                        first.get_or_insert(r);
                    }
                });
                if let Some(r) = first
                    && self.form.focus.take_if(|f| *f == Field::Reason).is_some()
                {
                    r.request_focus();
                }
                if let Some(e) = err_for(&self.form.errors, Field::Reason) {
                    error_text_ui(ui, e);
                }
            }
            if crate::domain::call::needs_callback(d) {
                ui.horizontal(|ui| {
                    ui.vertical(|ui| {
                        let r = widgets::date_field_ui(
                            ui,
                            widgets::req(&t("calls.callback_date")),
                            &mut self.form.callback_date,
                            err_for(&self.form.errors, Field::CallbackDate),
                        );
                        if self
                            .form
                            .focus
                            .take_if(|f| *f == Field::CallbackDate)
                            .is_some()
                        {
                            r.request_focus();
                        }
                    });
                    ui.vertical(|ui| {
                        ui.set_max_width(110.0);
                        let r = widgets::text_field_ui(
                            ui,
                            widgets::req(&t("calls.callback_time")),
                            &mut self.form.callback_time,
                            err_for(&self.form.errors, Field::CallbackTime),
                        );
                        if self
                            .form
                            .focus
                            .take_if(|f| *f == Field::CallbackTime)
                            .is_some()
                        {
                            r.request_focus();
                        }
                    });
                });
            }
        }
        let l = ui.label(t("calls.notes"));
        ui.add(
            egui::TextEdit::multiline(&mut self.form.notes)
                .desired_rows(3)
                .desired_width(ui.available_width()),
        )
        .labelled_by(l.id);
        ui.add_space(6.0);
        let save_label = match &chosen {
            Some(d) => tf("calls.save_outcome", &[("outcome", &d.name)]),
            None => t("calls.save_pick_first"),
        };
        let save = ui
            .add_enabled(
                !busy && chosen.is_some(),
                egui::Button::new(RichText::new(save_label).strong())
                    .min_size(egui::vec2(ui.available_width(), 32.0)),
            )
            .on_hover_text(t("calls.save_hover"));
        if save.clicked()
            && let Some(d) = &chosen
        {
            picked = Some(d.clone());
        }
        if busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(t("calls.saving")).weak());
            });
        } else {
            ui.label(RichText::new(t("calls.keys_hint")).weak().small());
        }
        if let Some(d) = picked {
            self.pick(ui, cx, &d);
        }
    }

    /// The last outcome recorded, with "Deshacer" for a few seconds.
    fn last_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let mut do_undo = false;
        let mut send_info = None;
        ui.horizontal(|ui| {
            if let Some((name, outcome)) = &self.recording {
                ui.spinner();
                ui.label(tf(
                    "calls.recording",
                    &[("name", name), ("outcome", outcome)],
                ));
                return;
            }
            let Some(last) = &self.last else {
                return;
            };
            ui.label(
                RichText::new(tf(
                    "calls.last",
                    &[("name", &last.name), ("outcome", &last.outcome)],
                ))
                .strong(),
            );
            let left = UNDO_SHOWN_SECS - (ui.input(|i| i.time) - last.at);
            if left > 0.0 {
                let label = tf("calls.undo", &[("secs", &(left.ceil() as i64))]);
                let undo = ui
                    .add_enabled(self.job.is_none(), egui::Button::new(label))
                    .on_hover_text(t("calls.undo_hover"))
                    .clicked();
                let key = !ui.ctx().egui_wants_keyboard_input()
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Z));
                if undo || key {
                    do_undo = true;
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(250));
            }
            if let Some(pid) = last.info_program {
                if last.info_sent {
                    ui.label(RichText::new(t("calls.info_sent")).weak());
                } else if ui
                    .button(t("calls.send_info"))
                    .on_hover_text(t("calls.send_info_hover"))
                    .clicked()
                {
                    send_info = Some((last.campaign_id, last.contact_id, pid));
                }
            }
        });
        if do_undo {
            self.undo(ui, cx);
        }
        if let Some((campaign_id, contact_id, program_id)) = send_info
            && cx
                .apply(crate::ui::commands::Command::SendContactInfo {
                    campaign_id,
                    contact_id,
                    program_id,
                })
                .is_ok()
            && let Some(last) = &mut self.last
        {
            last.info_sent = true;
        }
    }
}

/// A reason's words.
fn reason_label(code: &str) -> String {
    crate::domain::settings::reason_label(code)
}

/// The outcome's colour by its family.
fn category_color(d: &Disposition) -> Option<Color32> {
    match d.category {
        DispositionCategory::Positivo => Some(widgets::SUCCESS),
        DispositionCategory::Negativo | DispositionCategory::Exclusion => Some(widgets::ERROR),
        DispositionCategory::Agendado => Some(widgets::WARNING),
        _ => None,
    }
}
