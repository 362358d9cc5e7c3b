//! The requesting department's view of its campaign while it runs: the contacts the agents
//! marked with a positive outcome (interested), with what the agent noted (issue 12).

/// A contact marked interested.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InterestedContact {
    /// The contact's id in the campaign.
    pub contact_id: i64,
    /// Full name as the file gave it.
    pub name: String,
    /// Main phone, E.164.
    pub phone: String,
    /// E-mail, when known.
    pub email: String,
    /// Program of interest.
    pub program: String,
    /// City.
    pub city: String,
    /// The positive outcome's name (Interesado, Encuesta completa…).
    pub outcome: String,
    /// When it was recorded, UTC seconds.
    pub at: i64,
    /// Who recorded it.
    pub agent: String,
    /// What the agent noted on that call.
    pub notes: String,
}

/// A campaign's interested contacts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Interested {
    /// The campaign.
    pub campaign_id: i64,
    /// Its name.
    pub campaign: String,
    /// Its status code.
    pub status: String,
    /// The contacts, latest first.
    pub contacts: Vec<InterestedContact>,
}
