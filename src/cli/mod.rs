//! The command line (`../shared/CLI.md`): the administrator's tool, calling the same library
//! functions as the GUI. Writes are audited as `cli:<operating-system user>`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// `println!` for the command's output, which may be piped into `head` or a closed pager: a
/// reader that stops early ends the command quietly (exit 0) instead of a panic; any other
/// failure to write says so on stderr and exits with 1.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            eprintln!("{}: {e}", crate::i18n::t("cli.error"));
            std::process::exit(i32::from(EXIT_FAILED));
        }
    }};
}

mod args;
mod reports;

use reports::{brief, conversion, indicators, interested, nonconformity, process, report, weekly};

pub use args::*;
use serde_json::json;

use crate::domain::procedure::CampaignStatus;
use crate::domain::{Actor, NewUser};
use crate::i18n::{self, Lang, t, tf};
use crate::store::{Error, Store, Target};

/// Exit code: the job failed and nothing was changed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: the command was called wrongly.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: nothing to do now.
pub const EXIT_NOTHING: u8 = 3;

/// The database a `--db` argument (or its absence) names.
pub fn target_of(db: Option<&str>) -> Target {
    db.map(Target::parse)
        .unwrap_or_else(|| Target::Sqlite(Target::default_path()))
}

/// A failure with its exit code.
struct Fail(u8, String);

/// The exit code of a store error. Every one means "the job failed, nothing was changed"
/// (the store's writes are transactions); listed one by one so a new kind has to be decided.
pub fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Forbidden(_)
        | Error::Invalid(_)
        | Error::NotFound(_)
        | Error::Conflict(_)
        | Error::NewerSchema(_)
        | Error::Busy(_)
        | Error::Corrupt { .. }
        | Error::Constraint { .. }
        | Error::Open { .. }
        | Error::CreateDir { .. }
        | Error::Io(_)
        | Error::Engine(_)
        | Error::Other(_)
        | Error::Login(_) => EXIT_FAILED,
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail(exit_code(&e), e.to_string())
    }
}

impl From<crate::import::job::ImportError> for Fail {
    fn from(e: crate::import::job::ImportError) -> Self {
        match e {
            crate::import::job::ImportError::Store(e) => e.into(),
            other => Fail(EXIT_FAILED, other.to_string()),
        }
    }
}

/// Runs a subcommand; returns the process exit code.
pub fn run(cli: &Cli, command: &Command) -> ExitCode {
    i18n::set_lang(Lang::from_code(&cli.lang).unwrap_or(Lang::Es));
    match dispatch(cli, command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Fail(code, msg)) => {
            eprintln!("{}: {msg}", t("cli.error"));
            ExitCode::from(code)
        }
    }
}

fn print_json(v: &serde_json::Value) {
    outln!("{v}");
}

