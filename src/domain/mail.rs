//! The outbox's rules: the SMTP settings (server, port, security, user, sender), the back-off
//! between attempts, the lease, the stable `Message-ID`, a message as listed, and the `mailto:`
//! link that hands a message to the user's mail client when no server is configured.

use super::inbound::{OutboxKind, OutboxStatus};
use super::procedure::code_enum;
use super::{Field, FieldError};
use crate::i18n::t;

code_enum!(
    /// How the connection to the SMTP server is protected.
    Security, "smtp_security", {
        /// TLS from the first byte (SMTPS, usually port 465).
        Tls => "tls",
        /// Plain connection upgraded with STARTTLS (usually port 587); refused without it.
        StartTls => "starttls",
        /// No encryption (a relay on the local network or loopback).
        Ninguna => "ninguna",
    }
);

code_enum!(
    /// How a message left without the SMTP sender (`outbox.handed_over`).
    HandedOver, "outbox_handed", {
        /// Opened in the user's mail client ("Abrir en el correo").
        Mailto => "mailto",
        /// Delivered by hand ("Entregado a mano").
        AMano => "a_mano",
    }
);

/// The SMTP server the outbox sends through (head only; kept in the database, the password
/// in the operating system's keyring).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SmtpSettings {
    /// Server name or address; empty when no server is configured.
    pub host: String,
    /// Port (465 TLS, 587 STARTTLS, 25 plain).
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// User name for the server (empty: no authentication).
    pub user: String,
    /// Sender address.
    pub from_address: String,
    /// Sender's name as shown to recipients.
    pub from_name: String,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 587,
            security: Security::StartTls,
            user: String::new(),
            from_address: String::new(),
            from_name: String::new(),
        }
    }
}

impl SmtpSettings {
    /// Whether a server is configured (a host and a sender address): without one, messages are
    /// handed over by `mailto:` or by hand.
    pub fn is_configured(&self) -> bool {
        !self.host.trim().is_empty() && !self.from_address.trim().is_empty()
    }

    /// Whether the server asks for a password (a user is set).
    pub fn needs_password(&self) -> bool {
        !self.user.trim().is_empty()
    }

    /// The name the password is kept under in the keyring: `user@host:port`.
    pub fn account(&self) -> String {
        format!("{}@{}:{}", self.user.trim(), self.host.trim(), self.port)
    }

    /// Checks the fields. Everything empty is valid (no server: hand-over only); a server needs
    /// a port and a sender address.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.host.trim().is_empty() {
            if !self.from_address.trim().is_empty() && !is_address(&self.from_address) {
                return Err(FieldError::new(Field::SmtpFrom, "smtp.err_from"));
            }
            return Ok(());
        }
        if self.host.trim().contains(char::is_whitespace) {
            return Err(FieldError::new(Field::SmtpHost, "smtp.err_host"));
        }
        if self.port == 0 {
            return Err(FieldError::new(Field::SmtpPort, "smtp.err_port"));
        }
        if !is_address(&self.from_address) {
            return Err(FieldError::new(Field::SmtpFrom, "smtp.err_from"));
        }
        Ok(())
    }
}

/// Whether `s` looks like one e-mail address (`local@domain.tld`, no spaces).
pub fn is_address(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !s.contains(['<', '>', ',', ';'])
}

/// Reads a port as typed (1–65535).
pub fn parse_port(s: &str) -> Option<u16> {
    s.trim().parse::<u16>().ok().filter(|p| *p > 0)
}

/// How long a sender holds a claimed message before another may take it (a crash between
/// sending and marking leaves it to expire, and the message goes again, same `Message-ID`).
pub const LEASE_SECS: i64 = 120;

/// After this many failed attempts a message is `fallido` (it can be resent by hand).
pub const MAX_ATTEMPTS: i64 = 6;

/// The waits after the 1st, 2nd, … failure, in minutes (the last repeats).
pub const BACKOFF_MINUTES: [i64; 5] = [1, 5, 15, 60, 240];

/// How long to wait after a message's `attempts`-th failure (1-based) before trying again.
pub fn backoff_secs(attempts: i64) -> i64 {
    let i = (attempts.max(1) - 1) as usize;
    BACKOFF_MINUTES[i.min(BACKOFF_MINUTES.len() - 1)] * 60
}

/// Where a message stands after its `attempts`-th failure (1-based): still pendiente (due
/// after the back-off) or fallido.
pub fn after_failure(attempts: i64) -> OutboxStatus {
    if attempts >= MAX_ATTEMPTS {
        OutboxStatus::Fallido
    } else {
        OutboxStatus::Pendiente
    }
}

/// The `Message-ID` of the outbox row with this UUID: the same at every attempt, so a resend
/// after a crash is recognisable as the same mail.
pub fn message_id(uuid: &str) -> String {
    format!("<{uuid}@telemercadeo>")
}

/// A file attached to a message, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// The stored file's id.
    pub blob_id: i64,
    /// Its name.
    pub file_name: String,
    /// Its MIME type.
    pub mime: String,
    /// Its size in bytes.
    pub size: i64,
}

/// A message of the outbox, as the screen lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Row id.
    pub id: i64,
    /// Its UUID (its `Message-ID`).
    pub uuid: String,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// What it is.
    pub kind: OutboxKind,
    /// Where it stands.
    pub status: OutboxStatus,
    /// When it was queued (UTC seconds).
    pub created_at: i64,
    /// Who queued it.
    pub created_by: String,
    /// Failed attempts so far.
    pub attempts: i64,
    /// The server's words at the last failure.
    pub last_error: Option<String>,
    /// When it was sent or handed over.
    pub sent_at: Option<i64>,
    /// When it is due next (pendiente).
    pub next_attempt_at: Option<i64>,
    /// Handed over another way than SMTP.
    pub handed_over: Option<HandedOver>,
    /// Held by a sender until then (UTC seconds), when it is being sent.
    pub lease_until: Option<i64>,
    /// The inbound call it belongs to.
    pub inbound_call_id: Option<i64>,
    /// Its files.
    pub attachments: Vec<AttachmentInfo>,
}

