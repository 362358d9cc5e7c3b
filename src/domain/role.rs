//! The four roles of the procedure (GF-MK-PR-01, section 3).

use crate::i18n::t;

/// Who a user is in the procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Jefe(a) de marketing: defines strategies, manages users.
    Jefe,
    /// Profesional de marketing: runs campaigns, registers inbound calls, consolidates.
    Profesional,
    /// Auxiliar de call center: places and answers calls.
    Auxiliar,
    /// A user of a requesting department (cliente interno).
    Solicitante,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 4] = [
        Role::Jefe,
        Role::Profesional,
        Role::Auxiliar,
        Role::Solicitante,
    ];

    /// The ASCII code used in the database and on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Jefe => "jefe",
            Role::Profesional => "profesional",
            Role::Auxiliar => "auxiliar",
            Role::Solicitante => "solicitante",
        }
    }

    /// Parses the ASCII code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The role's name for the user ("Jefe de marketing", …).
    pub fn label(self) -> String {
        t(&format!("role.{}", self.code()))
    }

    /// Whether users of this role belong to a department (required for solicitantes).
    pub fn needs_department(self) -> bool {
        matches!(self, Role::Solicitante)
    }
}