fn dispatch(cli: &Cli, command: &Command) -> Result<(), Fail> {
    let target = target_of(cli.db.as_deref());
    // `check` only reads an existing database: it must not migrate or purge the file it checks.
    // (A file that does not exist yet is created, new and current, as by every command.)
    let existing = match &target {
        Target::Sqlite(path) => path.exists(),
        Target::Memory | Target::Postgres(_) => true,
    };
    // A backup is checked without opening (or creating) the database.
    if let Command::Check { file: Some(file) } = command {
        let r = Store::check_backup(file)?;
        return print_check(cli, &r);
    }
    let store = if matches!(command, Command::Check { .. }) && existing {
        Store::open_read_only(&target)?
    } else {
        Store::open(&target)?
    };
    let actor = Actor::cli();
    match command {
        Command::User { cmd } => user(cli, &store, &actor, cmd),
        Command::Campaign { cmd } => campaign(cli, &store, &actor, cmd),
        Command::Distribute {
            campaign,
            agents,
            weights,
            order,
        } => {
            let plan = crate::domain::distribution::DistributionPlan {
                agents: agents.clone(),
                weights: weights.clone(),
                order: crate::domain::distribution::Order::from_code(order).unwrap_or_default(),
            };
            let d = store.distribute(&actor, *campaign, &plan)?;
            print_distribution(cli, &d);
            Ok(())
        }
        Command::Redistribute {
            campaign,
            from,
            to,
            with_callbacks,
        } => {
            let d = store.redistribute(&actor, *campaign, from, to, *with_callbacks)?;
            print_distribution(cli, &d);
            Ok(())
        }
        Command::Import { .. } | Command::Optout { .. } | Command::Enrolments { .. } => {
            import_commands(cli, &store, &actor, command)
        }
        Command::Conversion { campaign } => conversion(cli, &store, &actor, *campaign),
        Command::Process { from, to } => process(cli, &store, &actor, *from, *to),
        Command::Interested { campaign, out } => {
            interested(cli, &store, &actor, *campaign, out.as_deref())
        }
        Command::Nonconformity { cmd } => nonconformity(cli, &store, &actor, cmd),
        Command::Call { cmd } => call(cli, &store, &actor, cmd),
        Command::Holidays { year } => {
            holidays(cli, &store, *year)?;
            Ok(())
        }
        Command::Indicators {
            campaign,
            agent,
            from,
            to,
        } => indicators(cli, &store, &actor, *campaign, agent.as_deref(), *from, *to),
        Command::Check { .. } => {
            let r = store.check()?;
            print_check(cli, &r)
        }
        Command::Backup { out } => {
            store.backup_to(out)?;
            if cli.json {
                print_json(&json!({"out": out.display().to_string()}));
            } else {
                outln!("{}", tf("cli.backup_done", &[("path", &out.display())]));
            }
            Ok(())
        }
        Command::Recount => {
            store.recount(&actor)?;
            if cli.json {
                print_json(&json!({"recounted": true}));
            } else {
                outln!("{}", t("cli.recount_done"));
            }
            Ok(())
        }
        Command::Restore { from, yes } => {
            if !*yes {
                let r = Store::check_backup(from)?;
                print_check(cli, &r)?;
                return Err(Fail(EXIT_USAGE, t("cli.restore_needs_yes")));
            }
            let r = store.restore_from(&actor, from)?;
            if cli.json {
                print_json(&json!(r));
            } else {
                outln!("{}", tf("cli.restore_done", &[("path", &from.display())]));
                if let Some(p) = &r.safety_copy {
                    outln!("{}", tf("cli.restore_safety", &[("path", &p.display())]));
                }
            }
            Ok(())
        }
        Command::Weekly { week, out, agent } => {
            weekly(cli, &store, &actor, *week, out, agent.as_deref())
        }
        Command::Report { campaign, out } => report(cli, &store, &actor, *campaign, out),
        Command::Brief { cmd } => brief(cli, &store, &actor, cmd),
        Command::Demo => {
            let s = crate::demo::fill(&store, &actor)?;
            if cli.json {
                print_json(&json!({
                    "password": s.password,
                    "users": s.users.iter().map(|(l, r)| json!({"login": l, "role": r.code()})).collect::<Vec<_>>(),
                    "departments": s.departments,
                    "programs": s.programs,
                    "briefs": s.briefs,
                    "campaigns": s.campaigns,
                    "active_campaign": s.active_campaign,
                    "attempts": s.attempts,
                    "inbound_calls": s.inbound_calls,
                }));
            } else {
                outln!("{}", t("cli.demo_done"));
                for (login, role) in &s.users {
                    outln!("  {login:<12} {}", role.label());
                }
                outln!("{}", tf("cli.demo_password", &[("password", &s.password)]));
            }
            Ok(())
        }
        Command::Outbox { cmd } => outbox(cli, &store, &actor, cmd),
    }
}

/// Prints what `check` found; fails (exit 1) when unsound.
fn print_check(cli: &Cli, r: &crate::domain::archive::CheckReport) -> Result<(), Fail> {
    if cli.json {
        print_json(&json!(r));
    } else {
        outln!(
            "{}",
            tf(
                "cli.check_summary",
                &[
                    ("status", &if r.ok { t("cli.ok") } else { t("cli.unsound") }),
                    ("version", &r.schema_version),
                    ("supported", &r.program_schema_version),
                ]
            )
        );
        for line in r.integrity.iter().filter(|l| *l != "ok") {
            outln!("  {line}");
        }
        for line in &r.foreign_key_errors {
            outln!("  {line}");
        }
        for line in &r.archive_mismatches {
            outln!(
                "  {}",
                tf("cli.check_archive_mismatch", &[("record", line)])
            );
        }
        for table in &r.count_mismatches {
            outln!("  {}", tf("cli.check_count_mismatch", &[("table", table)]));
        }
        for (table, n) in &r.counts {
            outln!("  {table}: {n}");
        }
    }
    if r.ok {
        Ok(())
    } else {
        Err(Fail(EXIT_FAILED, t("cli.check_failed")))
    }
}

