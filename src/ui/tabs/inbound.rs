//! Llamadas entrantes (agents and the professional register; the head reads): a form made for
//! typing while on the phone, keyboard only — channel, name, phone, e-mail, document, what
//! they ask about, the program (type to filter, Enter picks), notes, the authorisation
//! (Ley 1581), the result, "Registrar" (Ctrl+Enter). Beside it: the program's sheet, a
//! transfer's extension in large type, the person the phone or document matched and their
//! history (looked up off the UI thread once typing pauses), the last call with "Enviar
//! información" and WhatsApp. Below: the recent calls, searchable, filtered and paged; the
//! professional keeps each remitted lead's follow-up there.

use egui::{Key, Modifiers, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{Tab, TabView};
use crate::domain::card::HistoryEntry;
use crate::domain::inbound::{AskedAbout, Channel, Followup, InboundResult};
use crate::domain::inbound_call::{
    InboundCall, InboundFilter, InboundPage, KnownPerson, NewInbound, whatsapp_link,
};
use crate::domain::{Action, Department, Field, FieldError, Program, ProgramKind, Role, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{Applied, Command, Cx};
use crate::ui::widgets::{
    self, ACCENT, chip_ui, empty_state_ui, err_for, error_text_ui, section_ui,
};

/// Calls per page of the recent list.
const PAGE: i64 = 25;
/// Seconds without typing before the phone or document is looked up.
const LOOKUP_PAUSE: f64 = 0.4;
/// Width of the form column.
const FORM_WIDTH: f32 = 360.0;
/// At most this many programs are offered under the search field.
const MATCHES: usize = 6;

/// The form being typed.
#[derive(Clone, Debug, Default)]
struct Form {
    channel: Option<Channel>,
    name: String,
    phone: String,
    email: String,
    document: String,
    asked: Option<AskedAbout>,
    program: Option<i64>,
    program_query: String,
    department: Option<i64>,
    notes: String,
    authorized: bool,
    result: Option<InboundResult>,
}

impl Form {
    fn is_empty(&self) -> bool {
        self.name.trim().is_empty()
            && self.phone.trim().is_empty()
            && self.email.trim().is_empty()
            && self.document.trim().is_empty()
            && self.notes.trim().is_empty()
    }
}

/// The Llamadas entrantes tab.
#[derive(Default)]
pub struct InboundTab {
    loaded: bool,
    programs: Vec<Program>,
    departments: Vec<Department>,
    /// Agents for the list's filter (those the user may see).
    agents: Vec<(i64, String)>,
    form: Form,
    errors: Vec<FieldError>,
    /// Put the keyboard on the first field next frame.
    focus_first: bool,
    /// The program search field (Enter there picks the first match).
    program_field: Option<egui::Id>,
    /// The phone and document looked up last, and when typing last changed them.
    looked_up: (Option<String>, Option<String>),
    typed_at: Option<f64>,
    lookup: Option<Job<Option<KnownPerson>, Error>>,
    known: Option<KnownPerson>,
    /// A second connection for the lookups.
    background: Option<Store>,
    /// The call registered last (its follow-up actions).
    last: Option<InboundCall>,
    list: InboundPage,
    filter: InboundFilter,
    from_text: String,
    to_text: String,
    offset: i64,
    list_stale: bool,
}

impl TabView for InboundTab {
    fn id(&self) -> Tab {
        Tab::Entrantes
    }

    fn label(&self) -> String {
        t("tab.inbound")
    }

    fn visible_for(&self, role: Role) -> bool {
        crate::domain::perm::allowed(role, Action::RegisterInbound)
            || crate::domain::perm::allowed(role, Action::ViewInbound)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
    }

    fn unsaved(&self) -> bool {
        !self.form.is_empty()
    }

    /// "Guardar": the call is registered (false, with its errors showing, when it cannot be).
    fn save_unsaved(&mut self, cx: &mut Cx<'_>) -> bool {
        self.register(cx);
        self.form.is_empty()
    }

    fn discard_unsaved(&mut self) {
        self.form = Form::default();
        self.errors.clear();
        self.known = None;
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.load(cx);
        }
        let registers = cx.actor.can(Action::RegisterInbound);
        if registers && ui.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::Enter)) {
            self.register(cx);
        }
        self.poll_lookup(ui, cx);
        if self.list_stale {
            self.reload_list(cx);
        }
        if !registers {
            ui.label(RichText::new(t("inbound.read_only")).weak());
            ui.add_space(4.0);
            self.list_ui(ui, cx);
            return;
        }
        // The form down the left, full height; beside it what helps while talking (the sheet,
        // the extension, the person's history, the last call) above the recent calls.
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(FORM_WIDTH);
                egui::ScrollArea::vertical()
                    .id_salt("inbound_form")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.form_ui(ui, cx));
            });
            ui.separator();
            let rest = ui.available_width();
            ui.vertical(|ui| {
                ui.set_max_width(rest);
                let height = ui.available_height();
                let side = (height * 0.45).max(160.0).min(height);
                ui.allocate_ui(egui::vec2(ui.available_width(), side), |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("inbound_side")
                        .auto_shrink([false, false])
                        .show(ui, |ui| self.side_ui(ui, cx));
                });
                ui.separator();
                self.list_ui(ui, cx);
            });
        });
    }
}

