//! The vocabulary of inbound calls (procedure 5.2) and of the outbox that hands messages over:
//! ASCII codes in the database and on the command line, words from the locale files.

use super::procedure::code_enum;
use crate::i18n::t;

code_enum!(
    /// How the person reached the contact center.
    Channel, "inbound_channel", {
        /// A phone call.
        Telefono => "telefono",
        /// WhatsApp.
        Whatsapp => "whatsapp",
        /// E-mail.
        Correo => "correo",
        /// In person.
        Presencial => "presencial",
        /// The web chat.
        Chat => "chat",
    }
);

code_enum!(
    /// What the caller asked about (`inbound_calls.kind`).
    AskedAbout, "inbound_asked", {
        /// An academic program.
        Programa => "programa",
        /// A service of the university.
        Servicio => "servicio",
        /// Something another department handles (the call is transferred).
        OtraDependencia => "otra_dependencia",
    }
);

code_enum!(
    /// How the call ended.
    InboundResult, "inbound_result", {
        /// The agent answered the question.
        Informado => "informado",
        /// The person's data was sent to the responsible manager.
        Remitido => "remitido",
        /// The call went to another department (its extension shown).
        Transferida => "transferida",
    }
);

code_enum!(
    /// Where a remitted lead stands; the professional keeps it up to date.
    Followup, "inbound_followup", {
        /// Sent, nothing heard yet.
        Pendiente => "pendiente",
        /// The manager contacted the person.
        ContactadoGestor => "contactado_gestor",
        /// The person enrolled.
        Inscrito => "inscrito",
        /// Not going anywhere.
        Descartado => "descartado",
    }
);

code_enum!(
    /// Where an outbox message stands.
    OutboxStatus, "outbox_status", {
        /// Waiting to be sent (or to be retried).
        Pendiente => "pendiente",
        /// Accepted by the mail server (or handed over another way).
        Enviado => "enviado",
        /// Given up after its retries; can be resent.
        Fallido => "fallido",
    }
);

code_enum!(
    /// What an outbox message is.
    OutboxKind, "outbox_kind", {
        /// A lead's data to the program's manager ("Remitir").
        Remision => "remision",
        /// A program's sheet and brochure to the person ("Enviar información").
        Informacion => "informacion",
        /// A weekly report to the head ("Enviar a jefatura").
        Consolidado => "consolidado",
        /// A campaign's results report to the requesting department and the head.
        Informe => "informe",
        /// Anything else.
        Otro => "otro",
    }
);

/// A program's sheet: what agents read while talking (all free text; empty when unknown).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ProgramSheet {
    /// Cost (e.g. "$ 4.500.000 por semestre").
    pub cost: String,
    /// Dates (enrolment, start).
    pub dates: String,
    /// Requirements.
    pub requirements: String,
    /// Scholarships and discounts.
    pub scholarships: String,
    /// Modality (presencial, virtual, híbrida).
    pub modality: String,
    /// SNIES code (the national registry of programs).
    pub snies: String,
}

impl ProgramSheet {
    /// The sheet's rows as (label, value), the empty ones left out.
    pub fn rows(&self) -> Vec<(String, &str)> {
        [
            ("program_sheet.cost", &self.cost),
            ("program_sheet.dates", &self.dates),
            ("program_sheet.requirements", &self.requirements),
            ("program_sheet.scholarships", &self.scholarships),
            ("program_sheet.modality", &self.modality),
            ("program_sheet.snies", &self.snies),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (t(k), v.as_str()))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_have_words() {
        crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            for c in Channel::ALL {
                assert_eq!(Channel::from_code(c.code()), Some(*c));
                assert!(!c.label().starts_with("inbound_channel."), "{c:?}");
            }
            for v in AskedAbout::ALL {
                assert!(!v.label().starts_with("inbound_asked."), "{v:?}");
            }
            for v in InboundResult::ALL {
                assert!(!v.label().starts_with("inbound_result."), "{v:?}");
            }
            for v in Followup::ALL {
                assert!(!v.label().starts_with("inbound_followup."), "{v:?}");
            }
            for v in OutboxStatus::ALL {
                assert!(!v.label().starts_with("outbox_status."), "{v:?}");
            }
            for v in OutboxKind::ALL {
                assert!(!v.label().starts_with("outbox_kind."), "{v:?}");
            }
            assert_eq!(Channel::Whatsapp.label(), "WhatsApp");
        });
    }

    #[test]
    fn a_sheet_shows_only_what_it_has() {
        let s = ProgramSheet {
            cost: "$ 4.500.000".into(),
            snies: "1234".into(),
            ..Default::default()
        };
        let rows: Vec<&str> = s.rows().into_iter().map(|(_, v)| v).collect();
        assert_eq!(rows, ["$ 4.500.000", "1234"]);
        let json = serde_json::to_string(&s).expect("json");
        assert_eq!(
            serde_json::from_str::<ProgramSheet>(&json).expect("back"),
            s
        );
        assert_eq!(
            serde_json::from_str::<ProgramSheet>("{}").expect("empty"),
            ProgramSheet::default()
        );
    }
}