/// `outbox send`: one round of the sender; `outbox list`: the messages.
fn outbox(cli: &Cli, store: &Store, actor: &Actor, cmd: &OutboxCmd) -> Result<(), Fail> {
    use crate::domain::mail::OutboxFilter;
    match cmd {
        OutboxCmd::Send => {
            let smtp = store.smtp_settings()?;
            if !smtp.is_configured() {
                return Err(Fail(EXIT_NOTHING, t("outbox.cli_not_configured")));
            }
            let password = crate::mail::secret::password(&smtp.account());
            if smtp.needs_password() && password.is_none() {
                return Err(Fail(EXIT_FAILED, t("outbox.cli_no_password")));
            }
            let r = crate::mail::send_due(store, &smtp, password.as_deref())?;
            if cli.json {
                print_json(&json!(r));
            } else {
                outln!(
                    "{}",
                    tf(
                        "outbox.cli_summary",
                        &[
                            ("due", &r.due),
                            ("sent", &r.sent),
                            ("retry", &r.retry),
                            ("failed", &r.failed)
                        ]
                    )
                );
                if let Some(e) = &r.error {
                    eprintln!("{e}");
                }
            }
            Ok(())
        }
        OutboxCmd::List { status } => {
            let list = store.outbox_list(actor, &OutboxFilter { status: *status })?;
            if cli.json {
                print_json(&json!(
                    list.iter()
                        .map(|m| json!({
                            "id": m.id,
                            "uuid": m.uuid,
                            "message_id": m.message_id(),
                            "status": m.status.code(),
                            "kind": m.kind.code(),
                            "to": m.to,
                            "subject": m.subject,
                            "created_at": m.created_at,
                            "created_by": m.created_by,
                            "attempts": m.attempts,
                            "last_error": m.last_error,
                            "sent_at": m.sent_at,
                            "next_attempt_at": m.next_attempt_at,
                            "handed_over": m.handed_over.map(|h| h.code()),
                            "attachments": m.attachments.iter().map(|a| a.file_name.as_str()).collect::<Vec<_>>(),
                        }))
                        .collect::<Vec<_>>()
                ));
            } else {
                for m in &list {
                    outln!(
                        "{}\t{}\t{}\t{}\t{}",
                        m.id,
                        m.status.code(),
                        m.to,
                        m.subject,
                        m.last_error.as_deref().unwrap_or("")
                    );
                }
            }
            Ok(())
        }
    }
}

fn user(cli: &Cli, store: &Store, actor: &Actor, cmd: &UserCmd) -> Result<(), Fail> {
    match cmd {
        UserCmd::Add {
            login,
            name,
            role,
            department,
        } => {
            let department_id = match department {
                Some(d) => Some(department_id(store, actor, d)?),
                None => None,
            };
            let pw = read_password()?;
            let new = NewUser {
                login: login.clone(),
                name: name.clone(),
                role: Some(*role),
                department_id,
            };
            let u = store.add_user(actor, &new, &pw, &pw)?;
            if cli.json {
                print_json(&json!({"id": u.id, "login": u.login}));
            } else {
                outln!(
                    "{}",
                    tf("cli.user_added", &[("login", &u.login), ("id", &u.id)])
                );
            }
            Ok(())
        }
        UserCmd::Passwd { login } => {
            let u = store
                .user_by_login(login)?
                .ok_or_else(|| Fail(EXIT_FAILED, tf("cli.user_unknown", &[("login", login)])))?;
            let pw = read_password()?;
            store.reset_password(actor, u.id, &pw, &pw)?;
            if !cli.json {
                outln!("{}", tf("cli.password_set", &[("login", &u.login)]));
            }
            Ok(())
        }
        UserCmd::List => {
            let users = store.users(actor)?;
            if cli.json {
                print_json(&json!(
                    users
                        .iter()
                        .map(|u| json!({
                            "id": u.id, "login": u.login, "name": u.name, "role": u.role.code(),
                            "department": u.department, "active": u.active,
                        }))
                        .collect::<Vec<_>>()
                ));
            } else {
                for u in &users {
                    outln!(
                        "{:>4}  {:<14} {:<32} {:<26} {}{}",
                        u.id,
                        u.login,
                        u.name,
                        u.role.label(),
                        u.department.clone().unwrap_or_default(),
                        if u.active {
                            String::new()
                        } else {
                            format!(" ({})", t("user.inactive"))
                        }
                    );
                }
            }
            Ok(())
        }
    }
}

