//! The campaign results report (procedure step 4, issue 12 "Informe de resultados"): the data
//! it shows, read whole for one campaign, and its record — the narrative (conclusions and
//! recommendations), the due date, draft or final, how and to whom it was delivered, and the
//! requesting department's satisfaction.
//!
//! The due date: the campaign's end plus a number of business days (Monday to Friday, not a
//! public holiday) that grows with the campaign's size — 3 up to 1.000 contacts, 5 up to
//! 10.000, 8 above — so that a large base, with more notes to read and more figures to check,
//! gets more time. The professional may change it.

use chrono::{Datelike, NaiveDate, Weekday};

use super::calendar::HolidayEdits;
use super::indicators::Indicators;
use super::procedure::CampaignStatus;
use super::weekly::Delivery;
use super::{Field, FieldError};

/// `archived_records.kind` of a results report (generated or delivered).
pub const RECORD_KIND: &str = "informe_resultados";
/// The procedure's record code of the results report. PROCEDURE.md section 7 lists four
/// records and codes only the first (the brief, `GF-MK-PR-01-01`); the results report belongs
/// to the second, "Campañas Contact Center", so it takes the next number of the same series.
pub const RECORD_CODE: &str = "GF-MK-PR-01-02";
/// The record's version.
pub const RECORD_VERSION: &str = "1";
/// The longest narrative kept (characters).
pub const MAX_NARRATIVE: usize = 20_000;
/// The longest satisfaction comment (characters).
pub const MAX_COMMENT: usize = 2_000;
/// The MIME type of the PDF.
pub const PDF_MIME: &str = "application/pdf";
/// The MIME type of the CSV.
pub const CSV_MIME: &str = "text/csv";

/// Business days after the campaign's end allowed to deliver the report of `contacts`.
pub fn business_days_for(contacts: i64) -> u32 {
    match contacts {
        ..=1_000 => 3,
        1_001..=10_000 => 5,
        _ => 8,
    }
}

/// Whether `d` is a business day: Monday to Friday and not a public holiday.
pub fn is_business_day(d: NaiveDate, holidays: &HolidayEdits) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && holidays.on(d).is_none()
}

/// `days` business days after `from`.
pub fn add_business_days(from: NaiveDate, days: u32, holidays: &HolidayEdits) -> NaiveDate {
    let mut d = from;
    let mut left = days;
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if is_business_day(d, holidays) {
            left -= 1;
        }
    }
    d
}

/// The default due date: the campaign's end plus [`business_days_for`] its size.
pub fn default_due_date(end: NaiveDate, contacts: i64, holidays: &HolidayEdits) -> NaiveDate {
    add_business_days(end, business_days_for(contacts), holidays)
}

/// Where a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportStatus {
    /// The campaign has not closed: the figures still change.
    Borrador,
    /// The campaign closed: the figures are final.
    Final,
    /// Delivered to the requesting department.
    Entregado,
}

impl ReportStatus {
    /// The status of a campaign's report.
    pub fn of(campaign: CampaignStatus, delivered: bool) -> Self {
        match (delivered, campaign) {
            (true, _) => Self::Entregado,
            (false, CampaignStatus::Cerrada) => Self::Final,
            _ => Self::Borrador,
        }
    }
    /// ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Borrador => "borrador",
            Self::Final => "final",
            Self::Entregado => "entregado",
        }
    }
    /// Name for the user.
    pub fn label(self) -> String {
        crate::i18n::t(&format!("results.status_{}", self.code()))
    }
}

/// Days late: how many days after `due` the report was delivered (`on`: the delivery day, or
/// today while undelivered); 0 when on time.
pub fn days_late(due: NaiveDate, on: NaiveDate) -> i64 {
    (on - due).num_days().max(0)
}

/// How a report was delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    /// By e-mail (through the outbox) or by hand.
    pub how: Delivery,
    /// When (UTC seconds).
    pub at: i64,
    /// Who delivered it (login, or `cli:<user>`).
    pub by: String,
    /// Their name (the login when unknown).
    pub by_name: String,
    /// To whom: the addresses, or the name of who received it.
    pub to: String,
    /// The file delivered (`archived_records.id`).
    pub record_id: Option<i64>,
}

