//! The archive of records (procedure section 7; ISO 9001:2015 7.5.3): the records registry
//! (what each record is, who keeps it, for how long, and what becomes of it), the documents the
//! program keeps (`archived_records`), their retention dates, who may read them, and the
//! automatic backup's rules. No SQL, no files.

use super::procedure::code_enum;
use super::role::Role;
use super::{Field, FieldError};
use crate::i18n::t;

code_enum!(
    /// Whether a record is kept on paper or as a file (procedure section 7, "Tipo").
    Medium, "archive_medium", {
        /// Paper.
        Fisico => "fisico",
        /// A file.
        Electronico => "electronico",
    }
);

code_enum!(
    /// Who may read a record (procedure section 7, "Nivel de acceso"). The procedure names
    /// every record "General".
    ///
    /// - `general`: the head, the professional and the agents read it; a requesting
    ///   department's user (solicitante) reads it only when it belongs to its own department.
    /// - `interno`: the head, the professional and the agents; never a solicitante.
    /// - `reservado`: the head, and whoever produced it.
    ///
    /// An agent reads only the records it produced itself, whatever the level (its own weekly
    /// reports); the command line reads everything.
    AccessLevel, "archive_access", {
        /// Everyone concerned.
        General => "general",
        /// Marketing's staff.
        Interno => "interno",
        /// The head and the author.
        Reservado => "reservado",
    }
);

code_enum!(
    /// What becomes of a record when its time in the central archive ends.
    FinalDisposition, "archive_disposition", {
        /// Kept for good.
        ConservacionTotal => "conservacion_total",
        /// Destroyed (removed from the database, with the head's confirmation).
        Eliminacion => "eliminacion",
        /// A sample is kept, the rest destroyed.
        Seleccion => "seleccion",
    }
);

/// The registry's key of the brief (GF-MK-PR-01-01).
pub const TYPE_BRIEF: &str = "brief";
/// The registry's key of "Campañas Contact Center" (the campaigns' results reports).
pub const TYPE_CAMPAIGNS: &str = "campanas";
/// The registry's key of "Consolidado llamadas recibidas y salientes".
pub const TYPE_CONSOLIDATED: &str = "consolidado";
/// The registry's key of "Bases de datos" (the contact databases).
pub const TYPE_DATABASES: &str = "bases_datos";

/// `archived_records.kind` of a brief printed as PDF.
pub const KIND_BRIEF_PDF: &str = "brief_pdf";
/// `archived_records.kind` of a campaign's results report.
pub const KIND_RESULTS: &str = "informe_resultados";
/// `archived_records.kind` of an agent's report.
pub const KIND_AGENT_REPORT: &str = "informe_auxiliar";

/// Every kind the archive knows, in the order of the filter.
pub const KINDS: [&str; 5] = [
    KIND_RESULTS,
    super::weekly::RECORD_CONSOLIDATED,
    super::weekly::RECORD_AGENT,
    KIND_AGENT_REPORT,
    KIND_BRIEF_PDF,
];

/// The registry entry a kind of document belongs to.
pub fn type_of_kind(kind: &str) -> &'static str {
    match kind {
        KIND_BRIEF_PDF => TYPE_BRIEF,
        super::weekly::RECORD_CONSOLIDATED | super::weekly::RECORD_AGENT | KIND_AGENT_REPORT => {
            TYPE_CONSOLIDATED
        }
        _ => TYPE_CAMPAIGNS,
    }
}

/// A kind's name for the user (the code itself when unknown).
pub fn kind_label(kind: &str) -> String {
    if KINDS.contains(&kind) {
        t(&format!("archive_kind.{kind}"))
    } else {
        kind.to_owned()
    }
}

/// An entry of the records registry (procedure section 7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordType {
    /// Its id.
    pub id: i64,
    /// Its stable key (`brief`, `campanas`, …): what the program files documents under.
    pub key: String,
    /// The form as the head edits it.
    pub form: RecordTypeForm,
}

/// What the head edits of a registry entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTypeForm {
    /// The record's code (`GF-MK-PR-01-01`, or `N.A` as in the procedure).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Paper or file.
    pub medium: Medium,
    /// Who may read it.
    pub access: AccessLevel,
    /// Where it is kept (`Carpetas`).
    pub storage: String,
    /// Who keeps it (`Profesional de marketing`).
    pub responsible: String,
    /// Years in the management archive (`None`: not set, "sin definir").
    pub management_years: Option<u32>,
    /// Years in the central archive (`None`: not set).
    pub central_years: Option<u32>,
    /// What becomes of it afterwards (`None`: not set).
    pub disposition: Option<FinalDisposition>,
}

