//! Plain types and rules of the procedure: no SQL, no egui, no I/O.

pub mod audit;
pub mod brief;
pub mod campaign;
pub mod catalog;
pub mod clock;
pub mod contact;
pub mod distribution;
pub mod format;
pub mod login;
pub mod perm;
pub mod procedure;
pub mod role;
pub mod script;
pub mod settings;
pub mod strategy;
pub mod text;
pub mod user;

pub use brief::{Brief, BriefForm};
pub use campaign::{Campaign, CampaignForm};
pub use catalog::{Department, Disposition, DispositionCategory, Program, ProgramKind};
pub use clock::{Clock, SystemClock, TestClock};
pub use perm::{Action, Actor};
pub use role::Role;
pub use settings::Settings;
pub use user::{NewUser, User};

/// A problem with one field of a form, shown in red under that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in the code (`login`, `password`, …).
    pub field: &'static str,
    /// The message for the user, already translated.
    pub message: String,
}

impl FieldError {
    /// A field error whose message is the locale text of `key`.
    pub fn new(field: &'static str, key: &str) -> Self {
        Self {
            field,
            message: crate::i18n::t(key),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
