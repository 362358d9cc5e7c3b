//! The first-run screen (create the marketing head), the login screen, and the fatal-error screen.
//! The forms never call the store: they return an [`Entry`] that the app applies, and show
//! why it was refused.

use egui::{RichText, Ui};

use super::Prefs;
use super::commands::Entry;
use super::shell::prefs_ui;
use super::widgets::{self, err_for, error_text_ui, password_field_ui, req, text_field_ui};
use crate::domain::Field;
use crate::domain::FieldError;
use crate::domain::login::LoginError;
use crate::i18n::{t, tf};
use crate::store::Error;

/// A centred card with the program's name above it.
fn card_ui<R>(ui: &mut Ui, prefs: &mut Prefs, body: impl FnOnce(&mut Ui) -> R) -> Option<R> {
    let mut out = None;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::TOP), |ui| {
            prefs_ui(ui, prefs);
        });
        ui.vertical_centered(|ui| {
            ui.add_space((ui.available_height() * 0.08).max(8.0));
            ui.label(
                RichText::new("Telemercadeo")
                    .size(30.0)
                    .strong()
                    .color(widgets::ACCENT),
            );
            ui.label(RichText::new(t("app.tagline")).weak());
            ui.add_space(16.0);
            egui::Frame::group(ui.style())
                .inner_margin(20.0)
                .corner_radius(8.0)
                .show(ui, |ui| {
                    ui.set_width(360.0_f32.min(ui.available_width()));
                    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        out = Some(body(ui));
                    });
                });
        });
    });
    out
}

/// The first-run form.
#[derive(Default)]
pub struct FirstRunForm {
    name: String,
    login: String,
    password: String,
    password2: String,
    errors: Vec<FieldError>,
    general_error: Option<String>,
    /// Drawn once: the first field has had the keyboard.
    shown: bool,
}

impl FirstRunForm {
    /// Draws the form; returns the command to create the head when asked.
    pub fn ui(&mut self, ui: &mut Ui, prefs: &mut Prefs) -> Option<Entry> {
        card_ui(ui, prefs, |ui| {
            ui.heading(t("first_run.title"));
            ui.label(t("first_run.intro"));
            widgets::required_legend_ui(ui);
            ui.add_space(10.0);
            if !std::mem::replace(&mut self.shown, true) {
                widgets::focus_next_field(ui);
            }
            let before = self.entered();
            text_field_ui(
                ui,
                req(&t("user.name")),
                &mut self.name,
                err_for(&self.errors, Field::Name),
            );
            text_field_ui(
                ui,
                req(&t("user.login")),
                &mut self.login,
                err_for(&self.errors, Field::Login),
            );
            password_field_ui(
                ui,
                req(&t("user.password")),
                &mut self.password,
                err_for(&self.errors, Field::Password),
            );
            let r = password_field_ui(
                ui,
                req(&t("user.password2")),
                &mut self.password2,
                err_for(&self.errors, Field::Password2),
            );
            if let Some(e) = &self.general_error {
                error_text_ui(ui, e);
            }
            let now = self.entered();
            let changed: Vec<Field> =
                [Field::Name, Field::Login, Field::Password, Field::Password2]
                    .into_iter()
                    .zip(before.iter().zip(&now))
                    .filter_map(|(f, (a, b))| (a != b).then_some(f))
                    .collect();
            if !changed.is_empty() {
                let fresh = self.problems();
                widgets::revalidate(&mut self.errors, &changed, fresh);
            }
            ui.add_space(6.0);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let clicked = ui
                .add(
                    egui::Button::new(t("first_run.create"))
                        .fill(widgets::ACCENT.gamma_multiply(0.25)),
                )
                .clicked();
            if clicked || enter {
                self.errors = self.problems();
                self.general_error = None;
                if !self.errors.is_empty() {
                    return None;
                }
                return Some(Entry::CreateFirstHead {
                    name: self.name.clone(),
                    login: self.login.clone(),
                    password: self.password.clone(),
                    password2: self.password2.clone(),
                });
            }
            None
        })
        .flatten()
    }

