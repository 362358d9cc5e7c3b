//! An inbound call as the Entrantes form registers it (procedure 5.2): who called, by which
//! channel, what they asked about, whether they authorised the processing of their data
//! (Ley 1581 de 2012) and how the call ended. The rules here are checked by the store before
//! anything is written; the words come from the locale files.

use std::collections::BTreeMap;

use super::card::HistoryEntry;
use super::inbound::{AskedAbout, Channel, Followup, InboundResult, ProgramSheet};
use super::{Field, FieldError};

/// The largest brochure accepted (PDF or image), in bytes.
pub const MAX_BROCHURE_BYTES: usize = 10 * 1024 * 1024;

/// The brochure's kinds by file extension: (extension, MIME type).
pub const BROCHURE_TYPES: [(&str, &str); 5] = [
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("webp", "image/webp"),
];

/// The longest caller name, document, notes accepted.
pub const MAX_NAME: usize = 160;
/// The longest document number accepted.
pub const MAX_DOCUMENT: usize = 30;
/// The longest notes accepted.
pub const MAX_NOTES: usize = 4000;

/// The placeholders of the remission template (`settings.remission_template`).
pub const TEMPLATE_PLACEHOLDERS: [&str; 8] = [
    "nombre",
    "telefono",
    "correo",
    "documento",
    "programa",
    "notas",
    "agente",
    "fecha",
];

/// An inbound call to register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInbound {
    /// How the person reached the contact center.
    pub channel: Channel,
    /// The caller's name.
    pub caller_name: String,
    /// The phone, E.164 (`+573001234567`), normalised by the import's phone module.
    pub phone: Option<String>,
    /// E-mail (empty: none).
    pub email: String,
    /// Document number (empty: none).
    pub document: String,
    /// What they asked about.
    pub asked_about: Option<AskedAbout>,
    /// The program or service (for a program or a service).
    pub program_id: Option<i64>,
    /// The department (for another department: the call is transferred there).
    pub department_id: Option<i64>,
    /// Notes.
    pub notes: String,
    /// The person authorised the processing of their data (Ley 1581).
    pub authorized: bool,
    /// How the call ended.
    pub result: Option<InboundResult>,
}

impl Default for NewInbound {
    fn default() -> Self {
        Self {
            channel: Channel::Telefono,
            caller_name: String::new(),
            phone: None,
            email: String::new(),
            document: String::new(),
            asked_about: None,
            program_id: None,
            department_id: None,
            notes: String::new(),
            authorized: false,
            result: None,
        }
    }
}

/// Whether `s` has the E.164 shape: `+`, then 8 to 15 digits, the first not 0.
pub fn is_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
}

/// A document number kept as typed but without spaces, dots or dashes (`1.088.123.456` →
/// `1088123456`), upper-case (passports).
pub fn clean_document(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | ','))
        .flat_map(char::to_uppercase)
        .collect()
}

impl NewInbound {
    /// Every problem of the form, one per field, in the form's order. The catalog checks
    /// (the program exists, has a manager's e-mail) are the store's.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let name = self.caller_name.trim();
        if name.is_empty() {
            out.push(FieldError::new(Field::Name, "inbound.err_name"));
        } else if name.chars().count() > MAX_NAME {
            out.push(FieldError::new(Field::Name, "inbound.err_name_long"));
        }
        if let Some(p) = &self.phone
            && !is_e164(p)
        {
            out.push(FieldError::new(Field::Phone, "inbound.err_phone"));
        }
        let email = self.email.trim();
        if !email.is_empty() && !super::brief::is_email(email) {
            out.push(FieldError::new(Field::Email, "inbound.err_email"));
        }
        let doc = clean_document(&self.document);
        if doc.chars().count() > MAX_DOCUMENT || doc.chars().any(|c| !c.is_ascii_alphanumeric()) {
            out.push(FieldError::new(Field::Document, "inbound.err_document"));
        }
        if self.phone.is_none() && email.is_empty() && doc.is_empty() {
            out.push(FieldError::new(Field::Phone, "inbound.err_no_contact"));
        }
        match self.asked_about {
            None => out.push(FieldError::new(Field::Kind, "inbound.err_asked")),
            Some(AskedAbout::Programa | AskedAbout::Servicio) if self.program_id.is_none() => {
                out.push(FieldError::new(Field::Program, "inbound.err_program"));
            }
            Some(AskedAbout::OtraDependencia) if self.department_id.is_none() => {
                out.push(FieldError::new(Field::Department, "inbound.err_department"));
            }
            _ => {}
        }
        if self.notes.chars().count() > MAX_NOTES {
            out.push(FieldError::new(
                Field::Observations,
                "inbound.err_notes_long",
            ));
        }
        match self.result {
            None => out.push(FieldError::new(Field::Result, "inbound.err_result")),
            Some(InboundResult::Remitido) => {
                if !self.authorized {
                    out.push(FieldError::new(
                        Field::Authorization,
                        "inbound.err_remit_unauthorized",
                    ));
                }
                if self.asked_about == Some(AskedAbout::OtraDependencia) {
                    out.push(FieldError::new(
                        Field::Result,
                        "inbound.err_remit_department",
                    ));
                }
            }
            Some(InboundResult::Transferida) => {
                if self.department_id.is_none() && self.program_id.is_none() {
                    out.push(FieldError::new(Field::Department, "inbound.err_department"));
                }
            }
            Some(InboundResult::Informado) => {}
        }
        out
    }
}

