//! The vocabulary of the outbound procedure: campaign kinds and statuses, brief statuses,
//! distribution modes. Later issues give them behaviour; the names are fixed here.

use crate::i18n::t;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal, { $($(#[$vm:meta])* $var:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $code)] $var),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// ASCII code used in the database and on the command line.
            pub fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
            /// Parses the ASCII code.
            pub fn from_code(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }
            /// Name for the user.
            pub fn label(self) -> String { t(&format!(concat!($prefix, ".{}"), self.code())) }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// What a campaign is about (procedure 4.3).
    CampaignKind, "campaign_kind", {
        /// Congresses.
        Congreso => "congreso",
        /// Events.
        Evento => "evento",
        /// Surveys.
        Encuesta => "encuesta",
        /// Enrolment information.
        Inscripciones => "inscripciones",
        /// Registrations.
        Matriculas => "matriculas",
        /// Re-admissions.
        Reingresos => "reingresos",
        /// Anything else.
        Otro => "otro",
    }
);

code_enum!(
    /// Where a campaign stands.
    CampaignStatus, "campaign_status", {
        /// Created, not started.
        Planificada => "planificada",
        /// Agents are calling.
        Activa => "activa",
        /// Stopped for now.
        Pausada => "pausada",
        /// Finished.
        Cerrada => "cerrada",
    }
);

code_enum!(
    /// Where a brief (record GF-MK-PR-01-01) stands.
    BriefStatus, "brief_status", {
        /// Being written.
        Borrador => "borrador",
        /// Sent to Marketing.
        Enviada => "enviada",
        /// Accepted; the head is writing the strategy.
        EnDefinicion => "en_definicion",
        /// The strategy is assigned to a professional.
        Asignada => "asignada",
        /// Its campaign is active or paused.
        EnEjecucion => "en_ejecucion",
        /// Its campaign is closed.
        Finalizada => "finalizada",
        /// The results report was delivered.
        InformeEntregado => "informe_entregado",
        /// Returned to the department with comments.
        Devuelta => "devuelta",
        /// Rejected, with a reason.
        Rechazada => "rechazada",
    }
);

code_enum!(
    /// How a campaign's contacts reach the agents.
    DistributionMode, "distribution_mode", {
        /// Each contact belongs to one agent (the procedure's distribution).
        Asignacion => "asignacion",
        /// Agents take the next contact from a common queue.
        ColaCompartida => "cola_compartida",
    }
);

impl Default for BriefStatus {
    /// A brief starts as a draft.
    fn default() -> Self {
        BriefStatus::Borrador
    }
}
