//! Real enrolments: the list of applicants or enrolled students the academic system exports,
//! matched to the campaigns' contacts to give the real conversion beside the interest the
//! agents recorded (issue 12).
//!
//! A row of that list is matched to a person by **document**, then **phone**, then **e-mail**
//! (the first that finds someone wins). A campaign's contact counts as converted when its person
//! has an enrolment dated on or after the campaign's start (or undated: the academic system does
//! not always export the date).

use chrono::NaiveDate;

/// How far the person got in the academic process. Ordered: a later stage outranks an earlier
/// one when a person appears several times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Filled in the application form (inscrito).
    Inscrito,
    /// Admitted.
    Admitido,
    /// Enrolled and paid (matriculado).
    Matriculado,
}

impl Stage {
    /// Every stage, earliest first.
    pub const ALL: [Stage; 3] = [Stage::Inscrito, Stage::Admitido, Stage::Matriculado];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Inscrito => "inscrito",
            Stage::Admitido => "admitido",
            Stage::Matriculado => "matriculado",
        }
    }

    /// The stage of a stored code.
    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Reads a cell of the academic system's state column ("Matriculado", "INSCRITA",
    /// "Admitido - pendiente de pago", "Pagó matrícula"); `None` when it says none of them.
    pub fn from_cell(cell: &str) -> Option<Stage> {
        let f = super::text::fold(cell);
        if f.contains("matricul") {
            Some(Stage::Matriculado)
        } else if f.contains("admitid") {
            Some(Stage::Admitido)
        } else if f.contains("inscrit") || f.contains("aspirante") {
            Some(Stage::Inscrito)
        } else {
            None
        }
    }

    /// Its name for people (locale key `enrolment.stage_<code>`).
    pub fn label(self) -> String {
        crate::i18n::t(&format!("enrolment.stage_{}", self.code()))
    }
}

/// How an enrolment found its person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The identity document.
    Documento,
    /// A phone number.
    Telefono,
    /// The e-mail address.
    Correo,
}

impl MatchedBy {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            MatchedBy::Documento => "documento",
            MatchedBy::Telefono => "telefono",
            MatchedBy::Correo => "correo",
        }
    }
}

/// One row of the academic system's list, cleaned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnrolmentRow {
    /// The row number the user sees in the file.
    pub row: usize,
    /// The document as the contacts store it (digits only when it has five or more).
    pub document: Option<String>,
    /// The e-mail, lower-case.
    pub email: Option<String>,
    /// The phones, as E.164 digits.
    pub phones: Vec<u64>,
    /// The program the person applied to or enrolled in.
    pub program: Option<String>,
    /// When (application or enrolment date), if the file says.
    pub date: Option<NaiveDate>,
    /// The stage of this row.
    pub stage: Stage,
}

impl EnrolmentRow {
    /// Whether the row can be matched at all (it has a document, a phone or an e-mail).
    pub fn matchable(&self) -> bool {
        self.document.is_some() || self.email.is_some() || !self.phones.is_empty()
    }
}

/// The document key the contacts use: the digits when there are five or more (so
/// `1.234.567-8` and `12345678` meet), else the trimmed text.
pub fn document_key(cell: &str) -> Option<String> {
    let d = cell.trim();
    if d.is_empty() {
        return None;
    }
    let digits: String = d.chars().filter(char::is_ascii_digit).collect();
    Some(if digits.len() >= 5 {
        digits
    } else {
        d.to_owned()
    })
}

/// The e-mail key: trimmed and lower-case; `None` when it is not an address.
pub fn email_key(cell: &str) -> Option<String> {
    let e = cell.trim().to_lowercase();
    super::brief::is_email(&e).then_some(e)
}

/// What an import of the academic system's list did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EnrolmentReport {
    /// The list's id.
    pub batch_id: i64,
    /// Non-blank data rows.
    pub rows_read: i64,
    /// Rows kept.
    pub stored: i64,
    /// Rows without a document, a phone or an e-mail (row numbers in `rejected_rows`).
    pub rejected: i64,
    /// The first rejected row numbers (at most 100).
    pub rejected_rows: Vec<usize>,
    /// Rows matched to a person, by document.
    pub by_document: i64,
    /// Rows matched to a person, by phone.
    pub by_phone: i64,
    /// Rows matched to a person, by e-mail.
    pub by_email: i64,
}

impl EnrolmentReport {
    /// Rows matched to a person known to some campaign.
    pub fn matched(&self) -> i64 {
        self.by_document + self.by_phone + self.by_email
    }

    /// What the import did, in words (the command line's output, the window's toast).
    pub fn summary(&self) -> String {
        use super::format::int;
        crate::i18n::tf(
            "enrolment.cli_summary",
            &[
                ("read", &int(self.rows_read)),
                ("stored", &int(self.stored)),
                ("matched", &int(self.matched())),
                ("document", &int(self.by_document)),
                ("phone", &int(self.by_phone)),
                ("email", &int(self.by_email)),
                ("rejected", &int(self.rejected)),
            ],
        )
    }
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// One line of a conversion table (a campaign, an agent or a program).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ConversionLine {
    /// What the line is about (an agent's name, a program; empty for the campaign).
    pub name: String,
    /// Records (registros válidos).
    pub records: i64,
    /// Records reached (best outcome reached, never a third party).
    pub reached: i64,
    /// Records whose best outcome is positive (the interest the agents recorded).
    pub positive: i64,
    /// Records whose person applied or enrolled (any stage) after the campaign started.
    pub converted: i64,
    /// Of those, enrolled (matriculado).
    pub enrolled: i64,
    /// Converted records the agents had marked positive.
    pub converted_positive: i64,
}

impl ConversionLine {
    /// Real conversion: converted ÷ records.
    pub fn conversion(&self) -> Option<f64> {
        ratio(self.converted, self.records)
    }

    /// Converted among those marked interested: converted positives ÷ positives.
    pub fn positive_conversion(&self) -> Option<f64> {
        ratio(self.converted_positive, self.positive)
    }
}

/// A campaign's real conversion.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Conversion {
    /// The campaign.
    pub campaign_id: i64,
    /// The campaign as a whole.
    pub total: ConversionLine,
    /// Per agent (who recorded the record's best outcome; records never called under "").
    pub by_agent: Vec<ConversionLine>,
    /// Per program of the contact.
    pub by_program: Vec<ConversionLine>,
    /// Lists of the academic system imported so far.
    pub lists: i64,
}