/// A registered inbound call, as lists and the form show it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InboundCall {
    /// Key.
    pub id: i64,
    /// UUID v7.
    pub uuid: String,
    /// When (UTC seconds).
    pub received_at: i64,
    /// The agent who took it (user id).
    pub taken_by: Option<i64>,
    /// The agent's name.
    pub agent: String,
    /// The person it is linked to.
    pub person_id: Option<i64>,
    /// Channel.
    pub channel: Channel,
    /// The caller's name.
    pub caller_name: String,
    /// Phone, E.164.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Document.
    pub document: Option<String>,
    /// What they asked about.
    pub asked_about: AskedAbout,
    /// The program or service.
    pub program_id: Option<i64>,
    /// Its name.
    pub program: String,
    /// The department (a transfer).
    pub department_id: Option<i64>,
    /// Its name.
    pub department: String,
    /// The department's extension (a transfer shows it).
    pub extension: String,
    /// Notes.
    pub notes: String,
    /// When the person authorised the processing of their data.
    pub authorized_at: Option<i64>,
    /// How it ended.
    pub result: InboundResult,
    /// A remitted lead's follow-up.
    pub followup: Option<Followup>,
    /// When the follow-up last changed.
    pub followup_at: Option<i64>,
    /// The remission queued in the outbox.
    pub outbox_id: Option<i64>,
}

/// A person the phone or document matched, with what the center knows of them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KnownPerson {
    /// The person (none: an earlier caller never linked to a person).
    pub person_id: Option<i64>,
    /// Their name as last known.
    pub name: String,
    /// E-mail, when known.
    pub email: Option<String>,
    /// Document, when known.
    pub document: Option<String>,
    /// Campaign attempts and corrections, newest first (at most `card::HISTORY_LIMIT`).
    pub attempts: Vec<HistoryEntry>,
    /// Earlier inbound calls, newest first (at most [`KNOWN_CALLS_LIMIT`]).
    pub calls: Vec<InboundCall>,
}

/// At most this many earlier inbound calls are shown for a known person.
pub const KNOWN_CALLS_LIMIT: usize = 20;

/// What the recent calls list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboundFilter {
    /// Name or phone (digits) contains this.
    pub search: String,
    /// From this instant (UTC seconds, inclusive).
    pub from: Option<i64>,
    /// Before this instant (UTC seconds, exclusive).
    pub to: Option<i64>,
    /// Taken by this user.
    pub agent_id: Option<i64>,
    /// By this channel.
    pub channel: Option<Channel>,
    /// About this program or service.
    pub program_id: Option<i64>,
    /// With this result.
    pub result: Option<InboundResult>,
    /// Only remitted leads with this follow-up.
    pub followup: Option<Followup>,
}

/// One page of the recent calls.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboundPage {
    /// The calls, newest first.
    pub calls: Vec<InboundCall>,
    /// How many match the filter.
    pub total: i64,
}

/// The values of the remission template's placeholders for a call.
#[allow(clippy::too_many_arguments)]
pub fn template_values(
    name: &str,
    phone: Option<&str>,
    email: &str,
    document: &str,
    program: &str,
    notes: &str,
    agent: &str,
    when: &str,
) -> BTreeMap<String, String> {
    let dash = |s: &str| {
        if s.trim().is_empty() {
            "—".to_owned()
        } else {
            s.trim().to_owned()
        }
    };
    let mut v = BTreeMap::new();
    v.insert("nombre".into(), dash(name));
    v.insert(
        "telefono".into(),
        dash(&phone.map(super::format::phone).unwrap_or_default()),
    );
    v.insert("correo".into(), dash(email));
    v.insert("documento".into(), dash(document));
    v.insert("programa".into(), dash(program));
    v.insert("notas".into(), dash(notes));
    v.insert("agente".into(), dash(agent));
    v.insert("fecha".into(), dash(when));
    v
}

