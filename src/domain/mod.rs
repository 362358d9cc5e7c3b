//! Plain types and rules of the procedure: no SQL, no egui, no I/O.

pub mod archive;
pub mod audit;
pub mod brief;
pub mod calendar;
pub mod call;
pub mod callback;
pub mod campaign;
pub mod card;
pub mod catalog;
pub mod clock;
pub mod contact;
pub mod distribution;
pub mod enrolment;
pub mod format;
pub mod inbound;
pub mod inbound_call;
pub mod indicators;
pub mod interested;
pub mod login;
pub mod mail;
pub mod perm;
pub mod procedure;
pub mod process;
pub mod results;
pub mod role;
pub mod script;
pub mod settings;
pub mod strategy;
pub mod tally;
pub mod text;
pub mod user;
pub mod weekly;

pub use brief::{Brief, BriefForm};
pub use campaign::{Campaign, CampaignForm};
pub use catalog::{Department, Disposition, DispositionCategory, Program, ProgramKind};
pub use clock::{Clock, SystemClock, TestClock};
pub use perm::{Action, Actor};
pub use role::Role;
pub use settings::Settings;
pub use user::{NewUser, User};

/// A field of a form, as errors name it. Its [`code`](Field::code) is stable (the UI and tests
/// compare against it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The form as a whole (no one field): shown above or below the form.
    Form,
    /// `agents`
    Agents,
    /// `approach`
    Approach,
    /// `arguments`
    Arguments,
    /// `assigned_to`
    AssignedTo,
    /// `audience`
    Audience,
    /// `campaign_name`
    CampaignName,
    /// `call_windows`
    CallWindows,
    /// `comment`
    Comment,
    /// `contact_email`
    ContactEmail,
    /// `contact_name`
    ContactName,
    /// `current`
    Current,
    /// `database_fields`
    DatabaseFields,
    /// `department`
    Department,
    /// `dispositions`
    Dispositions,
    /// `end_date`
    EndDate,
    /// `expected_result`
    ExpectedResult,
    /// `file`
    File,
    /// `key_message`
    KeyMessage,
    /// `kind`
    Kind,
    /// `login`
    Login,
    /// `max_attempts`
    MaxAttempts,
    /// `min_hours_between`
    MinHoursBetween,
    /// `name`
    Name,
    /// `notice`
    Notice,
    /// `objective`
    Objective,
    /// `observations`
    Observations,
    /// `password`
    Password,
    /// `password2`
    Password2,
    /// `placeholders`
    Placeholders,
    /// `questions`
    Questions,
    /// `role`
    Role,
    /// `sections`
    Sections,
    /// `start_date`
    StartDate,
    /// `targets`
    Targets,
    /// `time_zone`
    TimeZone,
    /// `weights`
    Weights,
    /// `callback_date`
    CallbackDate,
    /// `callback_time`
    CallbackTime,
    /// `reason`
    Reason,
    /// `answers`
    Answers,
    /// `phone` (a contact's corrected phone)
    Phone,
    /// `email` (a contact's corrected e-mail)
    Email,
    /// `click_to_call`
    ClickToCall,
    /// `no_interest_reasons`
    NoInterestReasons,
    /// `smtp_host`
    SmtpHost,
    /// `smtp_port`
    SmtpPort,
    /// `smtp_from`
    SmtpFrom,
    /// `document` (an inbound caller's document)
    Document,
    /// `program` (the program or service an inbound caller asks about)
    Program,
    /// `result` (how an inbound call ended)
    Result,
    /// `authorization` (Ley 1581: the person authorised the processing of their data)
    Authorization,
    /// `template` (the remission e-mail's template)
    Template,
    /// `extension` (a department's phone extension)
    Extension,
    /// `finding` (what happened, in a non-conformity)
    Finding,
    /// `cause` (a non-conformity's cause)
    Cause,
    /// `corrective_action` (what is done about a non-conformity)
    CorrectiveAction,
    /// `responsible` (who answers for it)
    Responsible,
    /// `found_on` (the day a non-conformity was found)
    FoundOn,
    /// `closed_on` (the day it was closed)
    ClosedOn,
}

