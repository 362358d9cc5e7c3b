//! Usuarios (head only): a searchable list on the left, the selected user on the right.

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::Action;
use crate::domain::Field;
use crate::domain::campaign::HeldContacts;
use crate::domain::{Department, FieldError, NewUser, Role, User};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Applied, Command, Cx};
use crate::ui::panels::{department_combo_ui, role_combo_ui};
use crate::ui::widgets::{
    self, Confirm, chip_ui, confirm_ui, empty_state_ui, err_for, password_field_ui, section_ui,
    text_field_ui,
};

#[derive(Default, PartialEq, Eq)]
enum Detail {
    #[default]
    Nothing,
    New,
    Selected(i64),
}

#[derive(Default)]
struct UserForm {
    login: String,
    name: String,
    role: Option<Role>,
    department_id: Option<i64>,
    password: String,
    password2: String,
    errors: Vec<FieldError>,
    /// Drawn once: the first field has had the keyboard.
    shown: bool,
}

impl UserForm {
    /// Every problem of a new user at once (the store checks them again).
    fn problems(&self) -> Vec<FieldError> {
        let mut errors = NewUser {
            login: self.login.clone(),
            name: self.name.clone(),
            role: self.role,
            department_id: self.department_id,
        }
        .validate();
        errors
            .extend(crate::domain::user::validate_password(&self.password, &self.password2).err());
        errors
    }

    /// What was typed and chosen, field by field.
    fn entered(&self) -> [(Field, String); 6] {
        [
            (Field::Name, self.name.clone()),
            (Field::Login, self.login.clone()),
            (Field::Role, format!("{:?}", self.role)),
            (Field::Department, format!("{:?}", self.department_id)),
            (Field::Password, self.password.clone()),
            (Field::Password2, self.password2.clone()),
        ]
    }

    /// The fields that differ between two [`UserForm::entered`].
    fn changed(before: &[(Field, String)], now: &[(Field, String)]) -> Vec<Field> {
        before
            .iter()
            .zip(now)
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, _)| a.0)
            .collect()
    }

    fn from_user(u: &User) -> Self {
        Self {
            login: u.login.clone(),
            name: u.name.clone(),
            role: Some(u.role),
            department_id: u.department_id,
            ..Default::default()
        }
    }
}

/// The users tab.
#[derive(Default)]
pub struct UsersTab {
    loaded: bool,
    users: Vec<User>,
    departments: Vec<Department>,
    search: String,
    show_inactive: bool,
    detail: Detail,
    form: UserForm,
    reset: UserForm,
    confirm_active: Option<(i64, bool)>,
    /// The pending contacts of the user being deactivated (read when it is asked for).
    held: Vec<HeldContacts>,
}

/// What the head answered about a user who holds pending contacts.
enum HeldAnswer {
    Redistribute,
    Anyway,
    Cancel,
}

impl UsersTab {
    fn reload(&mut self, cx: &mut Cx<'_>) {
        match (cx.store.users(cx.actor), cx.store.departments()) {
            (Ok(u), Ok(d)) => {
                self.users = u;
                self.departments = d;
            }
            (Err(e), _) | (_, Err(e)) => cx.toasts.error(e.to_string()),
        }
        self.loaded = true;
    }

    fn visible(&self) -> Vec<&User> {
        let q = crate::domain::text::fold(&self.search);
        self.users
            .iter()
            .filter(|u| self.show_inactive || u.active)
            .filter(|u| {
                q.is_empty()
                    || crate::domain::text::fold(&u.name).contains(&q)
                    || u.login.contains(&q)
                    || crate::domain::text::fold(&u.role.label()).contains(&q)
            })
            .collect()
    }

    fn select(&mut self, id: i64) {
        if let Some(u) = self.users.iter().find(|u| u.id == id) {
            self.form = UserForm::from_user(u);
            self.reset = UserForm::default();
            self.detail = Detail::Selected(id);
        }
    }

    fn start_new(&mut self) {
        self.form = UserForm::default();
        self.detail = Detail::New;
    }
}

impl TabView for UsersTab {
    fn id(&self) -> Tab {
        Tab::Usuarios
    }

    fn label(&self) -> String {
        t("tab.users")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::ManageUsers)
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::N)) {
            self.start_new();
        }
        egui::Panel::left("users_list")
            .default_size(360.0)
            .resizable(true)
            .show(ui, |ui| self.list_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| self.detail_ui(ui, cx));
        });
        if let Some((id, false)) = self.confirm_active
            && !self.held.is_empty()
        {
            self.held_ui(ui, cx, id);
        } else if let Some((id, active)) = self.confirm_active {
            let name = self
                .users
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            let (title, body, yes) = if active {
                (
                    t("user.activate_title"),
                    tf("user.activate_body", &[("name", &name)]),
                    t("user.activate"),
                )
            } else {
                (
                    t("user.deactivate_title"),
                    tf("user.deactivate_body", &[("name", &name)]),
                    t("user.deactivate"),
                )
            };
            match confirm_ui(ui, "confirm_user_active", &title, &body, &yes) {
                Confirm::Open => {}
                Confirm::No => self.confirm_active = None,
                Confirm::Yes => {
                    self.confirm_active = None;
                    if cx.apply(Command::SetUserActive { id, active }).is_ok() {
                        self.reload(cx);
                        self.select(id);
                    }
                }
            }
        }
    }
}

