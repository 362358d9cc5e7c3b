//! The GUI's background sender: a `jobs` thread on its own connection
//! ([`Store::connect_again`]) that sends what is due every [`EVERY`] while the program runs,
//! or at once when woken ("Enviar ahora"). What its last round did is kept for the outbox
//! screen. Without a server configured, or without the password on this machine, it waits.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::domain::mail::SendSummary;
use crate::jobs::Job;
use crate::store::{Error, Store};

/// How often the sender looks for due messages.
pub const EVERY: Duration = Duration::from_secs(30);

/// What the sender last did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Round {
    /// It sent (or found nothing due): when (UTC seconds) and what.
    Sent(i64, SendSummary),
    /// No server is configured: messages are handed over by hand or `mailto:`.
    NotConfigured,
    /// The server asks for a password this machine does not have (ask for it).
    NoPassword,
    /// The database could not be read or written (its words).
    Failed(String),
}

struct State {
    job: Option<Job<(), Error>>,
    last: Option<Round>,
    wake: bool,
}

static STATE: Mutex<State> = Mutex::new(State {
    job: None,
    last: None,
    wake: false,
});
static WAKE: Condvar = Condvar::new();

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the sender over `store` (a second connection is opened for it), once per process;
/// `repaint` wakes the window after each round.
pub fn start(store: &Store, repaint: impl Fn() + Send + Sync + 'static) -> Result<(), Error> {
    let mut st = state();
    if st.job.is_some() {
        return Ok(());
    }
    let store = store.connect_again()?;
    st.job = Some(Job::spawn(
        "outbox-sender",
        String::new(),
        || {},
        move |_, cancel| {
            while !cancel.load(std::sync::atomic::Ordering::Relaxed) {
                let round = round(&store);
                {
                    let mut st = state();
                    st.last = Some(round);
                }
                repaint();
                let st = state();
                let (mut st, _) = WAKE
                    .wait_timeout_while(st, EVERY, |s| !s.wake)
                    .unwrap_or_else(|e| e.into_inner());
                st.wake = false;
            }
            Ok(())
        },
    ));
    Ok(())
}

/// One round: the settings read afresh, the password looked up, what is due sent.
pub fn round(store: &Store) -> Round {
    let smtp = match store.smtp_settings() {
        Ok(s) => s,
        Err(e) => return Round::Failed(e.to_string()),
    };
    if !smtp.is_configured() {
        return Round::NotConfigured;
    }
    let password = super::secret::password(&smtp.account());
    if smtp.needs_password() && password.is_none() {
        return Round::NoPassword;
    }
    match super::send_due(store, &smtp, password.as_deref()) {
        Ok(summary) => Round::Sent(store.now(), summary),
        Err(e) => Round::Failed(e.to_string()),
    }
}

/// Asks the sender to run a round now.
pub fn wake() {
    state().wake = true;
    WAKE.notify_all();
}

/// Whether the sender runs in this process.
pub fn running() -> bool {
    state().job.is_some()
}

/// What the sender's last round did.
pub fn last() -> Option<Round> {
    state().last.clone()
}
