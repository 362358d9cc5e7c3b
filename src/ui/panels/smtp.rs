//! "Correo saliente (SMTP)" in Configuración (head): the server, port, security, user and
//! sender kept in the database; the password sent to the operating system's keyring, or,
//! where this machine has none, kept in memory for the session (the screen says which).

use egui::{RichText, Ui};

use crate::domain::mail::{Security, SmtpSettings, parse_port};
use crate::domain::{Field, FieldError};
use crate::i18n::t;
use crate::store::Error;
use crate::ui::commands::{Command, Cx};
use crate::ui::widgets::{self, WARNING, combo_ui, err_for};

/// The SMTP section's state.
#[derive(Default)]
pub struct SmtpSection {
    form: Option<SmtpSettings>,
    port: String,
    password: String,
    errors: Vec<FieldError>,
    open: bool,
    /// Whether a password is known for an account (asked of the keyring once per account,
    /// not every frame).
    known: Option<(String, bool)>,
}

impl SmtpSection {
    /// The toggle that opens the section (beside the settings' other toggles).
    pub fn toggle_ui(&mut self, ui: &mut Ui) {
        ui.toggle_value(&mut self.open, t("smtp.title"))
            .on_hover_text(t("smtp.hover"));
    }

    /// Draws the form when the section is open (or holds errors); nothing otherwise.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.open && self.errors.is_empty() {
            return;
        }
        ui.add_space(8.0);
        if self.form.is_none() {
            let Some(s) = cx.shown(cx.store.smtp_settings()) else {
                return;
            };
            self.port = s.port.to_string();
            self.form = Some(s);
        }
        let Some(form) = self.form.as_mut() else {
            return;
        };
        ui.add_space(4.0);
        ui.label(RichText::new(t("smtp.intro")).weak());
        widgets::text_field_ui(
            ui,
            t("smtp.host").as_str(),
            &mut form.host,
            err_for(&self.errors, Field::SmtpHost),
        );
        widgets::text_field_ui(
            ui,
            t("smtp.port").as_str(),
            &mut self.port,
            err_for(&self.errors, Field::SmtpPort),
        );
        let security = t("smtp.security");
        combo_ui(ui, security.as_str(), form.security.label(), 240.0, |ui| {
            for s in Security::ALL {
                ui.selectable_value(&mut form.security, *s, s.label());
            }
        });
        widgets::text_field_ui(ui, t("smtp.user").as_str(), &mut form.user, None);
        widgets::password_field_ui(ui, t("smtp.password").as_str(), &mut self.password, None);
        let keyring = crate::mail::secret::keyring_state();
        let hint = match &keyring {
            Ok(()) => t("smtp.password_keyring"),
            Err(_) => t("smtp.no_keyring"),
        };
        ui.label(RichText::new(hint).small().color(if keyring.is_ok() {
            ui.visuals().weak_text_color()
        } else {
            WARNING
        }));
        let account = form.account();
        let known = match &self.known {
            Some((a, k)) if *a == account => *k,
            _ => {
                let k = crate::mail::secret::known(&account);
                self.known = Some((account, k));
                k
            }
        };
        if form.needs_password() && known {
            ui.label(RichText::new(t("smtp.password_known")).small().weak());
        }
        widgets::text_field_ui(
            ui,
            t("smtp.from_address").as_str(),
            &mut form.from_address,
            err_for(&self.errors, Field::SmtpFrom),
        );
        widgets::text_field_ui(ui, t("smtp.from_name").as_str(), &mut form.from_name, None);
        ui.add_space(4.0);
        if ui.button(t("smtp.save")).clicked() {
            self.errors.clear();
            let port = parse_port(&self.port);
            match port {
                None if !form.host.trim().is_empty() || !self.port.trim().is_empty() => {
                    self.errors
                        .push(FieldError::new(Field::SmtpPort, "smtp.err_port"));
                }
                _ => {
                    form.port = port.unwrap_or(form.port);
                    let password = (!self.password.is_empty()).then(|| self.password.clone());
                    match cx.apply(Command::SaveSmtpSettings {
                        settings: form.clone(),
                        password,
                    }) {
                        Ok(_) => {
                            self.password.clear();
                            self.form = None;
                            self.known = None;
                        }
                        Err(Error::Invalid(e)) => self.errors.push(e),
                        Err(_) => {}
                    }
                }
            }
        }
    }
}