/// The longest retention accepted, in years.
pub const MAX_RETENTION_YEARS: u32 = 100;

impl RecordTypeForm {
    /// Trims the texts and checks the fields.
    pub fn validate(&self) -> Result<RecordTypeForm, FieldError> {
        let mut f = self.clone();
        f.code = f.code.trim().to_owned();
        f.name = f.name.trim().to_owned();
        f.storage = f.storage.trim().to_owned();
        f.responsible = f.responsible.trim().to_owned();
        if f.code.is_empty() {
            return Err(FieldError::new(Field::Kind, "archive.err_code"));
        }
        if f.name.is_empty() {
            return Err(FieldError::new(Field::Name, "archive.err_name"));
        }
        for y in [f.management_years, f.central_years].into_iter().flatten() {
            if y == 0 || y > MAX_RETENTION_YEARS {
                return Err(FieldError::with(
                    Field::Form,
                    "archive.err_years",
                    &[("max", &MAX_RETENTION_YEARS)],
                ));
            }
        }
        Ok(f)
    }

    /// "5 años", or "sin definir".
    pub fn years_text(years: Option<u32>) -> String {
        match years {
            Some(y) => crate::i18n::tf("archive.years", &[("n", &y)]),
            None => t("archive.undefined"),
        }
    }
}

/// Parses a retention typed by the head: empty means "sin definir".
pub fn parse_years(text: &str) -> Result<Option<u32>, FieldError> {
    let s = text.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<u32>().map(Some).map_err(|_| {
        FieldError::with(
            Field::Form,
            "archive.err_years",
            &[("max", &MAX_RETENTION_YEARS)],
        )
    })
}

/// `ts` plus `years` calendar years (UTC; 29 February becomes 28 February).
pub fn add_years(ts: i64, years: u32) -> i64 {
    use chrono::{DateTime, Months};
    DateTime::from_timestamp(ts, 0)
        .and_then(|d| d.checked_add_months(Months::new(years.saturating_mul(12))))
        .map_or(i64::MAX, |d| d.timestamp())
}

/// The retention dates of a record produced at `created_at`: when it is due for transfer to
/// the central archive, and when for its final disposition. Each is `None` while the registry
/// leaves the time it depends on undefined.
pub fn retention_dates(
    created_at: i64,
    management_years: Option<u32>,
    central_years: Option<u32>,
) -> (Option<i64>, Option<i64>) {
    let central = management_years.map(|y| add_years(created_at, y));
    let disposition = central.zip(central_years).map(|(c, y)| add_years(c, y));
    (central, disposition)
}

/// What is due for a record at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Due {
    /// Its time in the management archive is over: transfer it to the central archive.
    Transfer,
    /// Its time in the central archive is over: its final disposition.
    Disposition,
}

impl Due {
    /// Name for the user.
    pub fn label(self) -> String {
        match self {
            Due::Transfer => t("archive.due_transfer"),
            Due::Disposition => t("archive.due_disposition"),
        }
    }
}

/// A document kept in the archive, as listed (its content is read apart).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchivedRecord {
    /// Its id.
    pub id: i64,
    /// `informe_resultados`, `consolidado_semanal`, `brief_pdf`…
    pub kind: String,
    /// Its title.
    pub title: String,
    /// The period it covers (`2026-W48`), or empty.
    pub period: String,
    /// The file's name.
    pub file_name: String,
    /// Its MIME type.
    pub mime: String,
    /// Who produced it (login, or `cli:<user>`).
    pub created_by: String,
    /// When (UTC seconds).
    pub created_at: i64,
    /// Its size in bytes.
    pub size: i64,
    /// The SHA-256 of its content when it was archived (hex), or empty for a record archived
    /// before hashes were kept (filled by the migration).
    pub sha256: String,
    /// The record code (`GF-MK-PR-01-01`, `N.A`).
    pub code: String,
    /// The registry entry's name.
    pub type_name: String,
    /// Who may read it.
    pub access: AccessLevel,
    /// The department it belongs to, if any.
    pub department_id: Option<i64>,
    /// When it is due for transfer to the central archive (`None`: retention not defined).
    pub central_at: Option<i64>,
    /// When it is due for its final disposition.
    pub disposition_at: Option<i64>,
    /// What becomes of it then.
    pub disposition: Option<FinalDisposition>,
    /// When it was transferred to the central archive (`None`: still in management).
    pub transferred_at: Option<i64>,
    /// The last verification: `Some(true)` the content matches its hash, `Some(false)` it does
    /// not (flagged), `None` never verified.
    pub verified: Option<bool>,
    /// When it was last verified.
    pub verified_at: Option<i64>,
}

