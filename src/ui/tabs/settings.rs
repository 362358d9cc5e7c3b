//! Configuración (head): time zone, 12/24-hour clock, how "Llamar" dials and the reasons of
//! "No interesado", and the audit log.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{Tab, TabView};
use crate::domain::Field;
use crate::domain::audit::{self, AuditEntry};
use crate::domain::{Action, FieldError, Role, Settings, format};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Command, Cx};
use crate::ui::widgets::{self, err_for, section_ui, text_field_ui};

/// Time zones offered as choices (Colombia first, then the Americas and Spain); any IANA name
/// can be typed.
pub const COMMON_ZONES: [&str; 16] = [
    "America/Bogota",
    "America/Lima",
    "America/Guayaquil",
    "America/Panama",
    "America/Caracas",
    "America/La_Paz",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "America/Costa_Rica",
    "America/Santo_Domingo",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Madrid",
    "Atlantic/Canary",
];

/// The settings tab.
#[derive(Default)]
pub struct SettingsTab {
    form: Option<Settings>,
    errors: Vec<FieldError>,
    audit: Option<Vec<AuditEntry>>,
    /// Users' names by login, for the audit log's details.
    names: Option<std::collections::HashMap<String, String>>,
    /// The form opens with the keyboard on its first field.
    focus: bool,
    /// The reasons of "No interesado" as edited: one code a line.
    reasons: Option<String>,
    /// "Llamadas" (how "Llamar" dials, the reasons) is open.
    calls_open: bool,
    /// The calling windows and holidays as edited (inside "Llamadas").
    calendar: crate::ui::panels::calendar::CalendarEditor,
    /// "Consolidado semanal" (the head's e-mail) is open.
    weekly_open: bool,
    /// "Correo saliente (SMTP)": the server the outbox sends through.
    smtp: crate::ui::panels::SmtpSection,
    /// "Copias de seguridad": a backup now, the automatic one, restore.
    backup: crate::ui::panels::BackupSection,
    /// The remission e-mail's template as edited (read when first shown).
    remission: Option<String>,
    remission_errors: Vec<FieldError>,
    /// "Correo de remisión" is open.
    remission_open: bool,
}

/// The number the dialling preview uses.
const SAMPLE_PHONE: &str = "+573001234567";

impl TabView for SettingsTab {
    fn id(&self) -> Tab {
        Tab::Configuracion
    }