fn campaign(cli: &Cli, store: &Store, actor: &Actor, cmd: &CampaignCmd) -> Result<(), Fail> {
    match cmd {
        CampaignCmd::Create {
            name,
            department,
            kind,
            start,
            end,
        } => {
            let department_id = department_id(store, actor, department)?;
            let c = store.campaign_create_cli(
                actor,
                name,
                department_id,
                *kind,
                start.as_deref().unwrap_or_default(),
                end.as_deref().unwrap_or_default(),
            )?;
            if cli.json {
                print_json(&json!({"id": c.id}));
            } else {
                outln!("{}", c.id);
            }
            Ok(())
        }
        CampaignCmd::Start { campaign } => {
            campaign_status(cli, store, actor, *campaign, CampaignStatus::Activa)
        }
        CampaignCmd::Pause { campaign } => {
            campaign_status(cli, store, actor, *campaign, CampaignStatus::Pausada)
        }
        CampaignCmd::Close { campaign } => {
            campaign_status(cli, store, actor, *campaign, CampaignStatus::Cerrada)
        }
        CampaignCmd::List => {
            let list = store.campaigns(actor)?;
            let iso = |d: &str| {
                crate::domain::brief::parse_date(d).map(|d| d.format("%Y-%m-%d").to_string())
            };
            if cli.json {
                print_json(&json!(
                    list.iter()
                        .map(|c| json!({
                            "id": c.id, "name": c.form.name, "department": c.department,
                            "kind": c.form.kind.code(), "status": c.status.code(),
                            "contacts": c.contacts, "start": iso(&c.form.start_date), "end": iso(&c.form.end_date),
                        }))
                        .collect::<Vec<_>>()
                ));
            } else if list.is_empty() {
                outln!("{}", t("campaign.empty"));
            } else {
                for c in &list {
                    outln!(
                        "{:>4}  {:<40} {:<30} {:<12} {:>8}  {} – {}",
                        c.id,
                        c.form.name,
                        c.department,
                        c.status.label(),
                        crate::domain::format::int(c.contacts),
                        c.form.start_date,
                        c.form.end_date
                    );
                }
            }
            Ok(())
        }
    }
}

/// `campaign start|pause|close`: the window's rules (`Store::campaign_set_status`); a campaign
/// that may not start says every reason.
fn campaign_status(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    id: i64,
    to: CampaignStatus,
) -> Result<(), Fail> {
    let c = match store.campaign_set_status(actor, id, to) {
        Ok(c) => c,
        Err(e @ Error::Conflict(_)) if to == CampaignStatus::Activa => {
            let blockers = store.campaign_start_blockers(actor, id)?;
            if blockers.is_empty() {
                return Err(e.into());
            }
            let reasons: Vec<String> = blockers.iter().map(ToString::to_string).collect();
            return Err(Fail(EXIT_FAILED, reasons.join("\n")));
        }
        Err(e) => return Err(e.into()),
    };
    if cli.json {
        print_json(&json!({"id": c.id, "status": c.status.code()}));
    } else {
        outln!(
            "{}",
            tf(
                "campaign.status_changed",
                &[("name", &c.form.name), ("status", &c.status.label())]
            )
        );
    }
    Ok(())
}

/// `call record`: the outcome saved; the contact's state after it.
fn call_record(cli: &Cli, store: &Store, actor: &Actor, args: &RecordArgs) -> Result<(), Fail> {
    use chrono::TimeZone;
    let RecordArgs {
        campaign,
        agent,
        contact,
        outcome,
        reason,
        notes,
        callback,
        duration,
        answers,
    } = args;
    let settings = store.settings()?;
    let callback_at = match callback {
        None => None,
        Some(text) => {
            let at = chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
                .ok()
                .and_then(|local| settings.tz().from_local_datetime(&local).earliest())
                .ok_or_else(|| Fail(EXIT_USAGE, t("call_record.err_callback_format")))?;
            Some(at.timestamp())
        }
    };
    let r = store.call_record(
        actor,
        agent,
        *campaign,
        *contact,
        &crate::store::calls::Outcome {
            key_or_code: outcome,
            reason: reason.as_deref(),
            notes,
            callback_at,
            duration_secs: *duration,
            answers: answers.as_deref(),
        },
    )?;
    let when = r.next_call_at.map(|at| {
        crate::domain::format::local(at, &settings)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    });
    if cli.json {
        print_json(&json!({
            "attempt_uuid": r.attempt_uuid,
            "contact_id": r.contact_id,
            "status": r.status.code(),
            "attempts": r.attempts,
            "next_call_at": when,
        }));
    } else {
        outln!(
            "{}",
            tf(
                "call_record.recorded",
                &[
                    ("contact", &r.contact_id),
                    ("status", &r.status.label()),
                    ("n", &r.attempts)
                ]
            )
        );
    }
    Ok(())
}