    /// What was typed, field by field (name, login, password, repeated).
    fn entered(&self) -> [String; 4] {
        [
            self.name.clone(),
            self.login.clone(),
            self.password.clone(),
            self.password2.clone(),
        ]
    }

    /// Every problem of the form at once (the store checks them again).
    fn problems(&self) -> Vec<FieldError> {
        let mut errors = crate::domain::NewUser {
            login: self.login.clone(),
            name: self.name.clone(),
            role: Some(crate::domain::Role::Jefe),
            department_id: None,
        }
        .validate();
        errors
            .extend(crate::domain::user::validate_password(&self.password, &self.password2).err());
        errors
    }

    /// Shows why the head was not created.
    pub fn refused(&mut self, e: Error) {
        match e {
            Error::Invalid(e) => self.errors.push(e),
            e => self.general_error = Some(e.to_string()),
        }
    }
}

/// The login form.
#[derive(Default)]
pub struct LoginForm {
    login: String,
    password: String,
    error: Option<String>,
    /// egui time until which the button stays disabled.
    held_until: Option<f64>,
    /// After a failed attempt the password field keeps the keyboard.
    focus_password: bool,
}

impl LoginForm {
    /// Draws the form; returns the command to log in when asked.
    pub fn ui(&mut self, ui: &mut Ui, prefs: &mut Prefs) -> Option<Entry> {
        let now = ui.input(|i| i.time);
        let held_secs = self
            .held_until
            .map(|until| (until - now).ceil() as i64)
            .filter(|s| *s > 0);
        if held_secs.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(250));
        }
        card_ui(ui, prefs, |ui| {
            ui.heading(t("login.title"));
            widgets::required_legend_ui(ui);
            ui.add_space(8.0);
            let first = text_field_ui(ui, req(&t("user.login")), &mut self.login, None);
            if self.login.is_empty()
                && !ui.memory(|m| m.has_focus(first.id))
                && self.error.is_none()
            {
                first.request_focus();
            }
            let r = password_field_ui(ui, req(&t("user.password")), &mut self.password, None);
            if std::mem::take(&mut self.focus_password) {
                r.request_focus();
            }
            if let Some(e) = &self.error {
                error_text_ui(ui, e);
            }
            if let Some(secs) = held_secs {
                error_text_ui(ui, &tf("login.err_held", &[("secs", &secs)]));
            }
            ui.add_space(6.0);
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let button = ui
                .add_enabled(
                    held_secs.is_none(),
                    egui::Button::new(t("login.submit")).fill(widgets::ACCENT.gamma_multiply(0.25)),
                )
                .on_disabled_hover_text(t("login.held_hover"));
            let asked = (button.clicked() || enter) && held_secs.is_none();
            ui.add_space(8.0);
            ui.label(RichText::new(t("login.forgot")).small().weak());
            asked.then(|| Entry::LogIn {
                login: self.login.clone(),
                password: self.password.clone(),
            })
        })
        .flatten()
    }

    /// Shows why the login failed; `now` is the egui time (a hold counts down from it).
    pub fn refused(&mut self, e: Error, now: f64) {
        self.password.clear();
        self.focus_password = true;
        if let Error::Login(LoginError::Held { secs }) = e {
            self.held_until = Some(now + secs as f64);
            self.error = None;
        } else {
            self.error = Some(e.to_string());
        }
    }
}

/// The database could not be opened: say why and what to do.
pub fn fatal_ui(ui: &mut Ui, message: &str) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(t("fatal.title"));
            ui.add_space(10.0);
            ui.label(RichText::new(message).color(widgets::ERROR));
            ui.add_space(10.0);
            ui.label(t("fatal.what_to_do"));
        });
    });
}
