//! The brief (record GF-MK-PR-01-01, "Brief para campañas de telemercadeo"): its fields,
//! validation, the 8-day rule and the status a brief may move to.

use chrono::NaiveDate;

use super::perm::Actor;
use super::procedure::{BriefStatus, CampaignKind};
use super::role::Role;
use super::{Field, FieldError};

/// The procedure asks for the brief this many calendar days before the campaign starts.
pub const LEAD_DAYS: i64 = 8;

/// The fields a department fills. Dates are kept as typed (`DD/MM/AAAA` or `AAAA-MM-DD`) so a
/// draft never loses what the user wrote; [`BriefForm::validate_submit`] checks them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BriefForm {
    /// Requesting department.
    pub department_id: Option<i64>,
    /// Contact person in the department.
    pub contact_name: String,
    /// Contact e-mail.
    pub contact_email: String,
    /// Name of the campaign.
    pub campaign_name: String,
    /// Kind of campaign.
    pub kind: Option<CampaignKind>,
    /// What the campaign must achieve.
    pub objective: String,
    /// Who is to be called.
    pub audience: String,
    /// The key message and the facts agents must give.
    pub key_message: String,
    /// Desired start date.
    pub start_date: String,
    /// Desired end date.
    pub end_date: String,
    /// Expected result.
    pub expected_result: String,
    /// Fields the attached contact database brings (Nombre, Teléfono, Email, …).
    pub database_fields: String,
    /// Anything else.
    pub observations: String,
}

/// Every field of the form, in the order of the record: (code, locale key of its label).
pub const FIELDS: [(&str, &str); 13] = [
    ("department", "brief.f_department"),
    ("contact_name", "brief.f_contact_name"),
    ("contact_email", "brief.f_contact_email"),
    ("campaign_name", "brief.f_campaign_name"),
    ("kind", "brief.f_kind"),
    ("objective", "brief.f_objective"),
    ("audience", "brief.f_audience"),
    ("key_message", "brief.f_key_message"),
    ("start_date", "brief.f_start_date"),
    ("end_date", "brief.f_end_date"),
    ("expected_result", "brief.f_expected_result"),
    ("database_fields", "brief.f_database_fields"),
    ("observations", "brief.f_observations"),
];