/// `call next`: the agent's next contact, or exit 3 with the reason (`CLI.md`).
fn call(cli: &Cli, store: &Store, actor: &Actor, cmd: &CallCmd) -> Result<(), Fail> {
    use crate::domain::call::Next;
    let (campaign, agent) = match cmd {
        CallCmd::Next { campaign, agent } => (campaign, agent),
        CallCmd::Record(args) => return call_record(cli, store, actor, args),
    };
    match store.call_next(actor, *campaign, agent)? {
        Next::Contact(c) => {
            if cli.json {
                print_json(&json!(c));
            } else {
                outln!(
                    "{}  {}  {}",
                    c.contact_id,
                    c.name,
                    crate::domain::format::phone(&c.phone)
                );
            }
            Ok(())
        }
        Next::Nothing {
            reason,
            why,
            next_window,
        } => {
            let settings = store.settings()?;
            let words = why.map_or_else(|| t("call.queue_empty"), |w| w.label());
            let when = next_window.map(|at| {
                crate::domain::format::local(at, &settings)
                    .format("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string()
            });
            if cli.json {
                print_json(&json!({"reason": reason.code(), "next_window": when}));
            }
            let resume = match next_window {
                Some(at) => tf(
                    "call.next_window",
                    &[("when", &crate::domain::format::datetime(at, &settings))],
                ),
                None => t("call.no_next_window"),
            };
            Err(Fail(EXIT_NOTHING, format!("{words} {resume}")))
        }
    }
}

/// `holidays --year YYYY`: the year's holidays as the program applies them.
fn holidays(cli: &Cli, store: &Store, year: i32) -> Result<(), Error> {
    use chrono::Datelike;
    let list = store.settings()?.holidays.year(year);
    if cli.json {
        print_json(&json!(
            list.iter()
                .map(|h| json!({"date": h.date.format("%Y-%m-%d").to_string(), "name": h.name()}))
                .collect::<Vec<_>>()
        ));
    } else {
        outln!(
            "{}",
            tf(
                "calendar.holidays_title",
                &[("year", &year), ("n", &list.len())]
            )
        );
        for h in &list {
            let weekday = t(&format!(
                "calendar.weekday_{}",
                h.date.weekday().to_string().to_lowercase()
            ));
            outln!(
                "  {weekday:<10} {}  {}",
                crate::domain::format::date(&h.date),
                h.name()
            );
        }
    }
    Ok(())
}

fn print_distribution(cli: &Cli, d: &crate::domain::distribution::Distribution) {
    if cli.json {
        print_json(&json!({"assigned": d.assigned, "unassigned": d.unassigned}));
    } else {
        for (login, n) in &d.assigned {
            outln!("  {login:<14} {:>10}", crate::domain::format::int(*n));
        }
        outln!(
            "{}",
            tf(
                "cli.unassigned",
                &[("n", &crate::domain::format::int(d.unassigned))]
            )
        );
    }
}

/// A department by name; an unknown one is created, with a note on stderr.
pub fn department_id(store: &Store, actor: &Actor, name: &str) -> Result<i64, Error> {
    if let Some(d) = store.department_by_name(name)? {
        return Ok(d.id);
    }
    let d = store.add_department(actor, name)?;
    eprintln!("{}", tf("cli.department_created", &[("name", &d.name)]));
    Ok(d.id)
}

/// The password from `TELEMERCADEO_PASSWORD`, or asked twice on a terminal, or one line of stdin.
fn read_password() -> Result<String, Fail> {
    if let Ok(pw) = std::env::var("TELEMERCADEO_PASSWORD") {
        return Ok(pw);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let first = rpassword::prompt_password(format!("{}: ", t("cli.password_prompt")))
            .map_err(|e| Fail(EXIT_FAILED, e.to_string()))?;
        let second = rpassword::prompt_password(format!("{}: ", t("cli.password_again")))
            .map_err(|e| Fail(EXIT_FAILED, e.to_string()))?;
        if first != second {
            return Err(Fail(EXIT_USAGE, t("user.err_password_mismatch")));
        }
        return Ok(first);
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| Fail(EXIT_FAILED, e.to_string()))?;
    let pw = line.trim_end_matches(['\n', '\r']).to_owned();
    if pw.is_empty() {
        let _ = std::io::stderr().flush();
        return Err(Fail(EXIT_USAGE, t("cli.password_missing")));
    }
    Ok(pw)
}

fn import_commands(cli: &Cli, store: &Store, actor: &Actor, command: &Command) -> Result<(), Fail> {
    use crate::import::job::{self, Dedupe, ImportOptions};
    use crate::import::read::Source;
    match command {
        Command::Import {
            campaign,
            file,
            sheet,
            dedupe,
            origin,
            purpose,
            authorization,
            complete_landlines,
        } => {
            let options = ImportOptions {
                complete_landlines: *complete_landlines,
                sheet: sheet.clone(),
                mapping: None,
                dedupe: if dedupe == "document" {
                    Dedupe::Document
                } else {
                    Dedupe::Phone
                },
                origin: crate::domain::contact::DataOrigin {
                    origin: origin.clone(),
                    purpose: purpose.clone(),
                    authorization_ref: authorization.clone(),
                    authorization_file: None,
                },
                keep_phones: false,
            };
            let never = std::sync::atomic::AtomicBool::new(false);
            let report = job::run(
                store,
                actor,
                *campaign,
                &Source::File(file.clone()),
                &options,
                &|_| {},
                &never,
            )?;
            let c = &report.counts;
            if cli.json {
                print_json(&json!({
                    "rows_read": c.rows_read,
                    "imported": c.imported,
                    "duplicates": c.duplicates,
                    "rejected": c.rejected,
                    "opted_out": c.opted_out,
                    "warnings": report.warnings,
                    "batch_id": report.batch_id,
                    "format": report.format,
                    "issues": report.issues.iter().take(1000).collect::<Vec<_>>(),
                    "issues_total": report.issues_total,
                    "completable": report.completable,
                }));
            } else {
                outln!("{}", report.format);
                outln!(
                    "{}",
                    tf(
                        "cli.import_summary",
                        &[
                            ("read", &crate::domain::format::int(c.rows_read)),
                            ("imported", &crate::domain::format::int(c.imported)),
                            ("duplicates", &crate::domain::format::int(c.duplicates)),
                            ("rejected", &crate::domain::format::int(c.rejected)),
                            ("opted_out", &crate::domain::format::int(c.opted_out)),
                        ]
                    )
                );
                for w in &report.warnings {
                    eprintln!("{w}");
                }
                if report.completable > 0 {
                    eprintln!(
                        "{}",
                        tf(
                            "cli.completable",
                            &[("n", &crate::domain::format::int(report.completable))]
                        )
                    );
                }
            }
            Ok(())
        }
        Command::Optout {
            cmd: OptoutCmd::Import { file, source },
        } => {
            let r = crate::import::optout::import_file(
                store,
                actor,
                &Source::File(file.clone()),
                source,
            )?;
            if cli.json {
                print_json(&json!({
                    "rows_read": r.rows_read, "added": r.added, "already": r.already, "rejected": r.rejected,
                }));
            } else {
                outln!(
                    "{}",
                    tf(
                        "cli.optout_summary",
                        &[
                            ("read", &crate::domain::format::int(r.rows_read)),
                            ("added", &crate::domain::format::int(r.added)),
                            ("already", &crate::domain::format::int(r.already)),
                            ("rejected", &crate::domain::format::int(r.rejected)),
                        ]
                    )
                );
            }
            Ok(())
        }
        Command::Enrolments {
            cmd: EnrolmentsCmd::Import { file, stage },
        } => {
            let r = crate::import::enrolments::import_file(
                store,
                actor,
                &Source::File(file.clone()),
                *stage,
            )?;
            if cli.json {
                print_json(&json!(r));
            } else {
                outln!("{}", r.summary());
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
