//! The commands about results: the indicators and dashboards' figures, the weekly and the
//! campaign results reports, the brief's documents, the department's interested contacts, the
//! process indicators and non-conformities, and the real conversion.

use serde_json::json;

use super::{BriefCmd, NonconformityCmd};
use super::{Cli, EXIT_FAILED, EXIT_USAGE, Fail, print_json};
use crate::domain::{Actor, format};
use crate::i18n::{t, tf};
use crate::store::Store;

/// `indicators`: a campaign's indicators (`domain::indicators`), in words or JSON.
pub(super) fn indicators(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    campaign: Option<i64>,
    agent: Option<&str>,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<(), Fail> {
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Fail(EXIT_USAGE, crate::i18n::t("cli.err_period")));
    }
    let agent_id = match agent {
        Some(login) => Some(
            store
                .user_by_login(login)?
                .ok_or_else(|| {
                    Fail(
                        EXIT_USAGE,
                        crate::i18n::tf("cli.err_no_user", &[("login", &login)]),
                    )
                })?
                .id,
        ),
        None => None,
    };
    let d = store.dashboard(
        actor,
        &crate::domain::indicators::DashboardFilter {
            campaign_id: campaign,
            from,
            to,
            agent_id,
        },
    )?;
    let i = &d.indicators;
    let day = |d: &Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    if cli.json {
        let named = |l: &[(String, i64)]| {
            l.iter()
                .map(|(k, n)| json!({"name": k, "count": n}))
                .collect::<Vec<_>>()
        };
        let group = |g: &crate::domain::indicators::GroupRow| json!({"name": g.name, "registros_validos": g.records, "gestionados": g.handled, "contactados": g.reached, "positivos": g.positive});
        let bands: Vec<_> = crate::domain::call::Band::ALL
            .iter()
            .enumerate()
            .map(|(b, band)| {
                json!({
                    "band": band.code(),
                    "weekdays": d.heatmap[b].iter().map(|c| json!({"attempts": c.attempts, "reached": c.reached, "contactabilidad": c.ratio()})).collect::<Vec<_>>(),
                })
            })
            .collect();
        print_json(&json!({
            "campaign_id": campaign,
            "agent_id": agent_id,
            "terceros": d.terceros,
            "outcomes": d.outcomes.iter().map(|o| json!({"code": o.code, "name": o.name, "category": o.category, "records": o.records, "attempts": o.attempts})).collect::<Vec<_>>(),
            "reasons": named(&d.reasons),
            "days": d.days.iter().map(|r| json!({"day": r.day.format("%Y-%m-%d").to_string(), "attempts": r.attempts, "reached": r.reached})).collect::<Vec<_>>(),
            "heatmap": bands,
            "agents": d.agents.iter().map(|a| json!({"agent_id": a.agent_id, "name": a.name, "marcaciones": a.attempts, "contactos": a.reached, "positivos": a.positive, "horas_con_llamadas": a.hours, "marcaciones_por_hora": a.per_hour(), "tmo_secs": a.tmo_secs()})).collect::<Vec<_>>(),
            "programs": d.programs.iter().map(group).collect::<Vec<_>>(),
            "cities": d.cities.iter().map(group).collect::<Vec<_>>(),
            "survey": d.survey.iter().map(|q| json!({"question_id": q.question_id, "question": q.question, "answers": named(&q.answers)})).collect::<Vec<_>>(),
            "inbound": d.inbound.iter().map(|w| json!({"week": w.week, "calls": w.calls, "by_channel": named(&w.by_channel), "by_program": named(&w.by_program), "by_result": named(&w.by_result)})).collect::<Vec<_>>(),
            "from": day(&i.from),
            "to": day(&i.to),
            "registros_validos": i.registros_validos,
            "gestionados": i.gestionados,
            "contactados": i.contactados,
            "positivos": i.positivos,
            "marcaciones": i.marcaciones,
            "agendados_hoy": i.agendados_hoy,
            "pendientes": i.pendientes,
            "barrido": i.barrido(),
            "contactabilidad": i.contactabilidad(),
            "efectividad": i.efectividad(),
            "rendimiento": i.rendimiento(),
            "marcaciones_por_registro": i.marcaciones_por_registro(),
            "marcaciones_por_contacto": i.marcaciones_por_contacto(),
            "tmo_secs": i.tmo_secs(),
        }));
    } else {
        let pct = |r: Option<f64>| r.map_or("—".to_owned(), crate::domain::format::percent);
        let num = |r: Option<f64>| r.map_or("—".to_owned(), crate::domain::format::decimal);
        for (label, value) in [
            (
                "indicators.registros_validos",
                i.registros_validos.to_string(),
            ),
            ("indicators.gestionados", i.gestionados.to_string()),
            ("indicators.contactados", i.contactados.to_string()),
            ("indicators.positivos", i.positivos.to_string()),
            ("indicators.marcaciones", i.marcaciones.to_string()),
            ("indicators.agendados_hoy", i.agendados_hoy.to_string()),
            ("indicators.pendientes", i.pendientes.to_string()),
            ("indicators.barrido", pct(i.barrido())),
            ("indicators.contactabilidad", pct(i.contactabilidad())),
            ("indicators.efectividad", pct(i.efectividad())),
            ("indicators.rendimiento", pct(i.rendimiento())),
            (
                "indicators.marcaciones_por_registro",
                num(i.marcaciones_por_registro()),
            ),
            (
                "indicators.marcaciones_por_contacto",
                num(i.marcaciones_por_contacto()),
            ),
            (
                "indicators.tmo",
                crate::domain::tally::mmss(i.tmo_secs().map(|s| s.round() as i64)),
            ),
        ] {
            outln!("{:<30} {value}", t(label));
        }
    }
    Ok(())
}