impl ArchivedRecord {
    /// What is due for it at `now`, if anything: the final disposition once its time in the
    /// central archive is over, the transfer once its time in management is over.
    pub fn due(&self, now: i64) -> Option<Due> {
        if self.disposition_at.is_some_and(|d| d <= now) {
            Some(Due::Disposition)
        } else if self.transferred_at.is_none() && self.central_at.is_some_and(|c| c <= now) {
            Some(Due::Transfer)
        } else {
            None
        }
    }

    /// The first characters of the hash, as the list shows it.
    pub fn sha_short(&self) -> &str {
        self.sha256.get(..12).unwrap_or(&self.sha256)
    }
}

/// Who is reading, as access rules see them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reader {
    /// The role (`None`: the command line, which reads everything).
    pub role: Option<Role>,
    /// The login (matched against `created_by`).
    pub login: String,
    /// The user's department.
    pub department_id: Option<i64>,
}

/// Whether `reader` may read a record of `level` produced by `created_by` for `department_id`.
pub fn may_read(
    reader: &Reader,
    level: AccessLevel,
    created_by: &str,
    department_id: Option<i64>,
) -> bool {
    let Some(role) = reader.role else {
        return true;
    };
    let own = reader.login == created_by;
    match role {
        Role::Jefe => true,
        Role::Profesional => level != AccessLevel::Reservado || own,
        Role::Auxiliar => own,
        Role::Solicitante => {
            level == AccessLevel::General
                && department_id.is_some()
                && department_id == reader.department_id
        }
    }
}

/// Filters of the archive's list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveFilter {
    /// One kind, or every one.
    pub kind: Option<String>,
    /// Produced on or after (UTC seconds).
    pub from: Option<i64>,
    /// Produced before (UTC seconds).
    pub to: Option<i64>,
    /// The record code or the title contains this text.
    pub text: String,
    /// Only what is due at `now` (for transfer or final disposition).
    pub due_only: bool,
}

/// The automatic backup's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSettings {
    /// The folder (empty: `copias` next to the database).
    pub folder: String,
    /// How many automatic copies are kept.
    pub keep: u32,
}

/// The copies kept by default.
pub const DEFAULT_BACKUP_KEEP: u32 = 7;
/// The most copies one may ask to keep.
pub const MAX_BACKUP_KEEP: u32 = 365;

impl Default for BackupSettings {
    fn default() -> Self {
        Self {
            folder: String::new(),
            keep: DEFAULT_BACKUP_KEEP,
        }
    }
}

impl BackupSettings {
    /// Checks the number of copies.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.keep == 0 || self.keep > MAX_BACKUP_KEEP {
            return Err(FieldError::with(
                Field::Form,
                "backup.err_keep",
                &[("max", &MAX_BACKUP_KEEP)],
            ));
        }
        Ok(())
    }
}

/// The name of the automatic copy of `day` (`2026-12-01`): they sort by day.
pub fn auto_backup_name(stem: &str, day: &str) -> String {
    format!("{stem}-auto-{day}.sqlite3")
}

/// Whether `file_name` is an automatic copy of a database named `stem` (what pruning may remove).
pub fn is_auto_backup(stem: &str, file_name: &str) -> bool {
    file_name
        .strip_prefix(&format!("{stem}-auto-"))
        .and_then(|r| r.strip_suffix(".sqlite3"))
        .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
}

/// The automatic copies to remove so that `keep` remain: the oldest, by name (their day).
pub fn to_prune(stem: &str, mut names: Vec<String>, keep: u32) -> Vec<String> {
    names.retain(|n| is_auto_backup(stem, n));
    names.sort();
    let extra = names.len().saturating_sub(keep as usize);
    names.truncate(extra);
    names
}

