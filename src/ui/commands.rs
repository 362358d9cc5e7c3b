//! Every write the GUI makes is a [`Command`], applied in one place ([`Cx::apply`]) through the
//! store, which checks permissions and audits it. The result goes back to the tab (to show a
//! field's error under the field) and, when it matters, to a toast.

use super::widgets::Toasts;
use crate::domain::{Actor, Department, NewUser, Program, ProgramKind, Role, Settings, User};
use crate::i18n::{t, tf};
use crate::store::{Error, Store};

/// A change a tab asks for.
#[derive(Debug, Clone)]
pub enum Command {
    /// Add a user.
    AddUser {
        /// The new user's fields.
        new: NewUser,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// Change a user's name, role and department.
    UpdateUser {
        /// Which user.
        id: i64,
        /// New name.
        name: String,
        /// New role.
        role: Role,
        /// New department.
        department_id: Option<i64>,
    },
    /// Activate or deactivate a user.
    SetUserActive {
        /// Which user.
        id: i64,
        /// Active or not.
        active: bool,
    },
    /// Set a new password for a user.
    ResetPassword {
        /// Which user.
        id: i64,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// The logged-in user changes their own password.
    ChangeOwnPassword {
        /// The current password.
        current: String,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// Add a department.
    AddDepartment {
        /// Its name.
        name: String,
    },
    /// Rename a department.
    RenameDepartment {
        /// Which department.
        id: i64,
        /// Its new name.
        name: String,
    },
    /// Activate or deactivate a department.
    SetDepartmentActive {
        /// Which department.
        id: i64,
        /// Active or not.
        active: bool,
    },
    /// Add a program or service.
    AddProgram {
        /// Its name.
        name: String,
        /// Program or service.
        kind: ProgramKind,
        /// Responsible department.
        department_id: Option<i64>,
    },
    /// Activate or deactivate a program or service.
    SetProgramActive {
        /// Which one.
        id: i64,
        /// Active or not.
        active: bool,
    },
    /// Save the institution settings.
    SaveSettings(Settings),
}

/// What a command produced.
#[derive(Debug, Clone)]
pub enum Applied {
    /// A user (added or changed).
    User(User),
    /// A department.
    Department(Department),
    /// A program or service.
    Program(Program),
    /// Done, nothing to show.
    Done,
}

/// What a tab may use while drawing.
pub struct Cx<'a> {
    /// The data.
    pub store: &'a Store,
    /// Who acts.
    pub actor: &'a Actor,
    /// The logged-in user (updated when they change themselves).
    pub user: &'a mut User,
    /// Institution settings.
    pub settings: &'a Settings,
    /// Messages in the corner.
    pub toasts: &'a mut Toasts,
    /// Set when the settings were saved.
    pub settings_changed: bool,
}

impl Cx<'_> {
    /// Applies a command. Field errors are returned for the form to show; other failures
    /// also go to a toast that stays until read.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, Error> {
        let store = self.store;
        let actor = self.actor;
        let result = match cmd {
            Command::AddUser {
                new,
                password,
                password2,
            } => store.add_user(actor, &new, &password, &password2).map(|u| {
                self.toasts
                    .success(tf("user.added", &[("login", &u.login)]));
                Applied::User(u)
            }),
            Command::UpdateUser {
                id,
                name,
                role,
                department_id,
            } => store
                .update_user(actor, id, &name, role, department_id)
                .map(|u| {
                    self.toasts.success(t("common.saved"));
                    Applied::User(u)
                }),
            Command::SetUserActive { id, active } => {
                store.set_user_active(actor, id, active).map(|u| {
                    let key = if active {
                        "user.activated"
                    } else {
                        "user.deactivated"
                    };
                    self.toasts.success(tf(key, &[("name", &u.name)]));
                    Applied::User(u)
                })
            }
            Command::ResetPassword {
                id,
                password,
                password2,
            } => store
                .reset_password(actor, id, &password, &password2)
                .map(|()| {
                    self.toasts.success(t("user.password_reset"));
                    Applied::Done
                }),
            Command::ChangeOwnPassword {
                current,
                password,
                password2,
            } => store
                .change_own_password(actor, &current, &password, &password2)
                .map(|()| {
                    self.toasts.success(t("account.password_changed"));
                    Applied::Done
                }),
            Command::AddDepartment { name } => store.add_department(actor, &name).map(|d| {
                self.toasts
                    .success(tf("department.added", &[("name", &d.name)]));
                Applied::Department(d)
            }),
            Command::RenameDepartment { id, name } => {
                store.rename_department(actor, id, &name).map(|()| {
                    self.toasts.success(t("common.saved"));
                    Applied::Done
                })
            }
            Command::SetDepartmentActive { id, active } => store
                .set_department_active(actor, id, active)
                .map(|()| Applied::Done),
            Command::AddProgram {
                name,
                kind,
                department_id,
            } => store
                .add_program(actor, &name, kind, department_id)
                .map(|p| {
                    self.toasts
                        .success(tf("program.added", &[("name", &p.name)]));
                    Applied::Program(p)
                }),
            Command::SetProgramActive { id, active } => store
                .set_program_active(actor, id, active)
                .map(|()| Applied::Done),
            Command::SaveSettings(s) => store.save_settings(actor, &s).map(|()| {
                self.settings_changed = true;
                self.toasts.success(t("common.saved"));
                Applied::Done
            }),
        };
        if let Err(e) = &result
            && !matches!(e, Error::Invalid(_))
        {
            self.toasts.error(e.to_string());
        }
        if let Ok(Applied::User(u)) = &result
            && u.id == self.user.id
        {
            *self.user = u.clone();
        }
        result
    }
}