    fn label(&self) -> String {
        t("tab.settings")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::EditSettings)
    }

    fn mark_stale(&mut self) {
        // The audit log shows what was done since the tab was last open.
        self.audit = None;
        self.names = None;
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let form = self.form.get_or_insert_with(|| {
            self.focus = true;
            cx.settings.clone()
        });
        egui::ScrollArea::vertical().show(ui, |ui| {
            section_ui(ui, &t("settings.title"));
            ui.label(RichText::new(t("settings.intro")).weak());
            ui.add_space(6.0);
            widgets::required_legend_ui(ui);
            if std::mem::take(&mut self.focus) {
                widgets::focus_next_field(ui);
            }
            let label = t("settings.time_zone");
            let zone = widgets::text_field_ui(
                ui,
                widgets::req(&label),
                &mut form.time_zone,
                err_for(&self.errors, Field::TimeZone),
            );
            if zone.changed() {
                let fresh = form.validate().err().into_iter().collect();
                widgets::revalidate(&mut self.errors, &[Field::TimeZone], fresh);
            }
            // The common zones, each a choice that fills the field.
            ui.label(RichText::new(t("settings.common_zones")).weak());
            ui.horizontal_wrapped(|ui| {
                for z in COMMON_ZONES {
                    let chosen = form.time_zone == z;
                    if ui.selectable_label(chosen, z).clicked() && !chosen {
                        form.time_zone = z.to_owned();
                        self.errors.retain(|e| e.field != Field::TimeZone);
                    }
                }
            });
            ui.add_space(6.0);
            ui.label(t("settings.clock"));
            ui.horizontal(|ui| {
                ui.radio_value(&mut form.hour12, true, t("settings.hour12"));
                ui.radio_value(&mut form.hour12, false, t("settings.hour24"));
            });
            let preview = if form.validate().is_ok() {
                format::datetime(cx.store.now(), form)
            } else {
                "—".to_owned()
            };
            ui.label(RichText::new(format!("{}: {preview}", t("settings.preview"))).weak());
            // "Llamadas" opens by its toggle beside the button (folded, the audit log stays in
            // view) or by an error of its fields.
            let failed = self
                .errors
                .iter()
                .any(|e| matches!(e.field, Field::ClickToCall | Field::NoInterestReasons));
            if self.calls_open || failed {
                ui.add_space(8.0);
                calls_ui(ui, form, &mut self.reasons, &mut self.errors);
                ui.add_space(8.0);
                self.calendar.ui(ui, form, cx.store.now());
            }
            // "Consolidado semanal" (where "Enviar a jefatura" sends) opens like "Llamadas".
            if self.weekly_open || self.errors.iter().any(|e| e.field == Field::Email) {
                ui.add_space(8.0);
                text_field_ui(
                    ui,
                    &t("settings.head_email"),
                    &mut form.head_email,
                    err_for(&self.errors, Field::Email),
                );
                ui.label(RichText::new(t("settings.head_email_hint")).weak().small());
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(t("common.save_changes")).clicked() {
                    self.errors.clear();
                    match cx.apply(Command::SaveSettings(form.clone())) {
                        Ok(_) => {
                            // Shown again as saved (codes trimmed, blank lines gone).
                            self.reasons = None;
                        }
                        Err(Error::Invalid(e)) => self.errors.push(e),
                        Err(_) => {}
                    }
                }
                ui.add_space(12.0);
                ui.toggle_value(&mut self.calls_open, t("settings.calls_title"))
                    .on_hover_text(t("settings.calls_hover"));
                ui.toggle_value(&mut self.weekly_open, t("settings.weekly_title"))
                    .on_hover_text(t("settings.head_email_hint"));
                self.smtp.toggle_ui(ui);
                self.backup.toggle_ui(ui);
                ui.toggle_value(&mut self.remission_open, t("inbound.template_title"))
                    .on_hover_text(t("inbound.template_hover"));
            });

            self.smtp.ui(ui, cx);
            self.backup.ui(ui, cx);
            // "Correo de remisión" opens by its toggle (folded, the audit log stays in view).
            if self.remission_open || !self.remission_errors.is_empty() {
                ui.add_space(16.0);
                ui.separator();
                remission_ui(ui, cx, &mut self.remission, &mut self.remission_errors);
            }

            ui.add_space(16.0);
            ui.separator();
            section_ui(ui, &t("audit.title"));
            ui.horizontal(|ui| {
                ui.label(RichText::new(t("audit.intro")).weak());
                if ui.button(t("common.refresh")).clicked() {
                    self.audit = None;
                    self.names = None;
                }
            });
            let entries = self.audit.get_or_insert_with(|| {
                cx.store.audit_log(cx.actor, 500).unwrap_or_else(|e| {
                    cx.toasts.error(e.to_string());
                    Vec::new()
                })
            });
            // Logins named in details (a redistribution's agent), shown by the user's name.
            let names: std::collections::HashMap<String, String> = self
                .names
                .get_or_insert_with(|| {
                    cx.store
                        .users(cx.actor)
                        .map(|us| us.into_iter().map(|u| (u.login, u.name)).collect())
                        .unwrap_or_default()
                })
                .clone();
            let name = |login: &str| names.get(login).cloned();
            TableBuilder::new(ui)
                .id_salt("audit")
                .striped(true)
                .max_scroll_height(320.0)
                .column(Column::initial(170.0))
                .column(Column::initial(150.0))
                .column(Column::initial(200.0))
                .column(Column::remainder().clip(true))
                .header(24.0, |mut h| {
                    for key in ["audit.when", "audit.who", "audit.what", "audit.detail"] {
                        h.col(|ui| {
                            ui.strong(t(key));
                        });
                    }
                })
                .body(|body| {
                    body.rows(24.0, entries.len(), |mut row| {
                        let e = &entries[row.index()];
                        row.col(|ui| {
                            ui.label(format::datetime(e.at, cx.settings));
                        });
                        row.col(|ui| {
                            let who = audit::who(&e.actor, e.actor_name.as_deref());
                            let l = ui.label(&who);
                            if who != e.actor {
                                l.on_hover_text(&e.actor);
                            }
                        });
                        row.col(|ui| {
                            ui.label(audit::action_label(&e.action));
                        });
                        row.col(|ui| {
                            ui.label(audit::subject(e, &name));
                        });
                    });
                });
        });
    }
}

