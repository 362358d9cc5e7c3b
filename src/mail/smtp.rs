//! One message over SMTP with `lettre` (rustls; TLS, STARTTLS or none), its `Message-ID`
//! built from the outbox row's UUID, its files attached.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};

use crate::domain::mail::{Outgoing, Security, SmtpSettings};

/// How long a connection or a command may take before the attempt counts as failed.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The connection to the server the settings name. Errors are the library's words.
pub fn transport(s: &SmtpSettings, password: Option<&str>) -> Result<SmtpTransport, String> {
    let host = s.host.trim();
    let builder = match s.security {
        Security::Tls => SmtpTransport::relay(host).map_err(|e| e.to_string())?,
        Security::StartTls => SmtpTransport::starttls_relay(host).map_err(|e| e.to_string())?,
        Security::Ninguna => SmtpTransport::builder_dangerous(host),
    };
    let mut builder = builder.port(s.port).timeout(Some(TIMEOUT));
    if s.needs_password() {
        builder = builder.credentials(Credentials::new(
            s.user.trim().to_owned(),
            password.unwrap_or_default().to_owned(),
        ));
    }
    Ok(builder.build())
}

/// The message as it goes on the wire: from the settings' sender, to the row's recipient,
/// its subject and plain-text body, its files, and `Message-ID: <uuid@telemercadeo>`.
pub fn build(s: &SmtpSettings, out: &Outgoing) -> Result<Message, String> {
    let m = &out.message;
    let from_name = s.from_name.trim();
    let from = Mailbox::new(
        (!from_name.is_empty()).then(|| from_name.to_owned()),
        s.from_address.trim().parse().map_err(|e| format!("{e}"))?,
    );
    let to: Mailbox =
        m.to.trim()
            .parse()
            .map_err(|e| format!("{}: {e}", m.to.trim()))?;
    let builder = Message::builder()
        .message_id(Some(m.message_id()))
        .from(from)
        .to(to)
        .subject(m.subject.clone());
    let text = SinglePart::plain(m.body.clone());
    let message = if out.files.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for (name, mime, bytes) in &out.files {
            let kind = ContentType::parse(mime)
                .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("mime"));
            parts = parts.singlepart(Attachment::new(name.clone()).body(bytes.clone(), kind));
        }
        builder.multipart(parts)
    };
    message.map_err(|e| e.to_string())
}

/// Sends one claimed message. The error is the server's (or the library's) words, kept as
/// the message's `last_error`.
pub fn send(t: &SmtpTransport, s: &SmtpSettings, out: &Outgoing) -> Result<(), String> {
    let message = build(s, out)?;
    t.send(&message).map(|_| ()).map_err(|e| e.to_string())
}

/// Sends one claimed message on a fresh connection (tests: a sender killed after this, before
/// marking it).
pub fn send_once(s: &SmtpSettings, password: Option<&str>, out: &Outgoing) -> Result<(), String> {
    send(&transport(s, password)?, s, out)
}