impl UsersTab {
    /// Deactivating someone who holds pending contacts in a campaign not closed: how many,
    /// where and to whom they would go, with the offer to redistribute them first.
    fn held_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, id: i64) {
        let Some(user) = self.users.iter().find(|u| u.id == id).cloned() else {
            self.confirm_active = None;
            return;
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm_user_held")).show(ui.ctx(), |ui| {
            ui.set_max_width(480.0);
            ui.heading(tf("user.held_title", &[("name", &user.name)]));
            ui.add_space(6.0);
            ui.label(tf("user.held_intro", &[("name", &user.name)]));
            ui.add_space(4.0);
            for h in &self.held {
                let n = crate::domain::format::int(h.pending);
                let line = if h.to.is_empty() {
                    tf(
                        "user.held_line_nobody",
                        &[("campaign", &h.campaign), ("n", &n)],
                    )
                } else {
                    let to =
                        h.to.iter()
                            .map(|(_, name)| name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                    tf(
                        "user.held_line",
                        &[("campaign", &h.campaign), ("n", &n), ("to", &to)],
                    )
                };
                ui.label(format!("• {line}"));
            }
            ui.add_space(10.0);
            ui.horizontal_wrapped(|ui| {
                let can = self.held.iter().all(|h| !h.to.is_empty());
                if ui
                    .add_enabled(
                        can,
                        egui::Button::new(RichText::new(t("user.held_redistribute")).strong()),
                    )
                    .on_hover_text(t("user.held_redistribute_hover"))
                    .clicked()
                {
                    answer = Some(HeldAnswer::Redistribute);
                }
                if ui.button(t("user.held_deactivate_anyway")).clicked() {
                    answer = Some(HeldAnswer::Anyway);
                }
                if ui.button(t("common.cancel")).clicked() {
                    answer = Some(HeldAnswer::Cancel);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(HeldAnswer::Cancel);
        }
        let Some(answer) = answer else {
            return;
        };
        self.confirm_active = None;
        let held = std::mem::take(&mut self.held);
        if let HeldAnswer::Cancel = answer {
            return;
        }
        if let HeldAnswer::Redistribute = answer {
            for h in held {
                let to = h.to.into_iter().map(|(login, _)| login).collect();
                let moved = cx.apply(Command::Redistribute(h.campaign_id, user.login.clone(), to));
                if moved.is_err() {
                    // The account stays active: its contacts would be stranded otherwise.
                    return;
                }
            }
        }
        if cx
            .apply(Command::SetUserActive { id, active: false })
            .is_ok()
        {
            self.reload(cx);
            self.select(id);
        }
    }

    fn list_ui(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.heading(t("tab.users"));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(t("user.new"))
                    .on_hover_text(t("user.new_hover"))
                    .clicked()
                {
                    self.start_new();
                }
            });
        });
        let search = widgets::text_field_ui(ui, &t("common.search"), &mut self.search, None);
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
            search.request_focus();
        }
        ui.checkbox(&mut self.show_inactive, t("user.show_inactive"));
        let visible: Vec<(i64, String, String, Role, bool)> = self
            .visible()
            .into_iter()
            .map(|u| (u.id, u.name.clone(), u.login.clone(), u.role, u.active))
            .collect();
        ui.label(RichText::new(tf("user.count", &[("n", &visible.len())])).weak());
        ui.separator();
        if self.users.is_empty() {
            empty_state_ui(ui, &t("user.empty"));
            return;
        }
        if visible.is_empty() {
            empty_state_ui(ui, &t("common.no_matches"));
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for (id, name, login, role, active) in visible {
                let selected = self.detail == Detail::Selected(id);
                let r = ui
                    .horizontal(|ui| {
                        let r = ui.selectable_label(selected, RichText::new(&name).strong());
                        ui.label(RichText::new(&login).weak().small());
                        chip_ui(ui, &role.label(), widgets::ACCENT);
                        if !active {
                            chip_ui(ui, &t("user.inactive"), widgets::ERROR);
                        }
                        r
                    })
                    .inner;
                if r.clicked() {
                    self.select(id);
                }
            }
        });
    }

    fn detail_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        match self.detail {
            Detail::Nothing => empty_state_ui(ui, &t("user.select_hint")),
            Detail::New => self.new_ui(ui, cx),
            Detail::Selected(id) => self.edit_ui(ui, cx, id),
        }
    }

    fn new_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        section_ui(ui, &t("user.new"));
        widgets::required_legend_ui(ui);
        let f = &mut self.form;
        if !std::mem::replace(&mut f.shown, true) {
            widgets::focus_next_field(ui);
        }
        let before = f.entered();
        text_field_ui(
            ui,
            widgets::req(&t("user.name")),
            &mut f.name,
            err_for(&f.errors, Field::Name),
        );
        text_field_ui(
            ui,
            widgets::req(&t("user.login")),
            &mut f.login,
            err_for(&f.errors, Field::Login),
        );
        role_combo_ui(
            ui,
            widgets::req(&t("user.role")),
            &mut f.role,
            err_for(&f.errors, Field::Role),
        );
        department_combo_ui(
            ui,
            &t("user.department"),
            &mut f.department_id,
            &self.departments,
            err_for(&f.errors, Field::Department),
        );
        password_field_ui(
            ui,
            widgets::req(&t("user.password")),
            &mut f.password,
            err_for(&f.errors, Field::Password),
        );
        password_field_ui(
            ui,
            widgets::req(&t("user.password2")),
            &mut f.password2,
            err_for(&f.errors, Field::Password2),
        );
        let now = f.entered();
        if now != before {
            let changed = UserForm::changed(&before, &now);
            let fresh = f.problems();
            widgets::revalidate(&mut f.errors, &changed, fresh);
        }
        ui.add_space(6.0);
        let save = ui
            .button(t("user.create"))
            .on_hover_text(t("common.save_hover"));
        if save.clicked() || ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S))
        {
            let new = NewUser {
                login: f.login.clone(),
                name: f.name.clone(),
                role: f.role,
                department_id: f.department_id,
            };
            f.errors = f.problems();
            if f.errors.is_empty() {
                match cx.apply(Command::AddUser {
                    new,
                    password: f.password.clone(),
                    password2: f.password2.clone(),
                }) {
                    Ok(Applied::User(u)) => {
                        self.reload(cx);
                        self.select(u.id);
                    }
                    Ok(_) => {}
                    Err(Error::Invalid(e)) => f.errors.push(e),
                    Err(_) => {}
                }
            }
        }
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.detail = Detail::Nothing;
        }
    }

    fn edit_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, id: i64) {
        let Some(user) = self.users.iter().find(|u| u.id == id).cloned() else {
            self.detail = Detail::Nothing;
            return;
        };
        ui.horizontal(|ui| {
            section_ui(ui, &user.name);
            if user.active {
                chip_ui(ui, &t("user.active"), widgets::SUCCESS);
            } else {
                chip_ui(ui, &t("user.inactive"), widgets::ERROR);
            }
        });
        ui.label(RichText::new(tf("user.login_is", &[("login", &user.login)])).weak());
        ui.add_space(6.0);
        let f = &mut self.form;
        text_field_ui(
            ui,
            &t("user.name"),
            &mut f.name,
            err_for(&f.errors, Field::Name),
        );
        role_combo_ui(
            ui,
            &t("user.role"),
            &mut f.role,
            err_for(&f.errors, Field::Role),
        );
        department_combo_ui(
            ui,
            &t("user.department"),
            &mut f.department_id,
            &self.departments,
            err_for(&f.errors, Field::Department),
        );
        ui.add_space(6.0);
        let save = ui
            .button(t("common.save_changes"))
            .on_hover_text(t("common.save_hover"));
        if save.clicked() || ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S))
        {
            f.errors.clear();
            let role = f.role.unwrap_or(user.role);
            match cx.apply(Command::UpdateUser {
                id,
                name: f.name.clone(),
                role,
                department_id: f.department_id,
            }) {
                Ok(_) => {
                    self.reload(cx);
                    self.select(id);
                    return;
                }
                Err(Error::Invalid(e)) => f.errors.push(e),
                Err(_) => {}
            }
        }

        ui.add_space(12.0);
        ui.separator();
        section_ui(ui, &t("user.status"));
        let is_self = cx.actor.user_id() == Some(id);
        if user.active {
            let b = ui
                .add_enabled(!is_self, egui::Button::new(t("user.deactivate")))
                .on_disabled_hover_text(t("user.err_deactivate_self"))
                .on_hover_text(t("user.deactivate_hover"));
            if b.clicked() {
                // Contacts still to call would be stranded: read them before asking.
                self.held = cx
                    .shown(cx.store.held_contacts(cx.actor, id))
                    .unwrap_or_default();
                self.confirm_active = Some((id, false));
            }
        } else if ui.button(t("user.activate")).clicked() {
            self.confirm_active = Some((id, true));
        }

        ui.add_space(12.0);
        ui.separator();
        section_ui(ui, &t("user.reset_password"));
        let r = &mut self.reset;
        password_field_ui(
            ui,
            &t("user.new_password"),
            &mut r.password,
            err_for(&r.errors, Field::Password),
        );
        password_field_ui(
            ui,
            &t("user.password2"),
            &mut r.password2,
            err_for(&r.errors, Field::Password2),
        );
        if ui.button(t("user.reset_password")).clicked() {
            r.errors.clear();
            match cx.apply(Command::ResetPassword {
                id,
                password: r.password.clone(),
                password2: r.password2.clone(),
            }) {
                Ok(_) => *r = UserForm::default(),
                Err(Error::Invalid(e)) => r.errors.push(e),
                Err(_) => {}
            }
        }
    }
}
