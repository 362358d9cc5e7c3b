//! Mi cuenta (everyone): who I am, and changing my own password.

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::Field;
use crate::domain::{FieldError, Role};
use crate::i18n::t;
use crate::store::Error;
use crate::ui::commands::{Command, Cx};
use crate::ui::widgets::{
    err_for, focus_next_field, password_field_ui, req, required_legend_ui, section_ui,
};

/// The account tab.
#[derive(Default)]
pub struct AccountTab {
    current: String,
    password: String,
    password2: String,
    errors: Vec<FieldError>,
    /// The tab was opened: the form starts on its first field.
    focus: bool,
}

impl TabView for AccountTab {
    fn id(&self) -> Tab {
        Tab::MiCuenta
    }

    fn label(&self) -> String {
        t("tab.account")
    }

    fn visible_for(&self, _role: Role) -> bool {
        true
    }

    fn mark_stale(&mut self) {
        self.focus = true;
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        section_ui(ui, &t("tab.account"));
        egui::Grid::new("account_grid")
            .num_columns(2)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                ui.label(RichText::new(t("user.name")).weak());
                ui.label(&cx.user.name);
                ui.end_row();
                ui.label(RichText::new(t("user.login")).weak());
                ui.label(&cx.user.login);
                ui.end_row();
                ui.label(RichText::new(t("user.role")).weak());
                ui.label(cx.user.role.label());
                ui.end_row();
                ui.label(RichText::new(t("user.department")).weak());
                ui.label(
                    cx.user
                        .department
                        .clone()
                        .unwrap_or_else(|| t("common.none_f")),
                );
                ui.end_row();
            });
        ui.add_space(12.0);
        ui.separator();
        section_ui(ui, &t("account.change_password"));
        ui.scope(|ui| {
            ui.set_max_width(380.0);
            required_legend_ui(ui);
            if std::mem::take(&mut self.focus) {
                focus_next_field(ui);
            }
            password_field_ui(
                ui,
                req(&t("account.current_password")),
                &mut self.current,
                err_for(&self.errors, Field::Current),
            );
            password_field_ui(
                ui,
                req(&t("user.new_password")),
                &mut self.password,
                err_for(&self.errors, Field::Password),
            );
            password_field_ui(
                ui,
                req(&t("user.password2")),
                &mut self.password2,
                err_for(&self.errors, Field::Password2),
            );
        });
        if ui.button(t("account.change_password")).clicked() {
            self.errors.clear();
            match cx.apply(Command::ChangeOwnPassword {
                current: self.current.clone(),
                password: self.password.clone(),
                password2: self.password2.clone(),
            }) {
                Ok(_) => *self = Self::default(),
                Err(Error::Invalid(e)) => self.errors.push(e),
                Err(_) => {}
            }
        }
    }
}