/// `weekly --week YYYY-Www --out FILE.xlsx [--agent LOGIN]`: the week's report written to the
/// file and recorded in the archive (exported, by the command line); a summary on stdout.
pub(super) fn weekly(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    week: crate::domain::weekly::IsoWeek,
    out: &std::path::Path,
    agent: Option<&str>,
) -> Result<(), Fail> {
    use crate::domain::weekly::Delivery;
    let report = store.weekly(actor, week, agent)?;
    let settings = store.settings()?;
    let bytes = crate::report::weekly_xlsx::weekly_xlsx(&report, &settings, store.now())
        .map_err(|e| Fail(EXIT_FAILED, tf("weekly.err_xlsx", &[("detail", &e)])))?;
    write_out(out, &bytes)?;
    store.weekly_record(actor, &report, Delivery::Exportado, "", &bytes)?;
    if cli.json {
        print_json(&json!({
            "week": week.code(),
            "from": report.week.monday().format("%Y-%m-%d").to_string(),
            "to": report.week.sunday().format("%Y-%m-%d").to_string(),
            "agent": report.agent,
            "out": out.display().to_string(),
            "inbound": report.total.inbound,
            "remitted": report.total.remissions(),
            "transferred": report.total.transferred(),
            "outbound": report.total.outbound,
            "previous": {
                "inbound": report.previous.inbound,
                "outbound": report.previous.outbound,
            },
            "agents": report.agents.iter().map(|a| json!({
                "login": a.login,
                "inbound": a.figures.inbound,
                "outbound": a.figures.outbound,
            })).collect::<Vec<_>>(),
        }));
    } else {
        outln!("{}", report.title());
        for c in report.changes() {
            outln!("  {:<28} {:>8}  {}", t(c.key), format::int(c.now), c.text());
        }
        outln!("{}", tf("weekly.written", &[("path", &out.display())]));
    }
    Ok(())
}

/// Writes a file the command produced, or fails with a message that names it.
fn write_out(out: &std::path::Path, bytes: &[u8]) -> Result<(), Fail> {
    std::fs::write(out, bytes).map_err(|e| {
        Fail(
            EXIT_FAILED,
            tf(
                "weekly.err_write",
                &[("path", &out.display()), ("detail", &e)],
            ),
        )
    })
}

/// `report --campaign ID --out FILE.xlsx|.pdf|.csv`: the campaign's results report (a planned
/// campaign with no attempts gives an empty report), kept in the archive as exported.
pub(super) fn report(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    campaign: i64,
    out: &std::path::Path,
) -> Result<(), Fail> {
    use crate::domain::results::{CSV_MIME, PDF_MIME};
    use crate::domain::weekly::XLSX_MIME;
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(ext.as_str(), "xlsx" | "pdf" | "csv") {
        return Err(Fail(
            EXIT_USAGE,
            tf("cli.report_ext", &[("path", &out.display())]),
        ));
    }
    let data = store.results(actor, campaign)?;
    let settings = store.settings()?;
    let made = match ext.as_str() {
        "pdf" => crate::report::results::results_pdf(&data, &settings, store.now())
            .map(|b| (b, PDF_MIME)),
        "csv" => crate::report::results::results_csv(&data, &settings).map(|b| (b, CSV_MIME)),
        _ => crate::report::results::results_xlsx(&data, &settings).map(|b| (b, XLSX_MIME)),
    };
    let (bytes, mime) =
        made.map_err(|e| Fail(EXIT_FAILED, tf("cli.report_failed", &[("detail", &e)])))?;
    write_out(out, &bytes)?;
    store.results_archive(actor, campaign, &data.file_name(&ext), mime, &bytes)?;
    let i = &data.indicators;
    if cli.json {
        print_json(&json!({
            "campaign": campaign,
            "out": out.display().to_string(),
            "status": data.record.status.code(),
            "registros_validos": i.registros_validos,
            "gestionados": i.gestionados,
            "contactados": i.contactados,
            "positivos": i.positivos,
            "marcaciones": i.marcaciones,
            "contacts": data.contacts.len(),
        }));
    } else {
        outln!(
            "{}",
            tf("results.title_of", &[("campaign", &data.campaign)])
        );
        outln!("{}", tf("weekly.written", &[("path", &out.display())]));
    }
    Ok(())
}