impl InboundTab {
    fn load(&mut self, cx: &mut Cx<'_>) {
        self.programs = cx.shown(cx.store.programs()).unwrap_or_default();
        self.departments = cx.shown(cx.store.departments()).unwrap_or_default();
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
        self.loaded = true;
        self.list_stale = true;
        self.focus_first = true;
    }

    fn reload_list(&mut self, cx: &mut Cx<'_>) {
        self.list_stale = false;
        if let Some(page) =
            cx.shown(
                cx.store
                    .inbound_list(cx.actor, &self.filter, self.offset, PAGE),
            )
        {
            self.list = page;
        }
    }

    fn program(&self, id: Option<i64>) -> Option<&Program> {
        id.and_then(|id| self.programs.iter().find(|p| p.id == id))
    }

    fn department(&self, id: Option<i64>) -> Option<&Department> {
        id.and_then(|id| self.departments.iter().find(|d| d.id == id))
    }

    /// The department a transfer goes to: the one chosen, else the program's.
    fn transfer_department(&self) -> Option<&Department> {
        let transfer = self.form.asked == Some(AskedAbout::OtraDependencia)
            || self.form.result == Some(InboundResult::Transferida);
        if !transfer {
            return None;
        }
        self.department(self.form.department).or_else(|| {
            self.program(self.form.program)
                .and_then(|p| self.department(p.department_id))
        })
    }

    /// The phone as the store keeps it, when it reads as one.
    fn phone_e164(&self) -> Result<Option<String>, ()> {
        let p = self.form.phone.trim();
        if p.is_empty() {
            return Ok(None);
        }
        crate::import::phone::normalize_phone(p).map(Some).ok_or(())
    }

    /// "Registrar": checked here first (every field at once), then by the store.
    fn register(&mut self, cx: &mut Cx<'_>) {
        let phone = self.phone_e164();
        let f = &self.form;
        let new = NewInbound {
            channel: f.channel.unwrap_or(Channel::Telefono),
            caller_name: f.name.clone(),
            phone: phone.clone().ok().flatten(),
            email: f.email.clone(),
            document: f.document.clone(),
            asked_about: f.asked,
            program_id: match f.asked {
                Some(AskedAbout::OtraDependencia) => None,
                _ => f.program,
            },
            department_id: match f.asked {
                Some(AskedAbout::OtraDependencia) => f.department,
                _ if f.result == Some(InboundResult::Transferida) => f.department,
                _ => None,
            },
            notes: f.notes.clone(),
            authorized: f.authorized,
            result: f.result,
        };
        let mut errors = new.validate();
        if phone.is_err() {
            errors.retain(|e| e.field != Field::Phone);
            errors.insert(0, FieldError::new(Field::Phone, "inbound.err_phone"));
        }
        if !errors.is_empty() {
            self.errors = errors;
            return;
        }
        match cx.apply(Command::RegisterInbound(new)) {
            Ok(Applied::Inbound(c)) => {
                self.last = Some(*c);
                let channel = self.form.channel;
                self.form = Form {
                    channel,
                    ..Form::default()
                };
                self.errors.clear();
                self.known = None;
                self.looked_up = (None, None);
                self.typed_at = None;
                self.offset = 0;
                self.list_stale = true;
                self.focus_first = true;
            }
            Ok(_) => {}
            Err(Error::Invalid(e)) => self.errors = vec![e],
            Err(_) => {}
        }
    }

