//! Users of the program.

use super::role::Role;
use super::{Field, FieldError};

/// A user as the rest of the program sees it (never with the password hash).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct User {
    /// Key.
    pub id: i64,
    /// Login name (lower-case letters, digits, `.`, `_`, `-`).
    pub login: String,
    /// Full name.
    pub name: String,
    /// Role in the procedure.
    pub role: Role,
    /// Department (required for solicitantes).
    pub department_id: Option<i64>,
    /// The department's name, for display.
    pub department: Option<String>,
    /// Deactivated users cannot log in; they are never deleted.
    pub active: bool,
}

/// What is needed to add a user.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// Login name.
    pub login: String,
    /// Full name.
    pub name: String,
    /// Role; `None` means "not chosen yet" in a form.
    pub role: Option<Role>,
    /// Department.
    pub department_id: Option<i64>,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Normalises a login: trimmed and lower-case.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Checks a login name.
pub fn validate_login(login: &str) -> Result<(), FieldError> {
    let login = normalize_login(login);
    if login.is_empty() {
        return Err(FieldError::new(Field::Login, "user.err_login_empty"));
    }
    if login.chars().count() > 40
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(FieldError::new(Field::Login, "user.err_login_chars"));
    }
    Ok(())
}

/// Checks a password and its repetition.
pub fn validate_password(password: &str, repeated: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(FieldError::new(Field::Password, "user.err_password_short"));
    }
    if password != repeated {
        return Err(FieldError::new(
            Field::Password2,
            "user.err_password_mismatch",
        ));
    }
    Ok(())
}

impl NewUser {
    /// Checks every field; returns all problems, one per field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if let Err(e) = validate_login(&self.login) {
            errs.push(e);
        }
        if self.name.trim().is_empty() {
            errs.push(FieldError::new(Field::Name, "user.err_name_empty"));
        }
        match self.role {
            None => errs.push(FieldError::new(Field::Role, "user.err_role_empty")),
            Some(r) if r.needs_department() && self.department_id.is_none() => {
                errs.push(FieldError::new(
                    Field::Department,
                    "user.err_department_needed",
                ));
            }
            Some(_) => {}
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        assert!(validate_login("laura.gomez").is_ok());
        assert!(validate_login("  Laura_2 ").is_ok());
        assert!(validate_login("").is_err());
        assert!(validate_login("laura gómez").is_err());
    }

    #[test]
    fn passwords() {
        assert!(validate_password("corta", "corta").is_err());
        assert_eq!(
            validate_password("larga1234", "larga12345")
                .err()
                .map(|e| e.field.code()),
            Some("password2")
        );
        assert!(validate_password("larga1234", "larga1234").is_ok());
    }

    #[test]
    fn a_solicitante_needs_a_department() {
        let u = NewUser {
            login: "ana".into(),
            name: "Ana".into(),
            role: Some(Role::Solicitante),
            department_id: None,
        };
        assert_eq!(u.validate().len(), 1);
        assert_eq!(u.validate()[0].field, "department");
    }
}
