//! Users: the first head, login with a growing hold after failures, administration.

use super::db::Row;
use super::{Error, Result, Store, Tx, What, password, require};
use crate::domain::login::{FREE_FAILURES, LoginError, seconds_left};
use crate::domain::user::{normalize_login, validate_login, validate_password};
use crate::domain::{Action, Actor, Field, FieldError, NewUser, Role, User};
use crate::i18n::Msg;
use crate::params;

const USER_COLS: &str = "u.id, u.login, u.name, u.role, u.department_id, d.name, u.active";
const USER_FROM: &str = "users u LEFT JOIN departments d ON d.id = u.department_id";

fn user_from_row(r: &Row) -> User {
    User {
        id: r.i64(0),
        login: r.text(1),
        name: r.text(2),
        role: Role::from_code(&r.text(3)).unwrap_or(Role::Auxiliar),
        department_id: r.opt_i64(4),
        department: r.opt_text(5),
        active: r.bool(6),
    }
}

impl Store {
    /// How many users exist (0 means the first-run screen).
    pub fn user_count(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_one("SELECT COUNT(*) FROM users", &[])?.i64(0)))
    }

    /// Creates the first account, the marketing head. Refused once any user exists.
    pub fn create_first_head(&self, name: &str, login: &str, pw: &str, pw2: &str) -> Result<User> {
        let new = NewUser {
            login: login.to_owned(),
            name: name.to_owned(),
            role: Some(Role::Jefe),
            department_id: None,
        };
        if let Some(e) = new.validate().into_iter().next() {
            return Err(e.into());
        }
        validate_password(pw, pw2)?;
        let hash = password::hash(pw)?;
        self.write(|tx| {
            if tx.conn.query_one("SELECT COUNT(*) FROM users", &[])?.i64(0) > 0 {
                return Err(Error::Conflict(Msg::new("user.err_first_exists")));
            }
            let id = insert_user(tx, &new, Role::Jefe, &hash)?;
            let actor = Actor::User {
                id,
                login: normalize_login(login),
                role: Role::Jefe,
                department_id: None,
            };
            tx.audit(&actor, "user.first_head", "user", Some(id), "")?;
            get_user(tx, id)
        })
    }

    /// Checks a login and password. Five failures in a row hold the login back for a growing delay.
    pub fn login(&self, login: &str, pw: &str) -> Result<User> {
        let login = normalize_login(login);
        let now = self.now();
        let row = self.read(|c| {
            c.query_opt(
                "SELECT id, password_hash, active, failed_logins, last_failed_at FROM users WHERE login = ?1",
                params![login.as_str()],
            )
        })?;
        let Some(row) = row else {
            return Err(Error::Login(LoginError::Wrong));
        };
        let (id, hash, active, failures, last_failed) = (
            row.i64(0),
            row.text(1),
            row.bool(2),
            row.i64(3),
            row.opt_i64(4),
        );
        let wait = seconds_left(failures, last_failed, now);
        if wait > 0 {
            return Err(Error::Login(LoginError::Held { secs: wait }));
        }
        if !password::verify(pw, &hash) {
            let failures = failures + 1;
            self.write(|tx| {
                tx.conn.execute(
                    "UPDATE users SET failed_logins = ?1, last_failed_at = ?2 WHERE id = ?3",
                    params![failures, tx.now, id],
                )?;
                if failures == FREE_FAILURES {
                    tx.audit_as(&login, "login.held", "user", Some(id), "")?;
                }
                Ok(())
            })?;
            let wait = seconds_left(failures, Some(now), now);
            return Err(if wait > 0 {
                Error::Login(LoginError::Held { secs: wait })
            } else {
                Error::Login(LoginError::Wrong)
            });
        }
        if !active {
            return Err(Error::Login(LoginError::Inactive));
        }
        self.write(|tx| {
            tx.conn.execute(
                "UPDATE users SET failed_logins = 0, last_failed_at = NULL, last_login_at = ?1 WHERE id = ?2",
                params![tx.now, id],
            )?;
            get_user(tx, id)
        })
    }

    /// Every user (heads and professionals).
    pub fn users(&self, actor: &Actor) -> Result<Vec<User>> {
        require(actor, Action::ViewUsers)?;
        self.read(|c| {
            Ok(c.query(
                &format!("SELECT {USER_COLS} FROM {USER_FROM} ORDER BY u.active DESC, u.name"),
                &[],
            )?
            .iter()
            .map(user_from_row)
            .collect())
        })
    }

    /// One user by login (the command line's way of naming agents).
    pub fn user_by_login(&self, login: &str) -> Result<Option<User>> {
        let login = normalize_login(login);
        self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {USER_COLS} FROM {USER_FROM} WHERE u.login = ?1"),
                params![login],
            )?
            .as_ref()
            .map(user_from_row))
        })
    }

    /// Adds a user (head only).
    pub fn add_user(&self, actor: &Actor, new: &NewUser, pw: &str, pw2: &str) -> Result<User> {
        require(actor, Action::ManageUsers)?;
        if let Some(e) = new.validate().into_iter().next() {
            return Err(e.into());
        }
        validate_password(pw, pw2)?;
        let role = new.role.unwrap_or(Role::Auxiliar);
        let hash = password::hash(pw)?;
        self.write(|tx| {
            check_department(tx, new.department_id)?;
            let id = insert_user(tx, new, role, &hash)?;
            tx.audit(actor, "user.add", "user", Some(id), role.code())?;
            get_user(tx, id)
        })
    }

    /// Changes a user's name, role and department (head only). At least one active head remains.
    pub fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        name: &str,
        role: Role,
        department_id: Option<i64>,
    ) -> Result<User> {
        require(actor, Action::ManageUsers)?;
        let probe = NewUser {
            login: "x".into(),
            name: name.to_owned(),
            role: Some(role),
            department_id,
        };
        if let Some(e) = probe.validate().into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            let before = get_user(tx, id)?;
            check_department(tx, department_id)?;
            if before.role == Role::Jefe && role != Role::Jefe && before.active {
                ensure_another_head(tx, id)?;
            }
            tx.conn.execute(
                "UPDATE users SET name = ?1, role = ?2, department_id = ?3 WHERE id = ?4",
                params![name.trim(), role.code(), department_id, id],
            )?;
            tx.audit(actor, "user.update", "user", Some(id), role.code())?;
            get_user(tx, id)
        })
    }

    /// Activates or deactivates a user (head only). Users are never deleted.
    pub fn set_user_active(&self, actor: &Actor, id: i64, active: bool) -> Result<User> {
        require(actor, Action::ManageUsers)?;
        self.write(|tx| {
            let before = get_user(tx, id)?;
            if !active {
                if actor.user_id() == Some(id) {
                    return Err(Error::Conflict(Msg::new("user.err_deactivate_self")));
                }
                if before.role == Role::Jefe {
                    ensure_another_head(tx, id)?;
                }
            }
            tx.conn.execute(
                "UPDATE users SET active = ?1 WHERE id = ?2",
                params![active, id],
            )?;
            let action = if active {
                "user.activate"
            } else {
                "user.deactivate"
            };
            tx.audit(actor, action, "user", Some(id), "")?;
            get_user(tx, id)
        })
    }

    /// Sets a new password for any user (head, or the command line) and lifts a login hold.
    pub fn reset_password(&self, actor: &Actor, id: i64, pw: &str, pw2: &str) -> Result<()> {
        require(actor, Action::ManageUsers)?;
        validate_password(pw, pw2)?;
        let hash = password::hash(pw)?;
        self.write(|tx| {
            get_user(tx, id)?;
            tx.conn.execute(
                "UPDATE users SET password_hash = ?1, failed_logins = 0, last_failed_at = NULL WHERE id = ?2",
                params![hash, id],
            )?;
            tx.audit(actor, "user.reset_password", "user", Some(id), "")
        })
    }

    /// A user changes their own password, giving the current one.
    pub fn change_own_password(
        &self,
        actor: &Actor,
        current: &str,
        pw: &str,
        pw2: &str,
    ) -> Result<()> {
        let Some(id) = actor.user_id() else {
            return Err(Error::Forbidden(Msg::new("perm.forbidden")));
        };
        let stored = self.read(|c| {
            Ok(
                c.query_one("SELECT password_hash FROM users WHERE id = ?1", params![id])?
                    .text(0),
            )
        })?;
        if !password::verify(current, &stored) {
            return Err(FieldError::new(Field::Current, "user.err_current_wrong").into());
        }
        validate_password(pw, pw2)?;
        let hash = password::hash(pw)?;
        self.write(|tx| {
            tx.conn.execute(
                "UPDATE users SET password_hash = ?1 WHERE id = ?2",
                params![hash, id],
            )?;
            tx.audit(actor, "user.change_own_password", "user", Some(id), "")
        })
    }
}