/// The requesting department's satisfaction with the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Satisfaction {
    /// 1 (very unsatisfied) to 5 (very satisfied).
    pub score: i64,
    /// What they said.
    pub comment: String,
    /// Who recorded it.
    pub by: String,
    /// Their name (the login when unknown).
    pub by_name: String,
    /// When (UTC seconds).
    pub at: i64,
}

/// Checks a satisfaction before it is recorded.
pub fn check_satisfaction(score: i64, comment: &str) -> Result<(), FieldError> {
    if !(1..=5).contains(&score) {
        return Err(FieldError::new(Field::Form, "results.err_score"));
    }
    if comment.chars().count() > MAX_COMMENT {
        return Err(FieldError::new(Field::Comment, "results.err_comment_long"));
    }
    Ok(())
}

/// Checks a narrative before it is saved.
pub fn check_narrative(text: &str) -> Result<(), FieldError> {
    if text.chars().count() > MAX_NARRATIVE {
        return Err(FieldError::new(
            Field::Comment,
            "results.err_narrative_long",
        ));
    }
    Ok(())
}

/// A campaign's report record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRecord {
    /// The campaign.
    pub campaign_id: i64,
    /// Conclusions and recommendations.
    pub narrative: String,
    /// The due date (the default until someone sets one).
    pub due_date: Option<NaiveDate>,
    /// Whether the due date was set by hand.
    pub due_date_set: bool,
    /// Draft, final or delivered.
    pub status: ReportStatus,
    /// Its delivery, once delivered.
    pub delivered: Option<Delivered>,
    /// The department's satisfaction, once recorded.
    pub satisfaction: Option<Satisfaction>,
    /// Last change of the narrative or due date (UTC seconds; 0 never).
    pub updated_at: i64,
    /// Who changed it last.
    pub updated_by: String,
}

impl ReportRecord {
    /// Days late as of `today` (or of the delivery day once delivered).
    pub fn days_late(&self, today: NaiveDate, settings: &super::Settings) -> i64 {
        let Some(due) = self.due_date else { return 0 };
        let on = self
            .delivered
            .as_ref()
            .map_or(today, |d| super::format::local(d.at, settings).date_naive());
        days_late(due, on)
    }
}

/// One line of the list of campaigns with their report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportSummary {
    /// The campaign.
    pub campaign_id: i64,
    /// Its name.
    pub campaign: String,
    /// The requesting department.
    pub department: String,
    /// The campaign's status.
    pub campaign_status: CampaignStatus,
    /// The report's record.
    pub record: ReportRecord,
}

/// One disposition's figures: records by their best outcome, attempts by their outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DispositionRow {
    /// Its code (`interesado`, …).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its category (label).
    pub category: String,
    /// Records whose best outcome it is.
    pub records: i64,
    /// Attempts that ended with it.
    pub attempts: i64,
}

/// One day's attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayRow {
    /// The local day.
    pub day: NaiveDate,
    /// Attempts.
    pub attempts: i64,
    /// Attempts that reached the person.
    pub reached: i64,
}

/// One agent's figures in the campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentRow {
    /// Login.
    pub login: String,
    /// Name.
    pub name: String,
    /// Marcaciones.
    pub attempts: i64,
    /// Records reached by this agent.
    pub contacts: i64,
    /// Records with a positive outcome by this agent.
    pub positives: i64,
    /// Seconds talked.
    pub talk_secs: i64,
    /// Distinct clock hours with at least one attempt (for marcaciones por hora).
    pub hours: i64,
}

impl AgentRow {
    /// Marcaciones por hora: attempts ÷ hours with attempts.
    pub fn per_hour(&self) -> Option<f64> {
        (self.hours > 0).then(|| self.attempts as f64 / self.hours as f64)
    }
    /// TMO: talk seconds ÷ attempts.
    pub fn tmo_secs(&self) -> Option<f64> {
        (self.attempts > 0).then(|| self.talk_secs as f64 / self.attempts as f64)
    }
}