    /// Starts the lookup of the phone and document once typing paused.
    fn poll_lookup(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        if let Some(job) = &mut self.lookup {
            match job.poll() {
                Some(Ok(known)) => {
                    self.known = known;
                    self.lookup = None;
                }
                Some(Err(e)) => {
                    self.lookup = None;
                    cx.toasts.error(tf("common.load_failed", &[("error", &e)]));
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(50)),
            }
        }
        let Some(at) = self.typed_at else {
            return;
        };
        let now = ui.input(|i| i.time);
        if now - at < LOOKUP_PAUSE {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(LOOKUP_PAUSE));
            return;
        }
        if self.lookup.is_some() {
            return;
        }
        self.typed_at = None;
        let phone = self.phone_e164().ok().flatten();
        let doc = crate::domain::inbound_call::clean_document(&self.form.document);
        let doc = (!doc.is_empty()).then_some(doc);
        let key = (phone.clone(), doc.clone());
        if key == self.looked_up {
            return;
        }
        self.looked_up = key;
        if phone.is_none() && doc.is_none() {
            self.known = None;
            return;
        }
        let store = cx.background(&mut self.background);
        let actor = cx.actor.clone();
        let ctx = ui.ctx().clone();
        self.lookup = Some(Job::spawn(
            "inbound-lookup",
            String::new(),
            move || ctx.request_repaint(),
            move |_, _| store.inbound_lookup(&actor, phone.as_deref(), doc.as_deref()),
        ));
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        section_ui(ui, &t("inbound.form_title"));
        widgets::required_legend_ui(ui);
        if std::mem::take(&mut self.focus_first) {
            widgets::focus_next_field(ui);
        }
        let width = FORM_WIDTH - 20.0;
        let channels: Vec<(Channel, String)> =
            Channel::ALL.iter().map(|c| (*c, c.label())).collect();
        if self.form.channel.is_none() {
            self.form.channel = Some(Channel::Telefono);
        }
        keyboard_combo_ui(
            ui,
            widgets::req(&t("inbound.channel")),
            &channels,
            &mut self.form.channel,
            width,
        );
        let errors = self.errors.clone();
        widgets::text_field_ui(
            ui,
            widgets::req(&t("inbound.name")),
            &mut self.form.name,
            err_for(&errors, Field::Name),
        );
        let now = ui.input(|i| i.time);
        let phone_label = t("inbound.phone");
        if widgets::text_field_ui(
            ui,
            phone_label.as_str(),
            &mut self.form.phone,
            err_for(&errors, Field::Phone),
        )
        .changed()
        {
            self.typed_at = Some(now);
        }
        widgets::text_field_ui(
            ui,
            t("inbound.email").as_str(),
            &mut self.form.email,
            err_for(&errors, Field::Email),
        );
        if widgets::text_field_ui(
            ui,
            t("inbound.document").as_str(),
            &mut self.form.document,
            err_for(&errors, Field::Document),
        )
        .changed()
        {
            self.typed_at = Some(now);
        }
        let asked: Vec<(AskedAbout, String)> =
            AskedAbout::ALL.iter().map(|a| (*a, a.label())).collect();
        keyboard_combo_ui(
            ui,
            widgets::req(&t("inbound.asked")),
            &asked,
            &mut self.form.asked,
            width,
        );
        if let Some(e) = err_for(&errors, Field::Kind) {
            error_text_ui(ui, e);
        }
        match self.form.asked {
            Some(AskedAbout::OtraDependencia) => self.department_ui(ui, width, &errors),
            Some(kind) => self.program_search_ui(ui, kind, &errors),
            None => {}
        }
        if self.form.result == Some(InboundResult::Transferida)
            && self.form.asked != Some(AskedAbout::OtraDependencia)
        {
            self.department_ui(ui, width, &errors);
        }
        widgets::text_area_ui(
            ui,
            t("inbound.notes").as_str(),
            &mut self.form.notes,
            err_for(&errors, Field::Observations),
            3,
        );
        ui.checkbox(&mut self.form.authorized, t("inbound.authorized"))
            .on_hover_text(t("inbound.authorized_hover"));
        if let Some(e) = err_for(&errors, Field::Authorization) {
            error_text_ui(ui, e);
        }
        ui.add_space(4.0);
        widgets::label_ui(ui, widgets::req(&t("inbound.result")));
        ui.horizontal_wrapped(|ui| {
            for r in InboundResult::ALL {
                ui.radio_value(&mut self.form.result, Some(*r), r.label());
            }
        });
        if let Some(e) = err_for(&errors, Field::Result) {
            error_text_ui(ui, e);
        }
        if let Some(e) = err_for(&errors, Field::Form) {
            error_text_ui(ui, e);
        }
        ui.add_space(6.0);
        let register = ui
            .add(
                egui::Button::new(RichText::new(t("inbound.register")).strong())
                    .min_size(egui::vec2(width, 32.0)),
            )
            .on_hover_text(t("inbound.register_hover"));
        if register.clicked() {
            self.register(cx);
        }
    }

    /// The department a call is transferred to (a drop-down that works by keyboard).
    fn department_ui(&mut self, ui: &mut Ui, width: f32, errors: &[FieldError]) {
        let options: Vec<(i64, String)> = self
            .departments
            .iter()
            .filter(|d| d.active)
            .map(|d| (d.id, d.name.clone()))
            .collect();
        keyboard_combo_ui(
            ui,
            widgets::req(&t("inbound.department")),
            &options,
            &mut self.form.department,
            width,
        );
        if let Some(e) = err_for(errors, Field::Department) {
            error_text_ui(ui, e);
        }
    }

    /// The program or service: typed to filter, Enter picks the first match, or Tab to a
    /// match and Space.
    fn program_search_ui(&mut self, ui: &mut Ui, kind: AskedAbout, errors: &[FieldError]) {
        let want = match kind {
            AskedAbout::Servicio => ProgramKind::Servicio,
            _ => ProgramKind::Programa,
        };
        // Enter in the search field picks the first match (taken before the field sees it:
        // the keyboard stays there, and Tab goes on to the notes).
        let enter = self
            .program_field
            .is_some_and(|id| ui.memory(|m| m.has_focus(id)))
            && self.form.program.is_none()
            && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter));
        let r = widgets::text_field_ui(
            ui,
            widgets::req(&t("inbound.program")),
            &mut self.form.program_query,
            err_for(errors, Field::Program),
        );
        self.program_field = Some(r.id);
        if r.changed() {
            self.form.program = None;
        }
        if self.form.program.is_some() {
            return;
        }
        let q = crate::domain::text::fold(self.form.program_query.trim());
        let matches: Vec<(i64, String)> = self
            .programs
            .iter()
            .filter(|p| p.active && p.kind == want)
            .filter(|p| q.is_empty() || crate::domain::text::fold(&p.name).contains(&q))
            .take(MATCHES)
            .map(|p| (p.id, p.name.clone()))
            .collect();
        let mut picked = None;
        if enter && let Some(first) = matches.first() {
            picked = Some(first.clone());
        }
        if matches.is_empty() {
            ui.label(RichText::new(t("inbound.program_none")).weak());
        } else {
            ui.label(RichText::new(t("inbound.program_hint")).small().weak());
            for (i, (id, name)) in matches.iter().enumerate() {
                let text = if i == 0 {
                    RichText::new(name).strong()
                } else {
                    RichText::new(name)
                };
                if ui.selectable_label(false, text).clicked() {
                    picked = Some((*id, name.clone()));
                }
            }
        }
        if let Some((id, name)) = picked {
            self.form.program = Some(id);
            self.form.program_query = name;
        }
        ui.add_space(4.0);
    }

    /// Beside the form: the sheet, a transfer's extension, the known person, the last call.
    fn side_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        self.last_ui(ui, cx);
        if let Some(d) = self.transfer_department() {
            section_ui(ui, &tf("inbound.transfer_to", &[("department", &d.name)]));
            if d.extension.trim().is_empty() {
                chip_ui(ui, &t("inbound.extension_missing"), widgets::WARNING);
            } else {
                ui.label(
                    RichText::new(format!("{} {}", t("inbound.extension"), d.extension))
                        .size(32.0)
                        .strong()
                        .color(ACCENT),
                );
            }
            ui.add_space(8.0);
        }
        if self.form.asked != Some(AskedAbout::OtraDependencia)
            && let Some(p) = self.program(self.form.program).cloned()
        {
            sheet_ui(ui, &p);
            ui.add_space(8.0);
        }
        if self.lookup.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(t("inbound.looking")).weak());
            });
        }
        if let Some(k) = &self.known {
            known_ui(ui, k, cx);
        }
    }

    /// The call registered last: Enviar información, WhatsApp.
    fn last_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(c) = self.last.clone() else {
            return;
        };
        section_ui(ui, &t("inbound.last"));
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&c.caller_name).strong());
            chip_ui(ui, &c.result.label(), result_color(c.result));
            if !c.program.is_empty() {
                ui.label(&c.program);
            }
            if c.result == InboundResult::Transferida && !c.extension.is_empty() {
                ui.label(
                    RichText::new(format!("{} {}", t("inbound.extension"), c.extension))
                        .strong()
                        .color(ACCENT),
                );
            }
        });
        ui.horizontal_wrapped(|ui| {
            let can_info = c.authorized_at.is_some() && c.email.is_some() && c.program_id.is_some();
            if ui
                .add_enabled(can_info, egui::Button::new(t("inbound.send_info")))
                .on_hover_text(t("inbound.send_info_hover"))
                .on_disabled_hover_text(t("inbound.send_info_hover"))
                .clicked()
                && let Ok(Applied::Inbound(updated)) = cx.apply(Command::SendInboundInfo(c.id))
            {
                self.last = Some(*updated);
            }
            if let Some(phone) = &c.phone {
                let program = if c.program.is_empty() {
                    t("inbound.whatsapp_general")
                } else {
                    c.program.clone()
                };
                let first = c
                    .caller_name
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                let mut values = std::collections::BTreeMap::new();
                values.insert("nombre".to_owned(), first);
                values.insert("programa".to_owned(), program);
                let text = crate::domain::inbound_call::fill(&t("inbound.whatsapp_text"), &values);
                let link = whatsapp_link(phone, &text);
                if ui
                    .button(t("inbound.whatsapp"))
                    .on_hover_text(t("inbound.whatsapp_hover"))
                    .clicked()
                {
                    ui.ctx().open_url(egui::OpenUrl::new_tab(link));
                }
            }
        });
        ui.add_space(8.0);
    }

    /// The recent calls: search, filters, a page, the follow-up of remitted leads.
    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let mut changed = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t("inbound.recent")).strong().color(ACCENT));
            ui.label(tf("inbound.count", &[("n", &format::int(self.list.total))]));
            let l = ui.label(t("inbound.search"));
            changed |= ui
                .add(egui::TextEdit::singleline(&mut self.filter.search).desired_width(160.0))
                .labelled_by(l.id)
                .changed();
        });
        ui.horizontal_wrapped(|ui| {
            for (label, text) in [
                (t("inbound.from"), &mut self.from_text),
                (t("inbound.to"), &mut self.to_text),
            ] {
                let l = ui.label(label);
                changed |= ui
                    .add(
                        egui::TextEdit::singleline(text)
                            .hint_text(t("common.date_hint"))
                            .desired_width(86.0),
                    )
                    .labelled_by(l.id)
                    .changed();
            }
            let all = t("inbound.all");
            let channel = self.filter.channel.map_or(all.clone(), |c| c.label());
            filter_combo_ui(ui, &t("inbound.by_channel"), channel, 100.0, |ui| {
                changed |= ui
                    .selectable_value(&mut self.filter.channel, None, &all)
                    .changed();
                for c in Channel::ALL {
                    changed |= ui
                        .selectable_value(&mut self.filter.channel, Some(*c), c.label())
                        .changed();
                }
            });
            let result = self.filter.result.map_or(all.clone(), |r| r.label());
            filter_combo_ui(ui, &t("inbound.by_result"), result, 100.0, |ui| {
                changed |= ui
                    .selectable_value(&mut self.filter.result, None, &all)
                    .changed();
                for r in InboundResult::ALL {
                    changed |= ui
                        .selectable_value(&mut self.filter.result, Some(*r), r.label())
                        .changed();
                }
            });
            let program = self
                .program(self.filter.program_id)
                .map_or(all.clone(), |p| p.name.clone());
            filter_combo_ui(ui, &t("inbound.by_program"), program, 160.0, |ui| {
                changed |= ui
                    .selectable_value(&mut self.filter.program_id, None, &all)
                    .changed();
                for p in &self.programs {
                    changed |= ui
                        .selectable_value(&mut self.filter.program_id, Some(p.id), &p.name)
                        .changed();
                }
            });
            if !self.agents.is_empty() {
                let agent = self
                    .filter
                    .agent_id
                    .and_then(|id| self.agents.iter().find(|(a, _)| *a == id))
                    .map_or(all.clone(), |(_, n)| n.clone());
                filter_combo_ui(ui, &t("inbound.by_agent"), agent, 140.0, |ui| {
                    changed |= ui
                        .selectable_value(&mut self.filter.agent_id, None, &all)
                        .changed();
                    for (id, name) in &self.agents {
                        changed |= ui
                            .selectable_value(&mut self.filter.agent_id, Some(*id), name)
                            .changed();
                    }
                });
            }
        });
        if changed {
            let tz = cx.settings.tz();
            let day = |s: &str| {
                crate::domain::brief::parse_date(s.trim())
                    .map(|d| crate::domain::format::day_bounds(d, tz))
            };
            self.filter.from = day(&self.from_text).map(|(a, _)| a);
            self.filter.to = day(&self.to_text).map(|(_, b)| b);
            self.offset = 0;
            self.reload_list(cx);
        }
        if self.list.calls.is_empty() {
            let filtered = self.filter != InboundFilter::default();
            empty_state_ui(
                ui,
                &t(if filtered {
                    "inbound.empty_filtered"
                } else {
                    "inbound.empty"
                }),
            );
            return;
        }
        let follows = cx.actor.can(Action::FollowUpInbound);
        let mut set_followup = None;
        let calls = self.list.calls.clone();
        let table_height = (ui.available_height() - 34.0).max(80.0);
        ui.allocate_ui(egui::vec2(ui.available_width(), table_height), |ui| {
            // Narrow windows scroll the table sideways rather than cut its columns.
            egui::ScrollArea::horizontal()
                .id_salt("inbound_list_x")
                .show(ui, |ui| {
                    TableBuilder::new(ui)
                        .id_salt("inbound_list")
                        .striped(true)
                        .auto_shrink([false, false])
                        .column(Column::initial(130.0).at_least(110.0))
                        .column(Column::initial(170.0).at_least(100.0).clip(true))
                        .column(Column::initial(110.0))
                        .column(Column::initial(80.0))
                        .column(Column::initial(180.0).clip(true))
                        .column(Column::initial(90.0))
                        .column(Column::initial(120.0).clip(true))
                        .column(Column::remainder().at_least(120.0))
                        .header(22.0, |mut h| {
                            for key in [
                                "inbound.col_when",
                                "inbound.col_name",
                                "inbound.col_phone",
                                "inbound.col_channel",
                                "inbound.col_about",
                                "inbound.col_result",
                                "inbound.col_agent",
                                "inbound.col_followup",
                            ] {
                                h.col(|ui| {
                                    ui.strong(t(key));
                                });
                            }
                        })
                        .body(|body| {
                            body.rows(24.0, calls.len(), |mut row| {
                                let c = &calls[row.index()];
                                row.col(|ui| {
                                    ui.label(format::datetime(c.received_at, cx.settings));
                                });
                                row.col(|ui| {
                                    ui.label(&c.caller_name);
                                });
                                row.col(|ui| {
                                    ui.label(
                                        c.phone.as_deref().map(format::phone).unwrap_or_default(),
                                    );
                                });
                                row.col(|ui| {
                                    ui.label(c.channel.label());
                                });
                                row.col(|ui| {
                                    let about = if c.asked_about == AskedAbout::OtraDependencia
                                        || c.program.is_empty()
                                    {
                                        c.department.clone()
                                    } else {
                                        c.program.clone()
                                    };
                                    ui.label(about);
                                });
                                row.col(|ui| {
                                    chip_ui(ui, &c.result.label(), result_color(c.result));
                                });
                                row.col(|ui| {
                                    ui.label(&c.agent);
                                });
                                row.col(|ui| match (c.followup, follows) {
                                    (Some(f), true) => {
                                        let label = format!(
                                            "{} · {}",
                                            t("inbound.followup"),
                                            c.caller_name
                                        );
                                        egui::ComboBox::from_id_salt(("followup", c.id))
                                            .selected_text(f.label())
                                            .width(150.0)
                                            .show_ui(ui, |ui| {
                                                for v in Followup::ALL {
                                                    if ui
                                                        .selectable_label(f == *v, v.label())
                                                        .clicked()
                                                        && f != *v
                                                    {
                                                        set_followup = Some((c.id, *v));
                                                    }
                                                }
                                            })
                                            .response
                                            .on_hover_text(label.clone())
                                            .widget_info(|| {
                                                egui::WidgetInfo::labeled(
                                                    egui::Role::ComboBox,
                                                    true,
                                                    &label,
                                                )
                                            });
                                    }
                                    (Some(f), false) => {
                                        ui.label(f.label());
                                    }
                                    (None, _) => {
                                        ui.label("");
                                    }
                                });
                            });
                        });
                });
        });
        ui.horizontal(|ui| {
            let total = self.list.total;
            let from = self.offset + 1;
            let to = (self.offset + PAGE).min(total);
            if ui
                .add_enabled(self.offset > 0, egui::Button::new(t("inbound.prev")))
                .clicked()
            {
                self.offset = (self.offset - PAGE).max(0);
                self.list_stale = true;
            }
            ui.label(tf(
                "inbound.page",
                &[
                    ("from", &format::int(from)),
                    ("to", &format::int(to)),
                    ("total", &format::int(total)),
                ],
            ));
            if ui
                .add_enabled(to < total, egui::Button::new(t("inbound.next")))
                .clicked()
            {
                self.offset += PAGE;
                self.list_stale = true;
            }
        });
        if let Some((id, followup)) = set_followup
            && cx
                .apply(Command::SetInboundFollowup { id, followup })
                .is_ok()
        {
            self.list_stale = true;
        }
    }
}

