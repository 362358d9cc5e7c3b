//! The SMTP password: never in the database. It is kept in the operating system's keyring
//! (Windows Credential Manager, macOS Keychain, the Secret Service on Linux) where there is
//! one; where there is none (a bare Linux, CI) it is asked once per session and kept in
//! memory only. `TELEMERCADEO_SMTP_PASSWORD` gives it to the command line and to tests, which
//! never need a keyring ([`disable_keyring`], `TELEMERCADEO_NO_KEYRING`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

/// The environment variable that gives the password (command line, tests).
pub const ENV_PASSWORD: &str = "TELEMERCADEO_SMTP_PASSWORD";

/// Set (to anything) to never use the keyring: the password then comes from
/// [`ENV_PASSWORD`] or is asked for the session.
pub const ENV_NO_KEYRING: &str = "TELEMERCADEO_NO_KEYRING";

/// The keyring service name.
pub const SERVICE: &str = "telemercadeo-smtp";

static SESSION: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());
static NO_KEYRING: AtomicBool = AtomicBool::new(false);

fn session() -> std::sync::MutexGuard<'static, BTreeMap<String, String>> {
    SESSION.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where a password was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kept {
    /// In the operating system's keyring (it survives the session).
    Keyring,
    /// In memory for this session only; the keyring's words say why.
    Session(String),
}

/// Never touches the operating system's keyring in this process (tests; a machine without one).
pub fn disable_keyring() {
    NO_KEYRING.store(true, Ordering::Relaxed);
}

/// Whether this machine has a usable keyring, or why not (its words). Probed once.
pub fn keyring_state() -> Result<(), String> {
    if NO_KEYRING.load(Ordering::Relaxed) || std::env::var_os(ENV_NO_KEYRING).is_some() {
        return Err("keyring disabled".to_owned());
    }
    static STATE: OnceLock<Result<(), String>> = OnceLock::new();
    STATE.get_or_init(os::probe).clone()
}

/// The password for `account` (`user@host:port`): the environment variable, then what was
/// given this session, then the keyring.
pub fn password(account: &str) -> Option<String> {
    if let Ok(p) = std::env::var(ENV_PASSWORD)
        && !p.is_empty()
    {
        return Some(p);
    }
    if let Some(p) = session().get(account) {
        return Some(p.clone());
    }
    if keyring_state().is_ok() {
        return os::get(account).ok().flatten();
    }
    None
}

/// Keeps the password for `account`: in the keyring when there is one (and for this session
/// in memory in any case).
pub fn remember(account: &str, password: &str) -> Kept {
    session().insert(account.to_owned(), password.to_owned());
    let kept = match keyring_state() {
        Ok(()) => os::set(account, password),
        Err(e) => Err(e),
    };
    match kept {
        Ok(()) => Kept::Keyring,
        Err(e) => Kept::Session(e),
    }
}

/// Whether a password for `account` is known this session (given, kept, or in the keyring).
pub fn known(account: &str) -> bool {
    password(account).is_some()
}

#[cfg(feature = "keyring")]
mod os {
    fn entry(account: &str) -> Result<keyring::Entry, String> {
        keyring::Entry::new(super::SERVICE, account).map_err(|e| e.to_string())
    }

    pub fn probe() -> Result<(), String> {
        match entry("probe")?.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn get(account: &str) -> Result<Option<String>, String> {
        match entry(account)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(e.to_string()),
        }
    }

    pub fn set(account: &str, password: &str) -> Result<(), String> {
        entry(account)?
            .set_password(password)
            .map_err(|e| e.to_string())
    }
}

#[cfg(not(feature = "keyring"))]
mod os {
    const NONE: &str = "built without the keyring feature";

    pub fn probe() -> Result<(), String> {
        Err(NONE.to_owned())
    }

    pub fn get(_: &str) -> Result<Option<String>, String> {
        Err(NONE.to_owned())
    }

    pub fn set(_: &str, _: &str) -> Result<(), String> {
        Err(NONE.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_keyring_the_password_lives_for_the_session() {
        disable_keyring();
        assert!(keyring_state().is_err());
        let account = "unit@smtp.test:2525";
        assert!(!known(account) || std::env::var(ENV_PASSWORD).is_ok());
        assert!(matches!(remember(account, "s3creta"), Kept::Session(_)));
        assert!(known(account));
        if std::env::var(ENV_PASSWORD).is_err() {
            assert_eq!(password(account).as_deref(), Some("s3creta"));
        }
    }
}