/// How a record's hash compares with its content now.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    /// The record.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Whether the content still matches the hash kept when it was archived.
    pub ok: bool,
}

/// What `check` found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Everything is sound.
    pub ok: bool,
    /// The database's schema version.
    pub schema_version: i64,
    /// The version this program writes.
    pub program_schema_version: i64,
    /// `ok`, or the problems the engine's integrity check listed.
    pub integrity: Vec<String>,
    /// Rows pointing to records that do not exist: "table(rowid) -> parent".
    pub foreign_key_errors: Vec<String>,
    /// Row counts of the main tables.
    pub counts: std::collections::BTreeMap<String, i64>,
    /// Archived records whose content no longer matches the SHA-256 kept when they were
    /// archived: "id: title".
    pub archive_mismatches: Vec<String>,
    /// The dashboards' count tables that differ from the contacts and calls they count
    /// (`telemercadeo recount` repairs them).
    pub count_mismatches: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_dates_follow_the_registry() {
        // 2024-02-29 00:00 UTC.
        let t0 = 1_709_164_800;
        assert_eq!(retention_dates(t0, None, Some(3)), (None, None));
        let (c, d) = retention_dates(t0, Some(2), None);
        assert_eq!(c, Some(add_years(t0, 2)));
        assert_eq!(d, None);
        let (c, d) = retention_dates(t0, Some(1), Some(4));
        let c = c.expect("central");
        // 2025-02-28: the 29th does not exist.
        assert_eq!(c, 1_740_700_800);
        assert_eq!(d, Some(add_years(c, 4)));
    }

    #[test]
    fn access_levels_by_role() {
        let r = |role, login: &str, dep| Reader {
            role: Some(role),
            login: login.to_owned(),
            department_id: dep,
        };
        let sol = r(Role::Solicitante, "s", Some(3));
        assert!(may_read(&sol, AccessLevel::General, "pro", Some(3)));
        assert!(!may_read(&sol, AccessLevel::General, "pro", Some(4)));
        assert!(!may_read(&sol, AccessLevel::General, "pro", None));
        assert!(!may_read(&sol, AccessLevel::Interno, "pro", Some(3)));
        let pro = r(Role::Profesional, "pro", None);
        assert!(may_read(&pro, AccessLevel::Interno, "x", None));
        assert!(!may_read(&pro, AccessLevel::Reservado, "x", None));
        assert!(may_read(&pro, AccessLevel::Reservado, "pro", None));
        let aux = r(Role::Auxiliar, "a", None);
        assert!(may_read(&aux, AccessLevel::General, "a", None));
        assert!(!may_read(&aux, AccessLevel::General, "b", None));
        assert!(may_read(
            &r(Role::Jefe, "j", None),
            AccessLevel::Reservado,
            "x",
            None
        ));
    }

    #[test]
    fn pruning_keeps_the_newest_automatic_copies() {
        let names = [
            "t-auto-2026-11-28.sqlite3",
            "t-auto-2026-11-30.sqlite3",
            "t-auto-2026-11-29.sqlite3",
            "t-manual.sqlite3",
            "t-auto-junk.sqlite3",
        ]
        .map(str::to_owned)
        .to_vec();
        assert_eq!(to_prune("t", names, 2), ["t-auto-2026-11-28.sqlite3"]);
    }

    #[test]
    fn due_follows_the_dates() {
        let mut r = ArchivedRecord {
            id: 1,
            kind: KIND_RESULTS.to_owned(),
            title: String::new(),
            period: String::new(),
            file_name: String::new(),
            mime: String::new(),
            created_by: String::new(),
            created_at: 0,
            size: 0,
            sha256: String::new(),
            code: String::new(),
            type_name: String::new(),
            access: AccessLevel::General,
            department_id: None,
            central_at: Some(10),
            disposition_at: Some(20),
            disposition: Some(FinalDisposition::Eliminacion),
            transferred_at: None,
            verified: None,
            verified_at: None,
        };
        assert_eq!(r.due(5), None);
        assert_eq!(r.due(10), Some(Due::Transfer));
        r.transferred_at = Some(11);
        assert_eq!(r.due(15), None);
        assert_eq!(r.due(20), Some(Due::Disposition));
    }
}