/// A drop-down that also works without opening it: with the keyboard on it, the arrow keys
/// (or the first letter of an option) change the value. Space or Enter opens it as usual.
fn keyboard_combo_ui<'a, T: Copy + PartialEq>(
    ui: &mut Ui,
    label: widgets::FieldLabel<'a>,
    options: &[(T, String)],
    value: &mut Option<T>,
    width: f32,
) -> egui::Response {
    let selected = value
        .and_then(|v| options.iter().find(|(o, _)| *o == v))
        .map_or_else(|| t("common.choose"), |(_, l)| l.clone());
    let r = widgets::combo_ui(ui, label, selected, width, |ui| {
        for (o, l) in options {
            ui.selectable_value(value, Some(*o), l);
        }
    });
    if r.has_focus() && !options.is_empty() {
        // The up and down arrows act here, and do not move the keyboard to another field.
        ui.memory_mut(|m| {
            m.set_focus_lock_filter(
                r.id,
                egui::EventFilter {
                    vertical_arrows: true,
                    ..Default::default()
                },
            );
        });
        let at = value.and_then(|v| options.iter().position(|(o, _)| *o == v));
        let step = ui.input_mut(|i| {
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                Some(1i64)
            } else if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                Some(-1)
            } else {
                None
            }
        });
        let n = options.len() as i64;
        if let Some(step) = step {
            let next = match at {
                Some(i) => (i as i64 + step).rem_euclid(n),
                None if step > 0 => 0,
                None => n - 1,
            };
            *value = Some(options[next as usize].0);
        } else {
            // A letter typed: the next option that starts with it.
            let typed: Option<char> = ui.input(|i| {
                i.events.iter().find_map(|e| match e {
                    egui::Event::Text(s) => s.chars().next(),
                    _ => None,
                })
            });
            if let Some(c) = typed.filter(|c| c.is_alphanumeric()) {
                let c = crate::domain::text::fold(&c.to_string());
                let start = at.map_or(0, |i| i + 1);
                if let Some(k) = (0..options.len())
                    .map(|k| (start + k) % options.len())
                    .find(|k| crate::domain::text::fold(&options[*k].1).starts_with(&c))
                {
                    *value = Some(options[k].0);
                }
            }
        }
    }
    r
}