/// Reads a date as Colombians write it (`29/11/2026`, `29-11-2026`) or in ISO (`2026-11-29`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// What is wrong with a typed date, for the field `field`; `None` when it is empty or a real
/// date. A date that has the shape of one but does not exist (`31/02/2026`) says so, with the
/// number of days of that month; anything else asks for the `DD/MM/AAAA` shape.
pub fn date_error(field: Field, text: &str) -> Option<FieldError> {
    let text = text.trim();
    if text.is_empty() || parse_date(text).is_some() {
        return None;
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let numbers: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
    if let Some(n) = numbers
        && n.len() == 3
    {
        // Day, month, year as Colombians write them; year first in the ISO shape.
        let (day, month, year) = if parts[0].len() == 4 {
            (n[2], n[1], n[0])
        } else {
            (n[0], n[1], n[2])
        };
        if (1000..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 {
            let days = days_in_month(year as i32, month);
            return Some(FieldError::with(
                field,
                "brief.err_date_missing",
                &[("date", &text), ("days", &days)],
            ));
        }
        if (1000..=9999).contains(&year) && !(1..=12).contains(&month) {
            return Some(FieldError::with(
                field,
                "brief.err_date_month",
                &[("date", &text), ("month", &month)],
            ));
        }
    }
    Some(FieldError::with(
        field,
        "brief.err_date",
        &[("date", &text)],
    ))
}

/// The days of a month (28 to 31).
fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(31)
}

/// A typed date as stored (`AAAA-MM-DD`), or `None` when it does not parse.
pub fn iso_date(s: &str) -> Option<String> {
    parse_date(s).map(|d| d.format("%Y-%m-%d").to_string())
}

/// `2026-11-29` → `29/11/2026`; anything else is returned as it is.
pub fn display_date(s: &str) -> String {
    parse_date(s).map_or_else(|| s.to_owned(), |d| super::format::date(&d))
}

/// A plausible e-mail address: one `@`, a dot in the domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && !domain.contains('@')
                && !s.contains(char::is_whitespace)
                && domain.split('.').filter(|p| !p.is_empty()).count() >= 2
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

/// Calendar days a brief submitted on `submitted` is short of the 8 days before `start`
/// (0 when on time).
pub fn days_short(submitted: NaiveDate, start: NaiveDate) -> i64 {
    (LEAD_DAYS - (start - submitted).num_days()).max(0)
}

impl BriefForm {
    /// The start date, when it parses.
    pub fn start(&self) -> Option<NaiveDate> {
        parse_date(&self.start_date)
    }

    /// The end date, when it parses.
    pub fn end(&self) -> Option<NaiveDate> {
        parse_date(&self.end_date)
    }

    /// The fields that differ from `before` (to re-check their errors after an edit).
    pub fn changed_fields(&self, before: &BriefForm) -> Vec<Field> {
        let b = before;
        [
            (Field::Department, self.department_id != b.department_id),
            (Field::ContactName, self.contact_name != b.contact_name),
            (Field::ContactEmail, self.contact_email != b.contact_email),
            (Field::CampaignName, self.campaign_name != b.campaign_name),
            (Field::Kind, self.kind != b.kind),
            (Field::Objective, self.objective != b.objective),
            (Field::Audience, self.audience != b.audience),
            (Field::KeyMessage, self.key_message != b.key_message),
            (Field::StartDate, self.start_date != b.start_date),
            (Field::EndDate, self.end_date != b.end_date),
            (
                Field::ExpectedResult,
                self.expected_result != b.expected_result,
            ),
            (
                Field::DatabaseFields,
                self.database_fields != b.database_fields,
            ),
            (Field::Observations, self.observations != b.observations),
        ]
        .into_iter()
        .filter_map(|(f, changed)| changed.then_some(f))
        .collect()
    }

    /// What a draft needs: the department, and dates that parse if given.
    pub fn validate_draft(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        if self.department_id.is_none() {
            errs.push(FieldError::new(Field::Department, "brief.err_department"));
        }
        for (field, text) in [
            (Field::StartDate, &self.start_date),
            (Field::EndDate, &self.end_date),
        ] {
            errs.extend(date_error(field, text));
        }
        errs
    }

    /// What a submitted brief needs; `today` is the local date.
    pub fn validate_submit(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errs = self.validate_draft();
        let required = [
            (Field::ContactName, &self.contact_name),
            (Field::CampaignName, &self.campaign_name),
            (Field::Objective, &self.objective),
            (Field::Audience, &self.audience),
            (Field::KeyMessage, &self.key_message),
            (Field::ExpectedResult, &self.expected_result),
        ];
        for (field, text) in required {
            if text.trim().is_empty() {
                errs.push(FieldError::new(field, "brief.err_required"));
            }
        }
        if self.contact_email.trim().is_empty() {
            errs.push(FieldError::new(Field::ContactEmail, "brief.err_required"));
        } else if !is_email(&self.contact_email) {
            errs.push(FieldError::new(Field::ContactEmail, "brief.err_email"));
        }
        if self.kind.is_none() {
            errs.push(FieldError::new(Field::Kind, "brief.err_kind"));
        }
        if self.start_date.trim().is_empty() {
            errs.push(FieldError::new(Field::StartDate, "brief.err_required"));
        }
        if self.end_date.trim().is_empty() {
            errs.push(FieldError::new(Field::EndDate, "brief.err_required"));
        }
        if let Some(start) = self.start()
            && start < today
        {
            errs.push(FieldError::new(Field::StartDate, "brief.err_start_past"));
        }
        if let (Some(start), Some(end)) = (self.start(), self.end())
            && end < start
        {
            errs.push(FieldError::new(
                Field::EndDate,
                "brief.err_end_before_start",
            ));
        }
        errs
    }

    /// The value of a field as text (for the PDF, the XLSX template and history).
    pub fn field_text(&self, code: &str, department: &str) -> String {
        match code {
            "department" => department.to_owned(),
            "contact_name" => self.contact_name.clone(),
            "contact_email" => self.contact_email.clone(),
            "campaign_name" => self.campaign_name.clone(),
            "kind" => self.kind.map(CampaignKind::label).unwrap_or_default(),
            "objective" => self.objective.clone(),
            "audience" => self.audience.clone(),
            "key_message" => self.key_message.clone(),
            "start_date" => display_date(&self.start_date),
            "end_date" => display_date(&self.end_date),
            "expected_result" => self.expected_result.clone(),
            "database_fields" => self.database_fields.clone(),
            "observations" => self.observations.clone(),
            _ => String::new(),
        }
    }
}

/// A brief as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Brief {
    /// Key.
    pub id: i64,
    /// The fields.
    pub form: BriefForm,
    /// The department's name.
    pub department: String,
    /// Where it stands.
    pub status: BriefStatus,
    /// Days short of the 8-day rule when submitted (the *extemporánea* flag when > 0).
    pub late_days: Option<i64>,
    /// When it was (last) submitted, UTC seconds.
    pub submitted_at: Option<i64>,
    /// The head's comment when returning or rejecting it.
    pub decision_comment: Option<String>,
    /// `gui`, `cli` or `xlsx`.
    pub source: String,
    /// Who created it (a login, `cli:…`).
    pub created_by: String,
    /// When it was created, UTC seconds.
    pub created_at: i64,
    /// Last change, UTC seconds.
    pub updated_at: i64,
}