fn insert_user(tx: &mut Tx<'_>, new: &NewUser, role: Role, hash: &str) -> Result<i64> {
    validate_login(&new.login)?;
    let login = normalize_login(&new.login);
    let taken = tx
        .conn
        .query_opt(
            "SELECT id FROM users WHERE login = ?1",
            params![login.as_str()],
        )?
        .is_some();
    if taken {
        return Err(Error::Invalid(FieldError::with(
            Field::Login,
            "user.err_login_taken",
            &[("login", &login)],
        )));
    }
    tx.conn.insert(
        "INSERT INTO users (login, name, role, department_id, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![login, new.name.trim(), role.code(), new.department_id, hash, tx.now],
    )
}

fn get_user(tx: &mut Tx<'_>, id: i64) -> Result<User> {
    tx.conn
        .query_opt(
            &format!("SELECT {USER_COLS} FROM {USER_FROM} WHERE u.id = ?1"),
            params![id],
        )?
        .as_ref()
        .map(user_from_row)
        .ok_or_else(|| Error::NotFound(What::User))
}

fn check_department(tx: &mut Tx<'_>, department_id: Option<i64>) -> Result<()> {
    if let Some(d) = department_id {
        let ok = tx
            .conn
            .query_opt("SELECT id FROM departments WHERE id = ?1", params![d])?
            .is_some();
        if !ok {
            return Err(FieldError::new(Field::Department, "department.err_not_found").into());
        }
    }
    Ok(())
}

fn ensure_another_head(tx: &mut Tx<'_>, id: i64) -> Result<()> {
    let others = tx
        .conn
        .query_one(
            "SELECT COUNT(*) FROM users WHERE role = 'jefe' AND active = 1 AND id <> ?1",
            params![id],
        )?
        .i64(0);
    if others == 0 {
        Err(Error::Conflict(Msg::new("user.err_last_head")))
    } else {
        Ok(())
    }
}