impl Field {
    /// Every field.
    pub const ALL: &[Field] = &[
        Field::Form,
        Field::Agents,
        Field::Approach,
        Field::Arguments,
        Field::AssignedTo,
        Field::Audience,
        Field::CampaignName,
        Field::CallWindows,
        Field::Comment,
        Field::ContactEmail,
        Field::ContactName,
        Field::Current,
        Field::DatabaseFields,
        Field::Department,
        Field::Dispositions,
        Field::EndDate,
        Field::ExpectedResult,
        Field::File,
        Field::KeyMessage,
        Field::Kind,
        Field::Login,
        Field::MaxAttempts,
        Field::MinHoursBetween,
        Field::Name,
        Field::Notice,
        Field::Objective,
        Field::Observations,
        Field::Password,
        Field::Password2,
        Field::Placeholders,
        Field::Questions,
        Field::Role,
        Field::Sections,
        Field::StartDate,
        Field::Targets,
        Field::TimeZone,
        Field::Weights,
        Field::CallbackDate,
        Field::CallbackTime,
        Field::Reason,
        Field::Answers,
        Field::Phone,
        Field::Email,
        Field::ClickToCall,
        Field::NoInterestReasons,
        Field::SmtpHost,
        Field::SmtpPort,
        Field::SmtpFrom,
        Field::Document,
        Field::Program,
        Field::Result,
        Field::Authorization,
        Field::Template,
        Field::Extension,
        Field::Finding,
        Field::Cause,
        Field::CorrectiveAction,
        Field::Responsible,
        Field::FoundOn,
        Field::ClosedOn,
    ];

    /// The field's stable name in the code (`login`, `password`, …; `""` for the whole form).
    pub fn code(self) -> &'static str {
        match self {
            Field::Form => "",
            Field::Agents => "agents",
            Field::Approach => "approach",
            Field::Arguments => "arguments",
            Field::AssignedTo => "assigned_to",
            Field::Audience => "audience",
            Field::CampaignName => "campaign_name",
            Field::CallWindows => "call_windows",
            Field::Comment => "comment",
            Field::ContactEmail => "contact_email",
            Field::ContactName => "contact_name",
            Field::Current => "current",
            Field::DatabaseFields => "database_fields",
            Field::Department => "department",
            Field::Dispositions => "dispositions",
            Field::EndDate => "end_date",
            Field::ExpectedResult => "expected_result",
            Field::File => "file",
            Field::KeyMessage => "key_message",
            Field::Kind => "kind",
            Field::Login => "login",
            Field::MaxAttempts => "max_attempts",
            Field::MinHoursBetween => "min_hours_between",
            Field::Name => "name",
            Field::Notice => "notice",
            Field::Objective => "objective",
            Field::Observations => "observations",
            Field::Password => "password",
            Field::Password2 => "password2",
            Field::Placeholders => "placeholders",
            Field::Questions => "questions",
            Field::Role => "role",
            Field::Sections => "sections",
            Field::StartDate => "start_date",
            Field::Targets => "targets",
            Field::TimeZone => "time_zone",
            Field::Weights => "weights",
            Field::CallbackDate => "callback_date",
            Field::CallbackTime => "callback_time",
            Field::Reason => "reason",
            Field::Answers => "answers",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::ClickToCall => "click_to_call",
            Field::NoInterestReasons => "no_interest_reasons",
            Field::SmtpHost => "smtp_host",
            Field::SmtpPort => "smtp_port",
            Field::SmtpFrom => "smtp_from",
            Field::Document => "document",
            Field::Program => "program",
            Field::Result => "result",
            Field::Authorization => "authorization",
            Field::Template => "template",
            Field::Extension => "extension",
            Field::Finding => "finding",
            Field::Cause => "cause",
            Field::CorrectiveAction => "corrective_action",
            Field::Responsible => "responsible",
            Field::FoundOn => "found_on",
            Field::ClosedOn => "closed_on",
        }
    }

    /// The field whose code is `code`.
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.code() == code)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl PartialEq<&str> for Field {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl PartialEq<str> for Field {
    fn eq(&self, other: &str) -> bool {
        self.code() == other
    }
}

/// A problem with one field of a form, shown in red under that field. It holds the locale key
/// and its arguments; the words are made when shown ([`FieldError::message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field.
    pub field: Field,
    /// The message: a locale key and its arguments, translated when shown.
    pub message: crate::i18n::Msg,
}

impl FieldError {
    /// A field error whose message is the locale text of `key`.
    pub fn new(field: Field, key: &'static str) -> Self {
        Self {
            field,
            message: crate::i18n::Msg::new(key),
        }
    }

    /// A field error whose message is the locale text of `key` with named arguments.
    pub fn with(
        field: Field,
        key: &'static str,
        args: &[(&'static str, &dyn std::fmt::Display)],
    ) -> Self {
        Self {
            field,
            message: crate::i18n::Msg::with(key, args),
        }
    }

    /// A field error with a ready message.
    pub fn of(field: Field, message: crate::i18n::Msg) -> Self {
        Self { field, message }
    }

    /// The locale key of the message.
    pub fn key(&self) -> &'static str {
        self.message.key
    }

    /// The message for the user, in the current language.
    pub fn message(&self) -> String {
        self.message.render()
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}