impl Brief {
    /// Submitted less than 8 days before its start.
    pub fn is_late(&self) -> bool {
        self.late_days.is_some_and(|d| d > 0)
    }
}

/// One change of a brief's status.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BriefEvent {
    /// When, UTC seconds.
    pub at: i64,
    /// Who (a login or `cli:…`, as recorded; shown with [`crate::domain::audit::who`]).
    pub actor: String,
    /// The name of the user whose login `actor` is (joined by the store), if one is.
    pub actor_name: Option<String>,
    /// From which status (none when created).
    pub from: Option<BriefStatus>,
    /// To which status.
    pub to: BriefStatus,
    /// The comment given.
    pub comment: String,
}

/// A file attached to a brief (the contact database).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BriefFile {
    /// Key.
    pub id: i64,
    /// The file's name as uploaded.
    pub file_name: String,
    /// Bytes.
    pub size: i64,
    /// When, UTC seconds.
    pub uploaded_at: i64,
}

impl BriefStatus {
    /// The department may still edit it.
    pub fn editable(self) -> bool {
        matches!(self, BriefStatus::Borrador | BriefStatus::Devuelta)
    }

    /// The head may accept, return or reject it.
    pub fn awaiting_decision(self) -> bool {
        matches!(self, BriefStatus::Enviada)
    }

    /// The head may still return or reject it while writing the strategy.
    pub fn can_return(self) -> bool {
        matches!(self, BriefStatus::Enviada | BriefStatus::EnDefinicion)
    }
}

/// Filters for the list of briefs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BriefFilter {
    /// Only this status.
    pub status: Option<BriefStatus>,
    /// Only this department.
    pub department_id: Option<i64>,
    /// Only this kind.
    pub kind: Option<CampaignKind>,
    /// Only late (extemporánea) briefs.
    pub late_only: bool,
    /// Words in the campaign name, department or contact.
    pub search: String,
}

impl BriefFilter {
    /// Whether a brief passes the filter.
    pub fn matches(&self, b: &Brief) -> bool {
        let q = crate::domain::text::fold(&self.search);
        self.status.is_none_or(|s| s == b.status)
            && self
                .department_id
                .is_none_or(|d| Some(d) == b.form.department_id)
            && self.kind.is_none_or(|k| Some(k) == b.form.kind)
            && (!self.late_only || b.is_late())
            && (q.is_empty()
                || [&b.form.campaign_name, &b.department, &b.form.contact_name]
                    .iter()
                    .any(|s| crate::domain::text::fold(s).contains(&q)))
    }
}

/// Whether the actor may see a brief of `department_id` in `status` created by `created_by`.
pub fn may_see(
    actor: &Actor,
    department_id: i64,
    status: BriefStatus,
    created_by: Option<i64>,
) -> bool {
    match actor {
        Actor::Cli { .. } => true,
        Actor::User {
            id,
            role,
            department_id: own,
            ..
        } => match role {
            Role::Solicitante => *own == Some(department_id),
            Role::Jefe | Role::Profesional => {
                status != BriefStatus::Borrador || created_by == Some(*id)
            }
            Role::Auxiliar => false,
        },
    }
}