impl OutboxMessage {
    /// The message's `Message-ID`.
    pub fn message_id(&self) -> String {
        message_id(&self.uuid)
    }

    /// Whether a sender holds it at `now`.
    pub fn leased_at(&self, now: i64) -> bool {
        self.lease_until.is_some_and(|u| u > now)
    }

    /// Its `mailto:` link (to, subject, body; attachments cannot travel in one).
    pub fn mailto(&self) -> String {
        mailto(&self.to, &self.subject, &self.body)
    }
}

/// A claimed message with its files' bytes, ready to send.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The message.
    pub message: OutboxMessage,
    /// The files: (name, MIME type, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
}

/// Which messages a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutboxFilter {
    /// Only this status.
    pub status: Option<OutboxStatus>,
}

/// What one round of the sender did (`outbox send --json`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SendSummary {
    /// Messages due when the round began.
    pub due: usize,
    /// Accepted by the server and marked enviado.
    pub sent: usize,
    /// Failed this time; will be tried again.
    pub retry: usize,
    /// Failed for the last time: now fallido.
    pub failed: usize,
    /// Taken by another sender first.
    pub skipped: usize,
    /// The server's words at the first failure, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A `mailto:` link (RFC 6068) with the recipient, subject and body percent-encoded.
pub fn mailto(to: &str, subject: &str, body: &str) -> String {
    // Line breaks travel as CRLF.
    let body = body.replace("\r\n", "\n").replace('\n', "\r\n");
    format!(
        "mailto:{}?subject={}&body={}",
        encode(to.trim(), b"@"),
        encode(subject, b""),
        encode(&body, b"")
    )
}

fn encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The words of a status for the list: "Enviado (a mano)" for a message handed over.
pub fn status_words(m: &OutboxMessage) -> String {
    match (m.status, m.handed_over) {
        (OutboxStatus::Enviado, Some(h)) => format!("{} ({})", m.status.label(), h.label()),
        (s, _) => s.label(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with_lang};

    #[test]
    fn back_off_grows_and_gives_up() {
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(2), 300);
        assert_eq!(backoff_secs(3), 900);
        assert_eq!(backoff_secs(4), 3600);
        assert_eq!(backoff_secs(50), 240 * 60);
        assert_eq!(backoff_secs(0), 60);
        assert!((1..=MAX_ATTEMPTS).all(|a| backoff_secs(a) >= backoff_secs(a - 1)));
        assert_eq!(after_failure(1), OutboxStatus::Pendiente);
        assert_eq!(after_failure(MAX_ATTEMPTS - 1), OutboxStatus::Pendiente);
        assert_eq!(after_failure(MAX_ATTEMPTS), OutboxStatus::Fallido);
    }

    #[test]
    fn settings_are_checked_on_their_field() {
        let field = |s: &SmtpSettings| s.validate().err().map(|e| (e.field, e.key()));
        assert_eq!(field(&SmtpSettings::default()), None);
        assert!(!SmtpSettings::default().is_configured());
        let ok = SmtpSettings {
            host: "smtp.universidad.edu.co".into(),
            from_address: "mercadeo@universidad.edu.co".into(),
            ..Default::default()
        };
        assert_eq!(field(&ok), None);
        assert!(ok.is_configured());
        assert!(!ok.needs_password());
        assert_eq!(
            field(&SmtpSettings {
                from_address: "no es correo".into(),
                ..ok.clone()
            }),
            Some((Field::SmtpFrom, "smtp.err_from"))
        );
        assert_eq!(
            field(&SmtpSettings {
                host: "smtp uni".into(),
                ..ok.clone()
            }),
            Some((Field::SmtpHost, "smtp.err_host"))
        );
        assert_eq!(
            field(&SmtpSettings { port: 0, ..ok }),
            Some((Field::SmtpPort, "smtp.err_port"))
        );
        assert_eq!(parse_port(" 587 "), Some(587));
        assert_eq!(parse_port("0"), None);
        assert_eq!(parse_port("70000"), None);
        assert_eq!(parse_port("abc"), None);
        assert!(is_address("a.b@uni.edu.co"));
        for bad in ["", "@uni.co", "a@uni", "a b@uni.co", "a@.co", "a@uni.co."] {
            assert!(!is_address(bad), "{bad}");
        }
    }

    #[test]
    fn mailto_encodes_everything_but_the_address() {
        let link = mailto(
            "gestor@uni.edu.co",
            "Remisión: Psicología",
            "Hola,\nNombre: Ana & Co",
        );
        assert_eq!(
            link,
            "mailto:gestor@uni.edu.co?subject=Remisi%C3%B3n%3A%20Psicolog%C3%ADa&body=Hola%2C%0D%0ANombre%3A%20Ana%20%26%20Co"
        );
        assert_eq!(message_id("0192-ab"), "<0192-ab@telemercadeo>");
    }

    #[test]
    fn codes_have_words() {
        with_lang(Lang::Es, || {
            for s in Security::ALL {
                assert_eq!(Security::from_code(s.code()), Some(*s));
                assert!(!s.label().starts_with("[["), "{s:?}");
            }
            for h in HandedOver::ALL {
                assert!(!h.label().starts_with("[["), "{h:?}");
            }
            assert_eq!(HandedOver::AMano.label(), "a mano");
        });
    }
}
