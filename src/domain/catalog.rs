//! Catalogs: departments (dependencias), programs and services, call dispositions.

use crate::i18n::t;

/// A requesting department (dependencia).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Department {
    /// Key.
    pub id: i64,
    /// Name ("Facultad de Ingeniería").
    pub name: String,
    /// Inactive departments are kept for history but not offered in forms.
    pub active: bool,
    /// Its phone extension (a transferred inbound call shows it; empty: none recorded).
    pub extension: String,
}

/// Whether a catalog entry is an academic program or a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgramKind {
    /// An academic program (pregrado, posgrado, educación continua).
    Programa,
    /// A service of the institution's portfolio.
    Servicio,
}

impl ProgramKind {
    /// ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            ProgramKind::Programa => "programa",
            ProgramKind::Servicio => "servicio",
        }
    }
    /// Parses the ASCII code.
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "programa" => Some(Self::Programa),
            "servicio" => Some(Self::Servicio),
            _ => None,
        }
    }
    /// Name for the user.
    pub fn label(self) -> String {
        t(&format!("program.kind_{}", self.code()))
    }
}

/// An academic program or service people call about.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Program {
    /// Key.
    pub id: i64,
    /// Name ("Psicología").
    pub name: String,
    /// Program or service.
    pub kind: ProgramKind,
    /// The department responsible for follow-up.
    pub department_id: Option<i64>,
    /// Inactive entries are not offered in forms.
    pub active: bool,
    /// The responsible manager's name (a remitted lead goes to them).
    pub manager_name: String,
    /// The responsible manager's e-mail (empty: none yet; such a program cannot be remitted).
    pub manager_email: String,
    /// The sheet agents read while talking.
    pub sheet: super::inbound::ProgramSheet,
    /// The brochure (stored once, in `blobs`), when one was attached.
    pub brochure: Option<Brochure>,
}

/// A program's brochure file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Brochure {
    /// The stored file (`blobs.id`).
    pub blob_id: i64,
    /// Its file name.
    pub file_name: String,
    /// Its size in bytes.
    pub size: i64,
}

/// What the Catálogos form sets on a program or service besides its name: the manager, the
/// sheet. The brochure is attached on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgramDetails {
    /// The responsible manager's name.
    pub manager_name: String,
    /// The responsible manager's e-mail.
    pub manager_email: String,
    /// The sheet.
    pub sheet: super::inbound::ProgramSheet,
}

/// The longest text of a sheet's field.
pub const MAX_SHEET_FIELD: usize = 2000;

impl ProgramDetails {
    /// Checks the manager's e-mail (empty is allowed: filled later) and the lengths.
    pub fn validate(&self) -> Result<(), super::FieldError> {
        use super::{Field, FieldError};
        let email = self.manager_email.trim();
        if !email.is_empty() && !super::brief::is_email(email) {
            return Err(FieldError::new(
                Field::ContactEmail,
                "program.err_manager_email",
            ));
        }
        if self.manager_name.trim().chars().count() > 120 {
            return Err(FieldError::new(Field::ContactName, "catalog.err_name_long"));
        }
        let s = &self.sheet;
        for v in [
            &s.cost,
            &s.dates,
            &s.requirements,
            &s.scholarships,
            &s.modality,
            &s.snies,
        ] {
            if v.chars().count() > MAX_SHEET_FIELD {
                return Err(FieldError::new(Field::Form, "program.err_sheet_long"));
            }
        }
        Ok(())
    }
}

/// Checks a department's extension: digits (and `#`, `*`, `,`, spaces, `-`), at most 20.
pub fn check_extension(ext: &str) -> Result<String, super::FieldError> {
    let ext = ext.trim();
    if ext.chars().count() > 20
        || !ext
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '#' | '*' | ',' | ' ' | '-'))
    {
        return Err(super::FieldError::new(
            super::Field::Extension,
            "department.err_extension",
        ));
    }
    Ok(ext.to_owned())
}

/// The family a disposition belongs to (`UX.md`, "Default dispositions").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DispositionCategory {
    /// A positive result (interested, survey complete).
    Positivo,
    /// Spoke with the person, not interested.
    Negativo,
    /// Call back at an agreed time.
    Agendado,
    /// Did not reach the person.
    NoContactado,
    /// A third party took the message.
    Tercero,
    /// The number is wrong or out of service.
    NumeroInvalido,
    /// The person asked not to be contacted again.
    Exclusion,
}

impl DispositionCategory {
    /// ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Positivo => "positivo",
            Self::Negativo => "negativo",
            Self::Agendado => "agendado",
            Self::NoContactado => "no_contactado",
            Self::Tercero => "tercero",
            Self::NumeroInvalido => "numero_invalido",
            Self::Exclusion => "exclusion",
        }
    }
    /// Parses the ASCII code.
    pub fn from_code(s: &str) -> Option<Self> {
        [
            Self::Positivo,
            Self::Negativo,
            Self::Agendado,
            Self::NoContactado,
            Self::Tercero,
            Self::NumeroInvalido,
            Self::Exclusion,
        ]
        .into_iter()
        .find(|c| c.code() == s)
    }
    /// Name for the user.
    pub fn label(self) -> String {
        t(&format!("disposition.cat_{}", self.code()))
    }
}

/// A call outcome of the catalog.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Disposition {
    /// Key.
    pub id: i64,
    /// The digit the agent presses (`1`…`9`, `0`), if any.
    pub key: Option<char>,
    /// ASCII code (`interesado`, `no_contesta`, …).
    pub code: String,
    /// Name shown to the agent.
    pub name: String,
    /// Family.
    pub category: DispositionCategory,
    /// The agent spoke with the person.
    pub reached: bool,
    /// The contact leaves the queue.
    pub is_final: bool,
    /// Final for the phone only: the contact moves on to its next alternate phone.
    pub final_for_phone: bool,
    /// Whether campaigns may choose it.
    pub active: bool,
}

/// One row of the default catalog: (key, code, category, reached, final, final for the phone).
pub type DispositionSeed = (
    Option<char>,
    &'static str,
    DispositionCategory,
    bool,
    bool,
    bool,
);

/// The default catalog of `UX.md`.
pub const DEFAULT_DISPOSITIONS: [DispositionSeed; 12] = {
    use DispositionCategory::*;
    [
        (Some('1'), "interesado", Positivo, true, true, false),
        (Some('2'), "no_interesado", Negativo, true, true, false),
        (Some('3'), "volver_a_llamar", Agendado, true, false, false),
        (Some('4'), "no_contesta", NoContactado, false, false, false),
        (Some('5'), "buzon", NoContactado, false, false, false),
        (Some('6'), "ocupado", NoContactado, false, false, false),
        (Some('7'), "apagado", NoContactado, false, false, false),
        (Some('8'), "tercero", Tercero, false, false, false),
        (
            Some('9'),
            "numero_errado",
            NumeroInvalido,
            false,
            false,
            true,
        ),
        (Some('0'), "no_contactar", Exclusion, true, true, false),
        (
            None,
            "fuera_de_servicio",
            NumeroInvalido,
            false,
            false,
            true,
        ),
        (None, "encuesta_completa", Positivo, true, true, false),
    ]
};
