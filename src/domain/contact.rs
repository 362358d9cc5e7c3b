//! A campaign's contacts as the procedure sees them: what an import loads and reports, and
//! what the contacts table shows.

use std::collections::BTreeMap;

use crate::domain::procedure::code_enum;
use crate::i18n::t;

code_enum!(
    /// Why a row of a file is in the import report.
    IssueKind, "issue_kind", {
        /// Not loaded: no valid phone, malformed.
        Rechazada => "rechazada",
        /// Not loaded: same phone (or document) as an earlier row or an existing contact.
        Duplicada => "duplicada",
        /// Not loaded: the phone is in the opt-out register.
        Excluida => "excluida",
        /// Loaded, with a warning (an invalid e-mail left out, a cell cut…).
        Aviso => "aviso",
    }
);

code_enum!(
    /// Where a campaign contact stands.
    ContactStatus, "contact_status", {
        /// Not called yet, or to be called again.
        Pendiente => "pendiente",
        /// Claimed by an agent who is calling it now.
        EnGestion => "en_gestion",
        /// A callback is scheduled.
        Agendado => "agendado",
        /// Done: a final outcome, or no attempts left.
        Cerrado => "cerrado",
    }
);

/// What the user declared about a contact base (Ley 1581 de 2012).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataOrigin {
    /// Where the base comes from (e.g. "Inscritos al open house 2026").
    pub origin: String,
    /// Why the data are processed (finalidad).
    pub purpose: String,
    /// Evidence of the people's authorisation (a reference).
    pub authorization_ref: String,
    /// Evidence as a file: (name, bytes).
    pub authorization_file: Option<(String, Vec<u8>)>,
}

/// One contact ready to load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewContact {
    /// The row number the user sees.
    pub source_row: i64,
    /// Full name.
    pub name: String,
    /// The main phone, E.164 digits (573001234567).
    pub phone: u64,
    /// Other valid phones of the row.
    pub alt_phones: Vec<u64>,
    /// E-mail, when valid.
    pub email: Option<String>,
    /// Document number.
    pub document: Option<String>,
    /// Program of interest.
    pub program: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Every other column, by its header.
    pub extra: BTreeMap<String, String>,
}

/// A row an import did not load (or loaded with a warning).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    /// Row number the user sees.
    pub row: i64,
    /// Rejected, duplicate, excluded (opt-out) or loaded with a warning.
    pub kind: IssueKind,
    /// Why, in the user's language.
    pub reason: String,
    /// The row's original cells.
    pub original: Vec<String>,
}

/// Counts of a finished import.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    /// Non-blank data rows.
    pub rows_read: i64,
    /// Loaded.
    pub imported: i64,
    /// Same phone (or document) as an earlier row or an existing contact.
    pub duplicates: i64,
    /// No valid phone, or malformed.
    pub rejected: i64,
    /// In the opt-out register.
    pub opted_out: i64,
}

/// Filters for the contacts table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// Words of the name, digits of the phone, or the document.
    pub search: String,
    /// Only this agent's contacts (`Some(0)`: only unassigned ones).
    pub agent_id: Option<i64>,
    /// Only this status.
    pub status: Option<ContactStatus>,
    /// The order of the rows (file order by default).
    pub sort: ContactSort,
    /// Reverse the order (most attempts, latest call, last outcome of the catalog first).
    pub descending: bool,
}

/// The column the contacts table is sorted by. Contacts without a value (never called, or
/// closed: no next call) sort as the largest, ties in file order; descending is the exact
/// reverse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ContactSort {
    /// The order of the file (the default; pages by key).
    #[default]
    File,
    /// The last outcome, in the catalog's order (positive first).
    LastOutcome,
    /// Attempts so far.
    Attempts,
    /// When the contact may be called next.
    NextCall,
}

/// One line of the contacts table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ContactRow {
    /// Key (also the paging key).
    pub id: i64,
    /// Row of the file it came from.
    pub source_row: Option<i64>,
    /// Name.
    pub name: String,
    /// Main phone, E.164.
    pub phone: String,
    /// Other phones, E.164, comma-separated.
    pub alt_phones: String,
    /// E-mail.
    pub email: Option<String>,
    /// Document.
    pub document: Option<String>,
    /// Program.
    pub program: Option<String>,
    /// City.
    pub city: Option<String>,
    /// The agent's name, when assigned.
    pub agent: Option<String>,
    /// Where the contact stands.
    pub status: ContactStatus,
    /// Attempts so far.
    pub attempts: i64,
    /// The last outcome's name, once called.
    pub last_outcome: Option<String>,
    /// When it may be called next (UTC seconds); none when closed or never called.
    pub next_call_at: Option<i64>,
}