/// `brief pdf --brief ID --out F` and `brief template --out F`: the brief's documents as the
/// window produces them.
pub(super) fn brief(cli: &Cli, store: &Store, actor: &Actor, cmd: &BriefCmd) -> Result<(), Fail> {
    let out = match cmd {
        BriefCmd::Pdf { brief, out } => {
            let b = store.brief(actor, *brief)?;
            let history = store.brief_history(actor, *brief)?;
            let files = store.brief_files(actor, *brief)?;
            let settings = store.settings()?;
            let bytes = crate::report::brief_pdf(&b, &history, &files, &settings, store.now())
                .map_err(|e| Fail(EXIT_FAILED, tf("cli.report_failed", &[("detail", &e)])))?;
            write_out(out, &bytes)?;
            out
        }
        BriefCmd::Template { out } => {
            let names: Vec<String> = store
                .departments()?
                .into_iter()
                .filter(|d| d.active)
                .map(|d| d.name)
                .collect();
            let bytes = crate::report::brief_xlsx::brief_template(&names)
                .map_err(|e| Fail(EXIT_FAILED, tf("cli.report_failed", &[("detail", &e)])))?;
            write_out(out, &bytes)?;
            out
        }
    };
    if cli.json {
        print_json(&json!({ "out": out.display().to_string() }));
    } else {
        outln!("{}", tf("weekly.written", &[("path", &out.display())]));
    }
    Ok(())
}

/// `interested --campaign ID [--out F.xlsx]`.
pub(super) fn interested(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    campaign: i64,
    out: Option<&std::path::Path>,
) -> Result<(), Fail> {
    let list = store.interested(actor, campaign)?;
    if let Some(path) = out {
        let bytes = crate::report::interested_xlsx::interested_xlsx(&list, &store.settings()?)
            .map_err(|e| Fail(EXIT_FAILED, e))?;
        write_out(path, &bytes)?;
    }
    if cli.json {
        print_json(&json!(list));
    } else {
        let settings = store.settings()?;
        outln!("{}", tf("interested.count", &[("n", &list.contacts.len())]));
        for c in &list.contacts {
            outln!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                format::datetime(c.at, &settings),
                c.name,
                format::phone(&c.phone),
                c.program,
                c.agent,
                c.notes
            );
        }
    }
    Ok(())
}

/// `process [--from D] [--to D]`: the process indicators.
pub(super) fn process(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> Result<(), Fail> {
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(Fail(EXIT_USAGE, crate::i18n::t("cli.err_period")));
    }
    let p = store.process_indicators(actor, from, to)?;
    let day = |d: &Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    if cli.json {
        print_json(&json!({
            "from": day(&p.from), "to": day(&p.to),
            "briefs_received": p.briefs_received, "briefs_on_time": p.briefs_on_time,
            "briefs_late": p.briefs_late, "on_time_rate": p.on_time_rate(),
            "nonconformities": p.nonconformities,
            "nonconformities_closed": p.nonconformities_closed,
            "nonconformities_open": p.nonconformities_open,
            "reports_due": p.reports_due, "reports_on_time": p.reports_on_time,
            "reports_late": p.reports_late, "reports_on_time_rate": p.reports_on_time_rate(),
            "days_late_mean": p.days_late_mean,
            "satisfaction_count": p.satisfaction_count, "satisfaction_mean": p.satisfaction_mean,
        }));
    } else {
        let pct = p.on_time_rate().map_or("—".to_owned(), format::percent);
        for (key, value) in [
            ("process.briefs_received", p.briefs_received.to_string()),
            ("process.briefs_on_time", p.briefs_on_time.to_string()),
            ("process.briefs_late", p.briefs_late.to_string()),
            ("process.on_time_rate", pct),
            ("process.nonconformities", p.nonconformities.to_string()),
            (
                "process.nonconformities_closed",
                p.nonconformities_closed.to_string(),
            ),
            (
                "process.nonconformities_open",
                p.nonconformities_open.to_string(),
            ),
        ] {
            outln!("{}: {value}", t(key));
        }
    }
    Ok(())
}