/// Fills `{placeholder}`s of a template; an unknown one stays as written.
pub fn fill(template: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if values.contains_key(&after[..end]) => {
                out.push_str(&values[&after[..end]]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Checks a remission template: not empty, and every `{placeholder}` one of
/// [`TEMPLATE_PLACEHOLDERS`].
pub fn check_template(template: &str) -> Result<(), FieldError> {
    if template.trim().is_empty() {
        return Err(FieldError::new(
            Field::Template,
            "inbound.err_template_empty",
        ));
    }
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !TEMPLATE_PLACEHOLDERS.contains(&name) {
            return Err(FieldError::with(
                Field::Template,
                "inbound.err_template_placeholder",
                &[("name", &name)],
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// The program's sheet as the text of an "Enviar información" message: its rows, one a line.
pub fn sheet_text(program: &str, sheet: &ProgramSheet) -> String {
    let mut s = format!("{program}\n\n");
    for (label, value) in sheet.rows() {
        s.push_str(&format!("{label}: {value}\n"));
    }
    s
}

/// The WhatsApp link that opens a chat with `phone` (E.164) and a message typed in:
/// `https://wa.me/573001234567?text=…` (the text percent-encoded).
pub fn whatsapp_link(phone: &str, text: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let mut enc = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            enc.push(b as char);
        } else {
            enc.push_str(&format!("%{b:02X}"));
        }
    }
    format!("https://wa.me/{digits}?text={enc}")
}

/// The MIME type of a brochure by its file name, when it is a kind accepted.
pub fn brochure_mime(file_name: &str) -> Option<&'static str> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    BROCHURE_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, m)| *m)
}

/// Checks a brochure: its kind by name, its size.
pub fn check_brochure(file_name: &str, len: usize) -> Result<&'static str, FieldError> {
    let Some(mime) = brochure_mime(file_name) else {
        return Err(FieldError::new(Field::File, "program.err_brochure_kind"));
    };
    if len == 0 {
        return Err(FieldError::new(Field::File, "program.err_brochure_empty"));
    }
    if len > MAX_BROCHURE_BYTES {
        return Err(FieldError::with(
            Field::File,
            "program.err_brochure_big",
            &[
                ("size", &super::format::decimal(len as f64 / 1_048_576.0)),
                ("max", &(MAX_BROCHURE_BYTES / 1_048_576)),
            ],
        ));
    }
    Ok(mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> NewInbound {
        NewInbound {
            caller_name: "Ana Ruiz".into(),
            phone: Some("+573001234567".into()),
            asked_about: Some(AskedAbout::Programa),
            program_id: Some(1),
            result: Some(InboundResult::Informado),
            ..Default::default()
        }
    }

    fn fields(n: &NewInbound) -> Vec<Field> {
        n.validate().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_call_passes() {
        assert!(ok().validate().is_empty());
    }

    #[test]
    fn each_missing_thing_names_its_field() {
        let mut n = ok();
        n.caller_name = "  ".into();
        n.phone = Some("3001234567".into());
        n.email = "ana@".into();
        n.result = None;
        assert_eq!(
            fields(&n),
            [Field::Name, Field::Phone, Field::Email, Field::Result]
        );
        let mut n = ok();
        n.program_id = None;
        assert_eq!(fields(&n), [Field::Program]);
        let mut n = ok();
        n.asked_about = Some(AskedAbout::OtraDependencia);
        assert_eq!(fields(&n), [Field::Department]);
        let mut n = ok();
        n.phone = None;
        assert_eq!(fields(&n), [Field::Phone]);
        n.document = "1.088.123.456".into();
        assert!(n.validate().is_empty());
        n.document = "10 88/12".into();
        assert_eq!(fields(&n), [Field::Document]);
    }

    #[test]
    fn remitting_needs_the_authorisation() {
        let mut n = ok();
        n.result = Some(InboundResult::Remitido);
        assert_eq!(fields(&n), [Field::Authorization]);
        n.authorized = true;
        assert!(n.validate().is_empty());
    }

    #[test]
    fn e164_shape() {
        assert!(is_e164("+573001234567"));
        assert!(!is_e164("573001234567"));
        assert!(!is_e164("+57300abc4567"));
        assert!(!is_e164("+0573001234567"));
        assert!(!is_e164("+57"));
        assert_eq!(clean_document(" 1.088.123-456 "), "1088123456");
    }

    #[test]
    fn templates_fill_and_check() {
        let v = template_values(
            "Ana",
            Some("+573001234567"),
            "",
            "1088",
            "Psicología",
            "",
            "Laura",
            "30/11/2026",
        );
        assert_eq!(
            fill("{nombre} ({telefono}) {correo} {x} {", &v),
            "Ana (300 123 4567) — {x} {"
        );
        assert!(check_template("Hola {nombre}").is_ok());
        assert_eq!(
            check_template("Hola {apellido}")
                .expect_err("refused")
                .field,
            Field::Template
        );
        assert!(check_template("  ").is_err());
    }

    #[test]
    fn whatsapp_links_encode_the_text() {
        assert_eq!(
            whatsapp_link("+57 300 123 4567", "Hola, Ana: ¿sí?"),
            "https://wa.me/573001234567?text=Hola%2C%20Ana%3A%20%C2%BFs%C3%AD%3F"
        );
    }

    #[test]
    fn brochures_are_pdf_or_images_up_to_the_limit() {
        assert_eq!(check_brochure("Folleto.PDF", 10), Ok("application/pdf"));
        assert_eq!(check_brochure("a.jpg", 10), Ok("image/jpeg"));
        assert_eq!(
            check_brochure("a.docx", 10).expect_err("refused").key(),
            "program.err_brochure_kind"
        );
        assert_eq!(
            check_brochure("a.pdf", MAX_BROCHURE_BYTES + 1)
                .expect_err("refused")
                .key(),
            "program.err_brochure_big"
        );
        assert!(check_brochure("a.pdf", 0).is_err());
    }
}