/// "Llamadas": how "Llamar" dials (a link or a softphone's command line, with a preview for a
/// sample number) and the coded reasons of "No interesado" (one a line, with their words).
fn calls_ui(
    ui: &mut Ui,
    form: &mut Settings,
    reasons: &mut Option<String>,
    errors: &mut Vec<FieldError>,
) {
    use crate::domain::call::{DialTarget, click_to_call_problem, dial_target};
    use crate::domain::settings::parse_reasons;
    let label = t("settings.click_to_call");
    let dial = widgets::text_field_ui(
        ui,
        widgets::req(&label),
        &mut form.click_to_call,
        err_for(errors, Field::ClickToCall),
    );
    if dial.changed() {
        let fresh = form.validate().err().into_iter().collect();
        widgets::revalidate(errors, &[Field::ClickToCall], fresh);
    }
    ui.label(
        RichText::new(t("settings.click_to_call_hint"))
            .weak()
            .small(),
    );
    if click_to_call_problem(&form.click_to_call).is_none() {
        let preview = match dial_target(&form.click_to_call, SAMPLE_PHONE) {
            DialTarget::Url(url) => tf("settings.click_to_call_link", &[("target", &url)]),
            DialTarget::Command(words) => {
                let line = words
                    .iter()
                    .map(|w| {
                        if w.contains(char::is_whitespace) || w.is_empty() {
                            format!("\"{w}\"")
                        } else {
                            w.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                tf("settings.click_to_call_command", &[("target", &line)])
            }
        };
        ui.label(RichText::new(preview).weak());
    }
    ui.add_space(6.0);
    let text = reasons.get_or_insert_with(|| form.no_interest_reasons.join("\n"));
    let label = t("settings.reasons");
    let edited = widgets::text_area_ui(
        ui,
        widgets::req(&label),
        text,
        err_for(errors, Field::NoInterestReasons),
        4,
    );
    if edited.changed() {
        form.no_interest_reasons = parse_reasons(text);
        let fresh = form.validate().err().into_iter().collect();
        widgets::revalidate(errors, &[Field::NoInterestReasons], fresh);
    }
    ui.label(RichText::new(t("settings.reasons_hint")).weak().small());
    let words: Vec<String> = form
        .no_interest_reason_choices()
        .into_iter()
        .map(|(_, label)| label)
        .collect();
    if !words.is_empty() {
        ui.label(
            RichText::new(tf(
                "settings.reasons_preview",
                &[("list", &words.join(" · "))],
            ))
            .weak(),
        );
    }
}

/// "Correo de remisión": the template of the e-mail a remitted lead sends to the program's
/// manager, with the fields it may use; saved on its own.
fn remission_ui(
    ui: &mut Ui,
    cx: &mut Cx<'_>,
    text: &mut Option<String>,
    errors: &mut Vec<FieldError>,
) {
    section_ui(ui, &t("inbound.template_title"));
    if text.is_none() {
        *text = cx.shown(cx.store.remission_template());
    }
    let Some(value) = text.as_mut() else {
        return;
    };
    let fields: Vec<String> = crate::domain::inbound_call::TEMPLATE_PLACEHOLDERS
        .iter()
        .map(|p| format!("{{{p}}}"))
        .collect();
    ui.label(
        RichText::new(tf(
            "inbound.template_hint",
            &[("campos", &fields.join(" "))],
        ))
        .weak(),
    );
    widgets::text_area_ui(
        ui,
        t("inbound.template").as_str(),
        value,
        err_for(errors, Field::Template),
        10,
    );
    let mut save = None;
    ui.horizontal(|ui| {
        if ui.button(t("inbound.template_save")).clicked() {
            save = Some(value.clone());
        }
        if ui.button(t("inbound.template_reset")).clicked() {
            save = Some(String::new());
        }
    });
    if let Some(v) = save {
        errors.clear();
        match cx.apply(Command::SaveRemissionTemplate(v)) {
            Ok(_) => *text = None,
            Err(Error::Invalid(e)) => errors.push(e),
            Err(_) => {}
        }
    }
}