/// A program's sheet: manager, rows, brochure.
fn sheet_ui(ui: &mut Ui, p: &Program) {
    section_ui(ui, &format!("{} · {}", t("inbound.sheet"), p.name));
    egui::Grid::new(("inbound_sheet", p.id))
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let manager = if p.manager_email.is_empty() {
                p.manager_name.clone()
            } else if p.manager_name.is_empty() {
                p.manager_email.clone()
            } else {
                format!("{} <{}>", p.manager_name, p.manager_email)
            };
            widgets::read_row_ui(ui, &t("inbound.manager"), &manager);
            for (label, value) in p.sheet.rows() {
                widgets::read_row_ui(ui, &label, value);
            }
            if let Some(b) = &p.brochure {
                widgets::read_row_ui(ui, &t("inbound.brochure"), &b.file_name);
            }
        });
    if p.manager_email.trim().is_empty() {
        chip_ui(ui, &t("inbound.manager_missing"), widgets::WARNING);
    }
    if p.sheet.rows().is_empty() {
        ui.label(RichText::new(t("inbound.sheet_empty")).weak());
    }
}

/// The person the phone or document matched: their campaign calls and earlier inbound calls.
fn known_ui(ui: &mut Ui, k: &KnownPerson, cx: &Cx<'_>) {
    section_ui(ui, &tf("inbound.known", &[("name", &k.name)]));
    if k.attempts.is_empty() && k.calls.is_empty() {
        ui.label(RichText::new(t("inbound.known_none")).weak());
        return;
    }
    if !k.attempts.is_empty() {
        ui.label(RichText::new(t("inbound.known_attempts")).strong());
        for h in &k.attempts {
            attempt_ui(ui, h, cx);
        }
    }
    if !k.calls.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new(t("inbound.known_calls")).strong());
        for c in &k.calls {
            let about = if c.program.is_empty() {
                &c.department
            } else {
                &c.program
            };
            let head = format!(
                "{} · {} · {} — {} {}",
                format::datetime(c.received_at, cx.settings),
                c.agent,
                c.channel.label(),
                c.result.label(),
                about
            );
            ui.add(egui::Label::new(RichText::new(head).small()).wrap());
            if !c.notes.trim().is_empty() {
                ui.add(egui::Label::new(RichText::new(&c.notes).small().weak()).wrap());
            }
        }
    }
}

fn attempt_ui(ui: &mut Ui, h: &HistoryEntry, cx: &Cx<'_>) {
    let head = format!(
        "{} · {} · {} — {}",
        format::datetime(h.at, cx.settings),
        h.campaign,
        h.agent,
        h.what()
    );
    ui.add(egui::Label::new(RichText::new(head).small()).wrap());
    if !h.notes.trim().is_empty() {
        ui.add(egui::Label::new(RichText::new(&h.notes).small().weak()).wrap());
    }
}

fn result_color(r: InboundResult) -> egui::Color32 {
    match r {
        InboundResult::Informado => ACCENT,
        InboundResult::Remitido => widgets::SUCCESS,
        InboundResult::Transferida => widgets::WARNING,
    }
}

/// A filter of the recent list: its label, then its drop-down, each placed on its own so a
/// narrow window wraps the filter bar between them.
fn filter_combo_ui(
    ui: &mut Ui,
    label: &str,
    selected: impl Into<egui::WidgetText>,
    width: f32,
    add_contents: impl FnOnce(&mut Ui),
) {
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("inbound_filter", label))
        .selected_text(selected)
        .width(width)
        .show_ui(ui, add_contents)
        .response
        .labelled_by(l.id);
}