/// A contact with its best outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRow {
    /// The contact's id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Phone (E.164).
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Document.
    pub document: String,
    /// Program.
    pub program: String,
    /// City.
    pub city: String,
    /// Best outcome's name (empty: never attempted).
    pub best: String,
    /// Attempts.
    pub attempts: i64,
    /// Last attempt (UTC seconds).
    pub last_attempt_at: Option<i64>,
    /// The agent of its last attempt (or the one it is assigned to).
    pub agent: String,
    /// The notes of its attempts, oldest first, joined with " | ".
    pub notes: String,
}

/// One survey answer and how many gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyRow {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
    /// How many attempts recorded it.
    pub count: i64,
}

/// Every figure of a campaign's report, read in one snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsData {
    /// The campaign's id.
    pub campaign_id: i64,
    /// Its name.
    pub campaign: String,
    /// The requesting department.
    pub department: String,
    /// Its status.
    pub campaign_status: CampaignStatus,
    /// Start and end dates (as shown).
    pub start: String,
    /// End date (as shown).
    pub end: String,
    /// The indicators (whole campaign).
    pub indicators: Indicators,
    /// Records whose best outcome is a third party (shown apart, never as reached).
    pub terceros: i64,
    /// Per disposition.
    pub dispositions: Vec<DispositionRow>,
    /// Coded reasons of "No interesado" (label, attempts).
    pub reasons: Vec<(String, i64)>,
    /// Per day.
    pub days: Vec<DayRow>,
    /// Heatmap: `[band][weekday Monday = 0]` → (attempts, reached attempts).
    pub heatmap: [[(i64, i64); 7]; 3],
    /// Attempts outside every band.
    pub outside_bands: i64,
    /// Per agent.
    pub agents: Vec<AgentRow>,
    /// Every contact.
    pub contacts: Vec<ContactRow>,
    /// Survey answers.
    pub survey: Vec<SurveyRow>,
    /// The report's record.
    pub record: ReportRecord,
    /// When it was read (UTC seconds).
    pub generated_at: i64,
}

impl ResultsData {
    /// "Contactabilidad por franja" of a heatmap cell: reached attempts ÷ attempts.
    pub fn band_rate(&self, band: usize, weekday: usize) -> Option<f64> {
        let (n, r) = self.heatmap[band][weekday];
        (n > 0).then(|| r as f64 / n as f64)
    }
    /// A file name for the report: `informe_resultados_12.xlsx`.
    pub fn file_name(&self, ext: &str) -> String {
        format!("{RECORD_KIND}_{}.{ext}", self.campaign_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn the_due_date_counts_business_days_by_size() {
        let h = HolidayEdits::default();
        // Friday 4 Dec 2026 + 3 business days = Wednesday 9 Dec (8 Dec is a holiday in
        // Colombia: Inmaculada Concepción) → Thursday 10.
        assert_eq!(default_due_date(d(2026, 12, 4), 500, &h), d(2026, 12, 10));
        assert_eq!(business_days_for(1_000), 3);
        assert_eq!(business_days_for(1_001), 5);
        assert_eq!(business_days_for(50_000), 8);
        // Monday + 5 business days, no holiday: the next Monday.
        assert_eq!(add_business_days(d(2026, 11, 16), 5, &h), d(2026, 11, 23));
    }

    #[test]
    fn status_and_lateness() {
        assert_eq!(
            ReportStatus::of(CampaignStatus::Activa, false),
            ReportStatus::Borrador
        );
        assert_eq!(
            ReportStatus::of(CampaignStatus::Cerrada, false),
            ReportStatus::Final
        );
        assert_eq!(
            ReportStatus::of(CampaignStatus::Cerrada, true),
            ReportStatus::Entregado
        );
        assert_eq!(days_late(d(2026, 12, 10), d(2026, 12, 9)), 0);
        assert_eq!(days_late(d(2026, 12, 10), d(2026, 12, 13)), 3);
        assert!(check_satisfaction(0, "").is_err());
        assert!(check_satisfaction(6, "").is_err());
        assert!(check_satisfaction(5, "Muy útil").is_ok());
    }
}