/// Whether the actor may change a brief: its department's users, or whoever filed it (the
/// professional on a department's behalf). The head does not edit a department's brief.
pub fn may_edit(actor: &Actor, b: &Brief) -> bool {
    match actor {
        Actor::Cli { .. } => true,
        Actor::User {
            role: Role::Solicitante,
            ..
        } => true, // `load` already checked the department
        Actor::User { login, .. } => &b.created_by == login,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: i64, role: Role, department_id: Option<i64>) -> Actor {
        Actor::User {
            id,
            login: format!("u{id}"),
            role,
            department_id,
        }
    }

    #[test]
    fn who_sees_and_edits_a_brief() {
        let sol = user(1, Role::Solicitante, Some(7));
        let head = user(2, Role::Jefe, None);
        let prof = user(3, Role::Profesional, None);
        let agent = user(4, Role::Auxiliar, None);
        // A department's own briefs, drafts included; never another department's.
        assert!(may_see(&sol, 7, BriefStatus::Borrador, Some(1)));
        assert!(!may_see(&sol, 8, BriefStatus::Enviada, Some(9)));
        // Marketing sees submitted briefs, and drafts only when they filed them.
        assert!(!may_see(&head, 7, BriefStatus::Borrador, Some(1)));
        assert!(may_see(&head, 7, BriefStatus::Enviada, Some(1)));
        assert!(may_see(&prof, 7, BriefStatus::Borrador, Some(3)));
        assert!(!may_see(&agent, 7, BriefStatus::Enviada, Some(1)));
        assert!(may_see(&Actor::cli(), 7, BriefStatus::Borrador, None));
        // Only whoever filed it (or its department) edits it.
        let b = Brief {
            created_by: "u3".into(),
            ..Default::default()
        };
        assert!(may_edit(&prof, &b));
        assert!(!may_edit(&head, &b));
        assert!(may_edit(&sol, &b));
    }

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("date")
    }

    #[test]
    fn dates_as_written_in_colombia() {
        assert_eq!(
            parse_date("29/11/2026"),
            NaiveDate::from_ymd_opt(2026, 11, 29)
        );
        assert_eq!(
            parse_date("2026-11-29"),
            NaiveDate::from_ymd_opt(2026, 11, 29)
        );
        assert_eq!(
            parse_date(" 1-2-2027 "),
            NaiveDate::from_ymd_opt(2027, 2, 1)
        );
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(display_date("2026-12-07"), "07/12/2026");
    }

    #[test]
    fn eight_calendar_days() {
        assert_eq!(days_short(d("29/11/2026"), d("07/12/2026")), 0);
        assert_eq!(days_short(d("29/11/2026"), d("06/12/2026")), 1);
        assert_eq!(days_short(d("29/11/2026"), d("30/11/2026")), 7);
        assert_eq!(days_short(d("29/11/2026"), d("29/11/2026")), 8);
    }

    #[test]
    fn emails() {
        assert!(is_email("ana.perez@universidad.edu.co"));
        assert!(!is_email("ana.perez@universidad"));
        assert!(!is_email("ana perez@u.co"));
        assert!(!is_email("patriciaquintero@yahoo.com."));
        assert!(!is_email("@u.co"));
    }

    #[test]
    fn submit_needs_every_required_field() {
        let today = d("29/11/2026");
        let errs = BriefForm::default().validate_submit(today);
        let fields: Vec<_> = errs.iter().map(|e| e.field.code()).collect();
        for f in [
            "department",
            "contact_name",
            "contact_email",
            "campaign_name",
            "kind",
            "objective",
            "audience",
            "key_message",
            "start_date",
            "end_date",
            "expected_result",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let ok = BriefForm {
            department_id: Some(1),
            contact_name: "Sandra".into(),
            contact_email: "s@u.edu.co".into(),
            campaign_name: "Inscripciones 2027-1".into(),
            kind: Some(CampaignKind::Inscripciones),
            objective: "o".into(),
            audience: "a".into(),
            key_message: "k".into(),
            start_date: "01/12/2026".into(),
            end_date: "20/12/2026".into(),
            expected_result: "e".into(),
            ..Default::default()
        };
        assert!(ok.validate_submit(today).is_empty());
        let backwards = BriefForm {
            end_date: "30/11/2026".into(),
            ..ok.clone()
        };
        assert_eq!(backwards.validate_submit(today)[0].field, "end_date");
        let past = BriefForm {
            start_date: "28/11/2026".into(),
            ..ok
        };
        assert_eq!(past.validate_submit(today)[0].field, "start_date");
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;
    use crate::i18n::{Lang, with_lang};

    #[test]
    fn a_date_that_does_not_exist_says_so() {
        assert!(date_error(Field::StartDate, "").is_none());
        assert!(
            date_error(Field::StartDate, "29/02/2028").is_none(),
            "leap year"
        );
        let e = date_error(Field::StartDate, "31/02/2026").expect("error");
        assert_eq!(e.key(), "brief.err_date_missing");
        assert_eq!(
            with_lang(Lang::Es, || e.message.render_in(Lang::Es)),
            "La fecha 31/02/2026 no existe: ese mes tiene 28 días."
        );
        assert_eq!(
            date_error(Field::EndDate, "2026-04-31").map(|e| e.key()),
            Some("brief.err_date_missing")
        );
        assert_eq!(
            date_error(Field::EndDate, "15/13/2026").map(|e| e.key()),
            Some("brief.err_date_month")
        );
        let e = date_error(Field::EndDate, "mañana").expect("error");
        assert_eq!(e.key(), "brief.err_date");
        assert!(e.message.render_in(Lang::Es).contains("«mañana»"));
    }

    #[test]
    fn targets_out_of_range_are_all_named_with_their_value() {
        use crate::domain::strategy::StrategyForm;
        let mut f = StrategyForm {
            approach: "Llamar primero a los interesados".into(),
            ..Default::default()
        };
        f.targets.insert("barrido".into(), 150.0);
        f.targets.insert("efectividad".into(), -2.5);
        let errors = with_lang(Lang::Es, || f.validate(false));
        let texts: Vec<String> = errors
            .iter()
            .map(|e| e.message.render_in(Lang::Es))
            .collect();
        assert_eq!(
            texts,
            [
                "Barrido: 150 % no puede pasar de 100 %.",
                "Efectividad: -2,5 no puede ser negativo."
            ]
        );
    }
}
