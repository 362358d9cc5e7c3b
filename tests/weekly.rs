//! The weekly consolidated report: its figures equal direct counts (every row read one at a
//! time, the obvious way) on a database with inbound calls (inserted with SQL) and outbound
//! attempts (recorded through `call_record` at their own instants), across two weeks, for
//! everyone and per person; who may see and record what; the XLSX read back with calamine; the
//! archive and the outbox; the command line; and the Consolidado tab in the window.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use common::{NOW, PW, actor, click, fill, log_in, visible, visible_containing, wait_until};
use egui_kittest::kittest::NodeT;
use telemercadeo::domain::contact::{ImportCounts, NewContact};
use telemercadeo::domain::distribution::{DistributionPlan, Order};
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::script::ScriptContent;
use telemercadeo::domain::weekly::{Delivery, Figures, IsoWeek, Weekly};
use telemercadeo::domain::{Actor, NewUser, ProgramKind, Role, TestClock};
use telemercadeo::i18n::{Lang, with_lang};
use telemercadeo::store::calls::Outcome;
use telemercadeo::store::{Error, Store, Target};

/// Monday 23 November 2026, 00:00 in Bogotá (UTC−5): the start of 2026-W48, UTC seconds.
const W48: i64 = 1_795_410_000;
const WEEK: i64 = 7 * 86_400;

/// The head, a professional (`lgomez`), two agents (`aperez`, `cruiz`), on a file database.
fn people(target: &Target, clock: &TestClock) -> Store {
    let store = Store::open_with_clock(target, Arc::new(clock.clone())).expect("store");
    store
        .create_first_head("María Castro", "mcastro", PW, PW)
        .expect("head");
    let cli = Actor::cli();
    for (login, name, role) in [
        ("lgomez", "Laura Gómez", Role::Profesional),
        ("aperez", "Andrés Pérez", Role::Auxiliar),
        ("cruiz", "Camila Ruiz", Role::Auxiliar),
    ] {
        store
            .add_user(
                &cli,
                &NewUser {
                    login: login.into(),
                    name: name.into(),
                    role: Some(role),
                    department_id: None,
                },
                PW,
                PW,
            )
            .expect("user");
    }
    store
}

/// A started campaign named `name` whose `n` contacts all go to `agent`; their ids.
fn campaign(store: &Store, dept: i64, name: &str, agent: &str, n: usize) -> (i64, Vec<i64>) {
    let cli = Actor::cli();
    let c = store
        .campaign_create_cli(
            &cli,
            name,
            dept,
            CampaignKind::Inscripciones,
            "10/12/2026",
            "20/12/2026",
        )
        .expect("campaign");
    let mut content = ScriptContent::default();
    content.sections[3].text = "Hay inscripciones abiertas para {programa}.".into();
    store
        .script_publish(&cli, c.script_id.expect("script"), &content)
        .expect("published");
    let batch = store
        .import_begin(&cli, c.id, "base.csv", "csv", &Default::default())
        .expect("batch");
    let offset = if agent == "aperez" { 0 } else { 1000 };
    let contacts: Vec<NewContact> = (0..n)
        .map(|i| NewContact {
            source_row: i as i64 + 2,
            name: format!("Persona {i}"),
            phone: 573_000_000_000 + (offset + i) as u64,
            ..Default::default()
        })
        .collect();
    store
        .import_chunk(batch, c.id, &contacts, &[])
        .expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: n as i64,
                imported: n as i64,
                ..Default::default()
            },
            &[],
        )
        .expect("commit");
    store
        .distribute(
            &cli,
            c.id,
            &DistributionPlan {
                agents: vec![agent.to_owned()],
                weights: Vec::new(),
                order: Order::Blocks,
            },
        )
        .expect("distributed");
    store
        .campaign_set_status(&cli, c.id, CampaignStatus::Activa)
        .expect("started");
    let ids = store
        .contacts_page(c.id, &Default::default(), None, 0, 1000)
        .expect("page")
        .iter()
        .map(|r| r.id)
        .collect();
    (c.id, ids)
}

/// A deterministic sequence (no dependency on a random crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

struct World {
    _dir: tempfile::TempDir,
    db: PathBuf,
    store: Store,
    clock: TestClock,
}

