//! The rule that holds back a login after repeated wrong passwords.

/// Failures in a row that are tolerated before the login is held back.
pub const FREE_FAILURES: i64 = 5;
/// The first hold, in seconds.
pub const FIRST_DELAY_SECS: i64 = 5;
/// The longest hold, in seconds.
pub const MAX_DELAY_SECS: i64 = 300;

/// How long a login must wait after `failures` wrong passwords in a row:
/// nothing for the first four, then 5 s, 10 s, 20 s, … up to 5 minutes.
pub fn delay_after(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(16) as u32;
    (FIRST_DELAY_SECS << doublings).min(MAX_DELAY_SECS)
}

/// Seconds left before the next attempt is allowed, or 0 when it is allowed now.
pub fn seconds_left(failures: i64, last_failure_at: Option<i64>, now: i64) -> i64 {
    match last_failure_at {
        Some(at) => (at + delay_after(failures) - now).max(0),
        None => 0,
    }
}

/// Why a login was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginError {
    /// Unknown login or wrong password (never said which).
    Wrong,
    /// Too many failures in a row: wait this many seconds.
    Held {
        /// Seconds to wait.
        secs: i64,
    },
    /// The account was deactivated.
    Inactive,
}

impl LoginError {
    /// The words for the user, made when shown.
    pub fn msg(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            LoginError::Wrong => Msg::new("login.err_wrong"),
            LoginError::Held { secs } => Msg::with("login.err_held", &[("secs", &secs)]),
            LoginError::Inactive => Msg::new("login.err_inactive"),
        }
    }
}

impl std::fmt::Display for LoginError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().render())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_is_capped() {
        assert_eq!(delay_after(0), 0);
        assert_eq!(delay_after(4), 0);
        assert_eq!(delay_after(5), 5);
        assert_eq!(delay_after(6), 10);
        assert_eq!(delay_after(7), 20);
        assert_eq!(delay_after(12), 300);
        assert_eq!(delay_after(1000), 300);
    }

    #[test]
    fn seconds_left_counts_down() {
        assert_eq!(seconds_left(5, Some(100), 100), 5);
        assert_eq!(seconds_left(5, Some(100), 103), 2);
        assert_eq!(seconds_left(5, Some(100), 105), 0);
        assert_eq!(seconds_left(3, Some(100), 100), 0);
        assert_eq!(seconds_left(9, None, 100), 0);
    }
}