/// `nonconformity list|add|close`.
pub(super) fn nonconformity(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    cmd: &NonconformityCmd,
) -> Result<(), Fail> {
    use crate::domain::process::NonConformityForm;
    let id =
        match cmd {
            NonconformityCmd::List => {
                let list = store.nonconformities(actor)?;
                let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
                if cli.json {
                    print_json(&json!(list.iter().map(|n| json!({
                    "id": n.id, "finding": n.finding, "cause": n.cause, "action": n.action,
                    "responsible": n.responsible, "found_on": day(n.found_on),
                    "closed_on": n.closed_on.map(day), "created_by": n.created_by,
                })).collect::<Vec<_>>()));
                } else {
                    for n in &list {
                        outln!(
                            "{}\t{}\t{}\t{}\t{}",
                            n.id,
                            format::date(&n.found_on),
                            n.closed_on
                                .map(|d| format::date(&d))
                                .unwrap_or_else(|| t("process.open")),
                            n.responsible,
                            n.finding
                        );
                    }
                }
                return Ok(());
            }
            NonconformityCmd::Add {
                finding,
                responsible,
                found,
                cause,
                action,
            } => store.nonconformity_save(
                actor,
                None,
                &NonConformityForm {
                    finding: finding.clone(),
                    cause: cause.clone(),
                    action: action.clone(),
                    responsible: responsible.clone(),
                    found_on: found.clone(),
                    closed_on: String::new(),
                },
            )?,
            NonconformityCmd::Close {
                id,
                closed,
                cause,
                action,
            } => {
                let old = store
                    .nonconformities(actor)?
                    .into_iter()
                    .find(|n| n.id == *id)
                    .ok_or_else(|| Fail(EXIT_FAILED, t("process.err_gone")))?;
                let mut form = NonConformityForm::of(&old);
                form.closed_on = closed.clone();
                if let Some(c) = cause {
                    form.cause = c.clone();
                }
                if let Some(a) = action {
                    form.action = a.clone();
                }
                store.nonconformity_save(actor, Some(*id), &form)?
            }
        };
    if cli.json {
        print_json(&json!({ "id": id }));
    } else {
        outln!("{}", tf("process.saved", &[("id", &id)]));
    }
    Ok(())
}

/// `conversion --campaign ID`: the campaign's real conversion, in total, per agent and per
/// program.
pub(super) fn conversion(
    cli: &Cli,
    store: &Store,
    actor: &Actor,
    campaign: i64,
) -> Result<(), Fail> {
    let c = store.conversion(actor, campaign)?;
    if cli.json {
        let line = |l: &crate::domain::enrolment::ConversionLine| {
            json!({
                "name": l.name, "records": l.records, "reached": l.reached, "positive": l.positive,
                "converted": l.converted, "enrolled": l.enrolled,
                "converted_positive": l.converted_positive,
                "conversion": l.conversion(), "positive_conversion": l.positive_conversion(),
            })
        };
        print_json(&json!({
            "campaign_id": c.campaign_id,
            "lists": c.lists,
            "total": line(&c.total),
            "by_agent": c.by_agent.iter().map(line).collect::<Vec<_>>(),
            "by_program": c.by_program.iter().map(line).collect::<Vec<_>>(),
        }));
        return Ok(());
    }
    if c.lists == 0 {
        outln!("{}", t("enrolment.no_lists"));
    }
    let pct = |r: Option<f64>| r.map_or("—".to_owned(), format::percent);
    outln!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        t("enrolment.col_name"),
        t("indicators.registros_validos"),
        t("indicators.contactados"),
        t("indicators.positivos"),
        t("enrolment.col_converted"),
        t("enrolment.col_enrolled"),
        t("enrolment.col_conversion"),
        t("enrolment.col_positive_conversion")
    );
    let row = |l: &crate::domain::enrolment::ConversionLine, blank: &str| {
        outln!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            if l.name.is_empty() { blank } else { &l.name },
            l.records,
            l.reached,
            l.positive,
            l.converted,
            l.enrolled,
            pct(l.conversion()),
            pct(l.positive_conversion())
        );
    };
    row(&c.total, &t("enrolment.total"));
    outln!("{}", t("enrolment.by_agent"));
    for l in &c.by_agent {
        row(l, &t("enrolment.no_agent"));
    }
    outln!("{}", t("enrolment.by_program"));
    for l in &c.by_program {
        row(l, &t("enrolment.no_program"));
    }
    Ok(())
}