/// The world: two weeks (and a bit either side) of inbound calls and outbound attempts, with
/// calls at the very edges of 2026-W48.
fn world() -> World {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("w.sqlite3");
    let clock = TestClock::at(W48 - WEEK - 86_400);
    let store = people(&Target::Sqlite(db.clone()), &clock);
    let cli = Actor::cli();
    let posgrados = store
        .add_department(&cli, "Dirección de Posgrados")
        .expect("dept");
    let bienestar = store.add_department(&cli, "Bienestar").expect("dept");
    let psico = store
        .add_program(
            &cli,
            "Psicología",
            ProgramKind::Programa,
            Some(posgrados.id),
        )
        .expect("program");
    let biblio = store
        .add_program(&cli, "Biblioteca", ProgramKind::Servicio, None)
        .expect("program");
    let sql = rusqlite::Connection::open(&db).expect("sql");
    // A program whose name Excel would read as a formula.
    sql.execute(
        "INSERT INTO programs (name, name_key, kind, created_at) VALUES ('=1+1 Maestría', '=1+1 maestria', 'programa', 0)",
        [],
    )
    .expect("formula program");
    let formula: i64 = sql.last_insert_rowid();
    let id = |login: &str| actor(&store, login).user_id().expect("user");
    let takers = [
        Some(id("aperez")),
        Some(id("cruiz")),
        Some(id("lgomez")),
        None,
    ];
    let channels = ["telefono", "whatsapp", "correo", "presencial", "chat"];
    let kinds = ["programa", "servicio", "otra_dependencia"];
    let results = ["informado", "remitido", "transferida"];
    let followups = [
        None,
        Some("pendiente"),
        Some("contactado_gestor"),
        Some("inscrito"),
        Some("descartado"),
    ];
    let programs = [Some(psico.id), Some(biblio.id), Some(formula), None];
    let depts = [Some(posgrados.id), Some(bienestar.id), None];
    let mut rng = Lcg(48);
    let mut times: Vec<i64> = (0..160)
        .map(|_| W48 - WEEK - 86_400 + rng.next((2 * WEEK + 2 * 86_400) as usize) as i64)
        .collect();
    times.extend([W48, W48 - 1, W48 + WEEK, W48 + WEEK - 1, W48 - WEEK]);
    for (n, at) in times.iter().enumerate() {
        let result = results[rng.next(3)];
        let dept = depts[rng.next(3)];
        sql.execute(
            "INSERT INTO inbound_calls (uuid, received_at, taken_by, caller_name, phone, program_id, department_id, kind, redirected_to, channel, result, followup_status)
             VALUES (?1, ?2, ?3, 'Persona', '+573001234567', ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            rusqlite::params![
                format!("in-{n}"),
                at,
                takers[rng.next(4)],
                programs[rng.next(4)],
                dept,
                kinds[rng.next(3)],
                (dept.is_none() && result == "transferida").then_some("Extensión 4455"),
                channels[rng.next(5)],
                result,
                if result == "remitido" {
                    followups[rng.next(5)]
                } else {
                    None
                },
            ],
        )
        .expect("inbound");
    }
    // Outbound: one attempt per contact, at its own instant, in both weeks.
    let (a, a_ids) = campaign(&store, posgrados.id, "Inscripciones 2027-1", "aperez", 14);
    let (b, b_ids) = campaign(&store, bienestar.id, "Encuesta de egresados", "cruiz", 14);
    let outcomes = [
        "no_contesta",
        "interesado",
        "buzon",
        "no_interesado",
        "ocupado",
    ];
    for (c, login, ids) in [(a, "aperez", &a_ids), (b, "cruiz", &b_ids)] {
        for (i, contact) in ids.iter().enumerate() {
            let at = W48 - WEEK
                + (i as i64 * 86_400) % (2 * WEEK)
                + 13 * 3600
                + rng.next(8) as i64 * 1800;
            clock.set(at);
            let outcome = outcomes[rng.next(outcomes.len())];
            store
                .call_record(
                    &Actor::cli(),
                    login,
                    c,
                    *contact,
                    &Outcome {
                        key_or_code: outcome,
                        reason: (outcome == "no_interesado").then_some("precio"),
                        duration_secs: 60,
                        ..Outcome::default()
                    },
                )
                .unwrap_or_else(|e| panic!("{login} {outcome}: {e}"));
        }
    }
    // An attempt exactly at the start of the week after: not in W48.
    clock.set(W48 + WEEK);
    store
        .call_record(
            &Actor::cli(),
            "aperez",
            a,
            a_ids[0],
            &Outcome {
                key_or_code: "no_contesta",
                duration_secs: 10,
                ..Outcome::default()
            },
        )
        .expect("edge attempt");
    clock.set(NOW);
    World {
        _dir: dir,
        db,
        store,
        clock,
    }
}

/// Figures as `dimension:key → n`, zeros left out: what the store says.
fn canon(f: &Figures) -> BTreeMap<String, i64> {
    let mut m = BTreeMap::new();
    let mut put = |k: String, n: i64| {
        if n != 0 {
            *m.entry(k).or_insert(0) += n;
        }
    };
    put("inbound".into(), f.inbound);
    put("outbound".into(), f.outbound);
    for (c, n) in &f.by_channel {
        put(format!("channel:{}", c.code()), *n);
    }
    for (c, n) in &f.by_asked {
        put(format!("asked:{}", c.code()), *n);
    }
    for (c, n) in &f.by_result {
        put(format!("result:{}", c.code()), *n);
    }
    for (c, n) in &f.by_followup {
        put(format!("followup:{}", c.code()), *n);
    }
    for x in &f.by_program {
        put(format!("program:{}", x.name), x.n);
    }
    for x in &f.transfers {
        put(format!("transfer:{}", x.name), x.n);
    }
    for x in &f.by_campaign {
        put(format!("campaign:{}", x.name), x.n);
    }
    for x in &f.by_outcome {
        put(format!("outcome:{}", x.name), x.n);
    }
    for (h, n) in f.by_hour.iter().enumerate() {
        put(format!("hour:{h}"), *n);
    }
    m
}

/// The same, counted straight from the tables one row at a time, for `[start, start + WEEK)`
/// and one user (`Some(None)`: calls of nobody; `None`: everyone).
fn direct(db: &Path, start: i64, who: Option<Option<i64>>) -> BTreeMap<String, i64> {
    let sql = rusqlite::Connection::open(db).expect("sql");
    let mut m: BTreeMap<String, i64> = BTreeMap::new();
    let mut put = |k: String| *m.entry(k).or_insert(0) += 1;
    // Bogotá has no summer time: the local hour is UTC − 5 h.
    let hour = |ts: i64| (ts - 5 * 3600).rem_euclid(86_400) / 3600;
    let mut q = sql
        .prepare(
            "SELECT i.taken_by, i.received_at, i.channel, i.kind, i.result, i.followup_status, p.name, d.name, i.redirected_to
             FROM inbound_calls i LEFT JOIN programs p ON p.id = i.program_id LEFT JOIN departments d ON d.id = i.department_id",
        )
        .expect("prepare");
    let rows = q
        .query_map([], |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })
        .expect("rows");
    for row in rows {
        let (taken, at, channel, kind, result, followup, program, dept, redirected) =
            row.expect("row");
        if at < start || at >= start + WEEK || who.is_some_and(|w| w != taken) {
            continue;
        }
        put("inbound".into());
        put(format!("channel:{channel}"));
        put(format!("asked:{kind}"));
        put(format!("result:{result}"));
        put(format!("program:{}", program.unwrap_or_default()));
        if result == "remitido" {
            put(format!(
                "followup:{}",
                followup.unwrap_or_else(|| "pendiente".into())
            ));
        }
        if result == "transferida" {
            put(format!(
                "transfer:{}",
                dept.or(redirected).unwrap_or_default()
            ));
        }
        put(format!("hour:{}", hour(at)));
    }
    let mut q = sql
        .prepare(
            "SELECT a.agent_id, a.started_at, c.name, d.name FROM call_attempts a
             JOIN campaigns c ON c.id = a.campaign_id JOIN dispositions d ON d.id = a.disposition_id",
        )
        .expect("prepare");
    let rows = q
        .query_map([], |r| {
            Ok((
                r.get::<_, Option<i64>>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .expect("rows");
    for row in rows {
        let (agent, at, campaign, outcome) = row.expect("row");
        if at < start || at >= start + WEEK || who.is_some_and(|w| w != agent) {
            continue;
        }
        put("outbound".into());
        put(format!("campaign:{campaign}"));
        put(format!("outcome:{outcome}"));
        put(format!("hour:{}", hour(at)));
    }
    m
}

fn week48() -> IsoWeek {
    IsoWeek::parse("2026-W48").expect("week")
}

#[test]
fn the_weekly_figures_equal_direct_counts_for_everyone_each_person_and_the_week_before() {
    let w = world();
    let head = actor(&w.store, "mcastro");
    let report = w.store.weekly(&head, week48(), None).expect("weekly");
    assert_eq!(report.week, week48());
    assert_eq!(report.agent, None);
    let total = direct(&w.db, W48, None);
    assert!(total["inbound"] > 40, "a real week: {total:?}");
    assert!(total["outbound"] > 5, "{total:?}");
    assert!(total.contains_key("transfer:Extensión 4455"), "{total:?}");
    assert!(total.contains_key("program:=1+1 Maestría"), "{total:?}");
    assert_eq!(canon(&report.total), total);
    // The week before, for the change.
    assert_eq!(canon(&report.previous), direct(&w.db, W48 - WEEK, None));
    let changes = report.changes();
    assert_eq!(changes[0].now, total["inbound"]);
    assert_eq!(
        changes[0].before,
        direct(&w.db, W48 - WEEK, None)["inbound"]
    );
    // Everyone with calls, the professional included, each equal to their own direct count;
    // the totals hold also the calls of nobody.
    let logins: Vec<&str> = report.agents.iter().map(|a| a.login.as_str()).collect();
    assert_eq!(logins, ["aperez", "cruiz", "lgomez"]);
    let mut sum = Figures::default();
    for a in &report.agents {
        let id = actor(&w.store, &a.login).user_id();
        assert_eq!(
            canon(&a.figures),
            direct(&w.db, W48, Some(id)),
            "{}",
            a.login
        );
        sum.add(&a.figures);
    }
    let nobody = direct(&w.db, W48, Some(None));
    assert!(nobody["inbound"] > 0);
    assert_eq!(sum.inbound + nobody["inbound"], report.total.inbound);
    assert_eq!(
        report
            .agents
            .iter()
            .find(|a| a.login == "lgomez")
            .map(|a| a.role),
        Some(Role::Profesional)
    );
    // The busiest hours, busiest first, hold every call once.
    let busiest = report.total.busiest_hours();
    assert!(busiest.windows(2).all(|p| p[0].1 >= p[1].1), "{busiest:?}");
    assert_eq!(
        busiest.iter().map(|(_, n)| n).sum::<i64>(),
        report.total.calls()
    );
}

#[test]
fn an_agent_sees_only_its_own_week_and_the_head_may_ask_for_one_person() {
    let w = world();
    let head = actor(&w.store, "mcastro");
    let agent = actor(&w.store, "aperez");
    let own = direct(&w.db, W48, Some(agent.user_id()));
    let mine = w.store.weekly(&agent, week48(), None).expect("own");
    assert_eq!(mine.agent.as_deref(), Some("aperez"));
    assert_eq!(canon(&mine.total), own);
    assert_eq!(
        canon(&mine.previous),
        direct(&w.db, W48 - WEEK, Some(agent.user_id()))
    );
    assert_eq!(mine.agents.len(), 1);
    assert_eq!(
        canon(
            &w.store
                .weekly(&agent, week48(), Some("aperez"))
                .expect("named")
                .total
        ),
        own
    );
    assert!(matches!(
        w.store.weekly(&agent, week48(), Some("cruiz")),
        Err(Error::Forbidden(_))
    ));
    let asked = w
        .store
        .weekly(&head, week48(), Some("aperez"))
        .expect("head asks");
    assert_eq!(canon(&asked.total), own);
    assert!(matches!(
        w.store.weekly(&head, week48(), Some("nadie")),
        Err(Error::NotFound(_))
    ));
    // A requester has no weekly report.
    let cli = Actor::cli();
    let dept = w.store.departments().expect("depts")[0].id;
    w.store
        .add_user(
            &cli,
            &NewUser {
                login: "posgrados".into(),
                name: "Sandra Torres".into(),
                role: Some(Role::Solicitante),
                department_id: Some(dept),
            },
            PW,
            PW,
        )
        .expect("user");
    let requester = actor(&w.store, "posgrados");
    assert!(matches!(
        w.store.weekly(&requester, week48(), None),
        Err(Error::Forbidden(_))
    ));
    // A week without calls: zeros, the person still named.
    let empty = w
        .store
        .weekly(&agent, IsoWeek::parse("2027-W10").expect("week"), None)
        .expect("empty");
    assert_eq!(empty.total.calls(), 0);
    assert_eq!(empty.agents.len(), 1);
}

/// A sheet's rows as text and numbers.
fn sheet(book: &mut Xlsx<std::io::Cursor<Vec<u8>>>, name: &str) -> Vec<Vec<Data>> {
    let range = book.worksheet_range(name).expect(name);
    range.rows().map(|r| r.to_vec()).collect()
}

fn total_lines(rows: &[Vec<Data>]) -> BTreeMap<String, f64> {
    rows.iter()
        .filter(|r| r[0] == Data::String("Total".into()))
        .map(|r| {
            let n = match &r[2] {
                Data::Float(f) => *f,
                other => panic!("a count is a number: {other:?}"),
            };
            (r[1].to_string(), n)
        })
        .collect()
}

#[test]
fn the_xlsx_read_back_holds_the_figures() {
    let w = world();
    let head = actor(&w.store, "mcastro");
    let report = w.store.weekly(&head, week48(), None).expect("weekly");
    let settings = w.store.settings().expect("settings");
    let bytes = with_lang(Lang::Es, || {
        telemercadeo::report::weekly_xlsx::weekly_xlsx(&report, &settings, NOW)
    })
    .expect("xlsx");
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "Resumen",
            "Canal",
            "Programa",
            "Motivo",
            "Resultado",
            "Remisiones",
            "Traslados por dependencia",
            "Campañas",
            "Resultados salientes",
            "Horas"
        ]
    );
    let summary = sheet(&mut book, "Resumen");
    assert_eq!(
        summary[0][0],
        Data::String("Consolidado semanal — Semana del 23 al 29 nov. 2026".into())
    );
    assert_eq!(summary[1][1], Data::String("2026-W48".into()));
    let line = |label: &str| {
        summary
            .iter()
            .find(|r| r[0] == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label}"))
            .clone()
    };
    let inbound = line("Llamadas entrantes");
    assert_eq!(inbound[1], Data::Float(report.total.inbound as f64));
    assert_eq!(inbound[2], Data::Float(report.previous.inbound as f64));
    assert_eq!(
        inbound[3],
        Data::Float((report.total.inbound - report.previous.inbound) as f64)
    );
    assert_eq!(
        line("Llamadas salientes")[1],
        Data::Float(report.total.outbound as f64)
    );
    with_lang(Lang::Es, || {
        assert_eq!(
            line("Andrés Pérez")[1],
            Data::String(Role::Auxiliar.label())
        );
        assert_eq!(
            line("Laura Gómez")[1],
            Data::String(Role::Profesional.label())
        );
    });
    // Every table's total lines equal the direct counts.
    let total = direct(&w.db, W48, None);
    let channels = total_lines(&sheet(&mut book, "Canal"));
    assert_eq!(channels["WhatsApp"], total["channel:whatsapp"] as f64);
    assert_eq!(
        channels.values().sum::<f64>(),
        total["inbound"] as f64,
        "{channels:?}"
    );
    let programs = total_lines(&sheet(&mut book, "Programa"));
    assert_eq!(programs["Psicología"], total["program:Psicología"] as f64);
    // A name that starts like a formula stays text, neutralised.
    assert_eq!(
        programs["'=1+1 Maestría"],
        total["program:=1+1 Maestría"] as f64
    );
    assert_eq!(
        programs.get("(sin indicar)").copied().unwrap_or(0.0),
        total.get("program:").copied().unwrap_or(0) as f64
    );
    let transfers = total_lines(&sheet(&mut book, "Traslados por dependencia"));
    assert_eq!(
        transfers.values().sum::<f64>(),
        total["result:transferida"] as f64
    );
    let outcomes = total_lines(&sheet(&mut book, "Resultados salientes"));
    assert_eq!(outcomes.values().sum::<f64>(), total["outbound"] as f64);
    let campaigns = total_lines(&sheet(&mut book, "Campañas"));
    assert_eq!(
        campaigns.get("Inscripciones 2027-1").copied(),
        total
            .get("campaign:Inscripciones 2027-1")
            .map(|n| *n as f64)
    );
    let hours = total_lines(&sheet(&mut book, "Horas"));
    for (h, n) in report.total.by_hour.iter().enumerate() {
        if *n > 0 {
            let label = telemercadeo::report::weekly_xlsx::hour_label(h as u32);
            assert_eq!(hours[&label], *n as f64, "{label}");
            assert_eq!(total[&format!("hour:{h}")], *n);
        }
    }
    // Per person lines too.
    let followup = sheet(&mut book, "Remisiones");
    let cruiz: f64 = followup
        .iter()
        .filter(|r| r[0] == Data::String("Camila Ruiz".into()))
        .map(|r| match r[2] {
            Data::Float(f) => f,
            _ => panic!("number"),
        })
        .sum();
    let cruiz_direct = direct(&w.db, W48, Some(actor(&w.store, "cruiz").user_id()));
    assert_eq!(
        cruiz,
        cruiz_direct.get("result:remitido").copied().unwrap_or(0) as f64
    );
}

#[test]
fn reports_are_archived_sent_through_the_outbox_or_handed_over() {
    let w = world();
    let head = actor(&w.store, "mcastro");
    let prof = actor(&w.store, "lgomez");
    let agent = actor(&w.store, "aperez");
    let report = w.store.weekly(&prof, week48(), None).expect("weekly");
    let settings = w.store.settings().expect("settings");
    let bytes =
        telemercadeo::report::weekly_xlsx::weekly_xlsx(&report, &settings, NOW).expect("xlsx");
    // Bad recipients are refused, nothing recorded.
    for bad in ["", "jefe", "jefe@", "a b@u.co"] {
        assert!(
            matches!(
                w.store
                    .weekly_record(&prof, &report, Delivery::Correo, bad, &bytes),
                Err(Error::Invalid(_))
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        w.store
            .weekly_record(&prof, &report, Delivery::AMano, "  ", &bytes),
        Err(Error::Invalid(_))
    ));
    assert!(
        w.store
            .weekly_record(&prof, &report, Delivery::Exportado, "", &[])
            .is_err()
    );
    assert!(
        w.store
            .weekly_records(&head, week48())
            .expect("records")
            .is_empty()
    );
    // Sent: queued to the head with the file attached, in the same transaction as the record.
    w.clock.set(NOW + 60);
    let sent = w
        .store
        .weekly_record(
            &prof,
            &report,
            Delivery::Correo,
            " jefe@universidad.edu.co ",
            &bytes,
        )
        .expect("sent");
    assert_eq!(sent.kind, "consolidado_semanal");
    assert_eq!(sent.period, "2026-W48");
    assert_eq!(sent.recipient, "jefe@universidad.edu.co");
    assert_eq!(sent.created_by, "lgomez");
    assert_eq!(sent.file_name, "consolidado-2026-W48.xlsx");
    assert_eq!(sent.size, bytes.len() as i64);
    let sql = rusqlite::Connection::open(&w.db).expect("sql");
    let (to, kind, status, subject, blob, outbox_id): (
        String,
        String,
        String,
        String,
        Vec<u8>,
        i64,
    ) = sql
        .query_row(
            "SELECT o.to_addr, o.kind, o.status, o.subject, b.content, o.id FROM outbox o
             JOIN outbox_attachments a ON a.outbox_id = o.id JOIN blobs b ON b.id = a.blob_id",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .expect("one message with its attachment");
    assert_eq!(
        (to.as_str(), kind.as_str(), status.as_str()),
        ("jefe@universidad.edu.co", "consolidado", "pendiente")
    );
    assert!(subject.contains("2026"), "{subject}");
    assert_eq!(blob, bytes);
    let (content, linked, delivery): (Vec<u8>, i64, String) = sql
        .query_row(
            "SELECT content, outbox_id, delivery FROM archived_records WHERE id = ?1",
            [sent.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("archived");
    assert_eq!(
        (content, linked, delivery.as_str()),
        (bytes.clone(), outbox_id, "correo")
    );
    // Handed over, and exported: recorded, no message.
    w.clock.set(NOW + 120);
    w.store
        .weekly_record(&head, &report, Delivery::AMano, "María Castro", &bytes)
        .expect("by hand");
    w.clock.set(NOW + 180);
    w.store
        .weekly_record(&head, &report, Delivery::Exportado, "", &bytes)
        .expect("exported");
    let n: i64 = sql
        .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
    let audited: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'weekly.record' AND entity = 'archived_record'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 3);
    let listed: Vec<Option<Delivery>> = w
        .store
        .weekly_records(&head, week48())
        .expect("records")
        .iter()
        .map(|r| r.delivery)
        .collect();
    assert_eq!(
        listed,
        [
            Some(Delivery::Exportado),
            Some(Delivery::AMano),
            Some(Delivery::Correo)
        ]
    );
    // An agent records only its own report, and lists only its own records.
    assert!(matches!(
        w.store
            .weekly_record(&agent, &report, Delivery::Exportado, "", &bytes),
        Err(Error::Forbidden(_))
    ));
    let own = w.store.weekly(&agent, week48(), None).expect("own");
    let own_bytes =
        telemercadeo::report::weekly_xlsx::weekly_xlsx(&own, &settings, NOW).expect("xlsx");
    let r = w
        .store
        .weekly_record(&agent, &own, Delivery::Exportado, "", &own_bytes)
        .expect("own export");
    assert_eq!(r.kind, "reporte_agente");
    assert_eq!(r.file_name, "reporte-aperez-2026-W48.xlsx");
    assert!(r.title.contains("Andrés Pérez"), "{}", r.title);
    let mine = w.store.weekly_records(&agent, week48()).expect("mine");
    assert_eq!(mine.iter().map(|r| r.id).collect::<Vec<_>>(), [r.id]);
    assert_eq!(
        w.store.weekly_records(&head, week48()).expect("all").len(),
        4
    );
    // A report of someone else's, forged by the agent, is refused.
    let forged = Weekly {
        agent: Some("cruiz".into()),
        ..own.clone()
    };
    assert!(matches!(
        w.store
            .weekly_record(&agent, &forged, Delivery::Exportado, "", &own_bytes),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn the_head_email_is_a_setting_checked_when_saved() {
    let w = world();
    let head = actor(&w.store, "mcastro");
    let mut s = w.store.settings().expect("settings");
    assert_eq!(s.head_email, "");
    s.head_email = "no es correo".into();
    assert!(matches!(
        w.store.save_settings(&head, &s),
        Err(Error::Invalid(_))
    ));
    s.head_email = "jefe@universidad.edu.co".into();
    w.store.save_settings(&head, &s).expect("saved");
    assert_eq!(
        w.store.weekly_head(&head).expect("head"),
        (
            "María Castro".to_owned(),
            "jefe@universidad.edu.co".to_owned()
        )
    );
}

fn cli(db: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .env_remove("TELEMERCADEO_DB")
        .env("USER", "prueba")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run")
}

#[test]
fn the_command_line_writes_the_week_and_records_it() {
    let w = world();
    let out = w.db.with_file_name("semana.xlsx");
    let o = cli(
        &w.db,
        &[
            "--json",
            "weekly",
            "--week",
            "2026-W48",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let total = direct(&w.db, W48, None);
    assert_eq!(v["week"], "2026-W48");
    assert_eq!(v["from"], "2026-11-23");
    assert_eq!(v["inbound"], total["inbound"]);
    assert_eq!(v["outbound"], total["outbound"]);
    let mut book =
        Xlsx::new(std::io::Cursor::new(std::fs::read(&out).expect("file"))).expect("xlsx");
    assert_eq!(book.sheet_names()[0], "Resumen");
    let _ = sheet(&mut book, "Resumen");
    // An agent's own report.
    let own = w.db.with_file_name("aperez.xlsx");
    let o = cli(
        &w.db,
        &[
            "weekly",
            "--week",
            "2026-w48",
            "--out",
            own.to_str().expect("path"),
            "--agent",
            "aperez",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Andrés Pérez"));
    let sql = rusqlite::Connection::open(&w.db).expect("sql");
    let kinds: Vec<(String, String, String)> = sql
        .prepare("SELECT kind, created_by, delivery FROM archived_records ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "consolidado_semanal".into(),
                "cli:prueba".into(),
                "exportado".into()
            ),
            (
                "reporte_agente".into(),
                "cli:prueba".into(),
                "exportado".into()
            )
        ]
    );
    // Usage errors: exit 2; an unknown agent or an unwritable file: exit 1, nothing recorded.
    for week in ["2026-W54", "2027-W53", "2026-48", "semana"] {
        let o = cli(&w.db, &["weekly", "--week", week, "--out", "x.xlsx"]);
        assert_eq!(o.status.code(), Some(2), "{week}");
    }
    let o = cli(&w.db, &["weekly", "--week", "2026-W48"]);
    assert_eq!(o.status.code(), Some(2));
    let o = cli(
        &w.db,
        &[
            "weekly",
            "--week",
            "2026-W48",
            "--out",
            out.to_str().expect("p"),
            "--agent",
            "nadie",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let o = cli(
        &w.db,
        &[
            "weekly",
            "--week",
            "2026-W48",
            "--out",
            "/no/such/dir/x.xlsx",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/dir/x.xlsx"));
    let n: i64 = sql
        .query_row("SELECT COUNT(*) FROM archived_records", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 2);
}

/// Where the test dialog saves the export.
fn export_path() -> PathBuf {
    std::env::temp_dir().join(format!("consolidado-kittest-{}.xlsx", std::process::id()))
}

fn save_here(
    _: &telemercadeo::ui::files::Request,
) -> Result<Option<PathBuf>, telemercadeo::ui::files::Unavailable> {
    Ok(Some(export_path()))
}

#[test]
fn the_consolidado_tab_shows_the_week_exports_and_sends_it() {
    let w = world();
    let mut h = common::app(w.store.clone());
    log_in(&mut h, "lgomez");
    click(&mut h, "Consolidado");
    wait_until(&mut h, "the week's figures", |h| {
        visible(h, "Llamadas entrantes")
    });
    assert!(visible(&h, "Semana del 23 al 29 nov. 2026"));
    let total = direct(&w.db, W48, None);
    // The change against the previous week and the people.
    assert!(visible(&h, &total["inbound"].to_string()));
    let label =
        |name: &str, role: Role| with_lang(Lang::Es, || format!("{name} · {}", role.label()));
    assert!(visible(&h, &label("Andrés Pérez", Role::Auxiliar)));
    assert!(visible(&h, &label("Laura Gómez", Role::Profesional)));
    assert!(visible_containing(&h, "Horas de más llamadas"));
    // Exported through the (test) dialog: the file and its record.
    let _ = std::fs::remove_file(export_path());
    h.state_mut().dialog = save_here;
    click(&mut h, "Exportar XLSX");
    let bytes = std::fs::read(export_path()).expect("exported");
    let book = Xlsx::new(std::io::Cursor::new(bytes)).expect("xlsx");
    assert_eq!(book.sheet_names()[0], "Resumen");
    let _ = std::fs::remove_file(export_path());
    assert!(visible(&h, "Exportado"));
    // Sent to the head: refused without an address, then queued.
    click(&mut h, "Enviar a jefatura");
    assert!(visible_containing(&h, "Escriba el correo de la jefatura"));
    fill(&mut h, "Correo de la jefatura", "jefe@universidad.edu.co");
    click(&mut h, "Enviar a jefatura");
    assert!(visible(&h, "Enviado por correo"));
    let sql = rusqlite::Connection::open(&w.db).expect("sql");
    let to: String = sql
        .query_row(
            "SELECT to_addr FROM outbox WHERE kind = 'consolidado'",
            [],
            |r| r.get(0),
        )
        .expect("queued");
    assert_eq!(to, "jefe@universidad.edu.co");
    // The week before.
    click(&mut h, "◀ Semana anterior");
    wait_until(&mut h, "the previous week", |h| {
        visible(h, "Semana del 16 al 22 nov. 2026")
    });
    assert!(!visible(&h, "Enviado por correo"));
}

#[test]
fn an_agent_sees_and_exports_only_its_own_report() {
    let w = world();
    let mut h = common::app(w.store.clone());
    log_in(&mut h, "aperez");
    click(&mut h, "Consolidado");
    wait_until(&mut h, "the agent's figures", |h| {
        visible(h, "Llamadas entrantes")
    });
    assert!(!visible(&h, "Persona"), "no person picker for an agent");
    assert!(!visible_containing(&h, "Camila Ruiz"));
    let own = direct(&w.db, W48, Some(actor(&w.store, "aperez").user_id()));
    assert!(visible(&h, &own["inbound"].to_string()));
    click(&mut h, "Entregado a mano");
    // The head's name is proposed as who received it.
    assert!(visible(&h, "Entregado a mano"));
    let sql = rusqlite::Connection::open(&w.db).expect("sql");
    let (kind, to): (String, String) = sql
        .query_row("SELECT kind, recipient FROM archived_records", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("recorded");
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("reporte_agente", "María Castro")
    );
}

#[test]
fn the_head_sets_the_heads_email_in_configuracion() {
    let w = world();
    let mut h = common::app(w.store.clone());
    log_in(&mut h, "mcastro");
    click(&mut h, "Configuración");
    assert!(!visible(&h, "Correo de la jefatura"), "folded at first");
    click(&mut h, "Reporte semanal");
    fill(&mut h, "Correo de la jefatura", "jefatura");
    click(&mut h, "Guardar cambios");
    assert!(visible_containing(
        &h,
        "Escriba una dirección de correo válida"
    ));
    assert_eq!(w.store.settings().expect("settings").head_email, "");
    fill(&mut h, "Correo de la jefatura", "jefe@universidad.edu.co");
    click(&mut h, "Guardar cambios");
    assert_eq!(
        w.store.settings().expect("settings").head_email,
        "jefe@universidad.edu.co"
    );
    // The Consolidado tab proposes it.
    click(&mut h, "Consolidado");
    wait_until(&mut h, "the week", |h| visible(h, "Llamadas entrantes"));
    assert_eq!(
        common::input(&h, "Correo de la jefatura")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("jefe@universidad.edu.co")
    );
}
