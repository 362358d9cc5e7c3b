//! Seguimiento (the live tally), the distributions it lists, and the strategy frozen once its
//! campaign runs: in the store with the test clock, and in the window with egui_kittest.

mod common;

use std::sync::Arc;

use common::{NOW, PW, actor, click, fill, log_in, visible, visible_containing, wait_until};
use telemercadeo::domain::contact::{ImportCounts, NewContact};
use telemercadeo::domain::distribution::{DistributionPlan, Order};
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::script::ScriptContent;
use telemercadeo::domain::strategy::{Priority, StrategyForm};
use telemercadeo::domain::tally::{DistributionKind, Figures};
use telemercadeo::domain::{Actor, NewUser, Role, TestClock};
use telemercadeo::store::calls::Outcome;
use telemercadeo::store::{Error, Store, Target};

/// The people of `common::store_with_people` and a second agent (`cruiz`, Camila Ruiz), on a
/// store over `target` whose clock the test moves.
fn people(target: &Target, clock: &TestClock) -> Store {
    let store = Store::open_with_clock(target, Arc::new(clock.clone())).expect("store");
    store
        .create_first_head("María Castro", "mcastro", PW, PW)
        .expect("head");
    let cli = Actor::cli();
    let dept = store
        .add_department(&cli, "Dirección de Posgrados")
        .expect("dept");
    for (login, name, role, d) in [
        ("lgomez", "Laura Gómez", Role::Profesional, None),
        ("aperez", "Andrés Pérez", Role::Auxiliar, None),
        ("cruiz", "Camila Ruiz", Role::Auxiliar, None),
        (
            "posgrados",
            "Sandra Torres",
            Role::Solicitante,
            Some(dept.id),
        ),
    ] {
        store
            .add_user(
                &cli,
                &NewUser {
                    login: login.into(),
                    name: name.into(),
                    role: Some(role),
                    department_id: d,
                },
                PW,
                PW,
            )
            .expect("user");
    }
    store
}

/// "Inscripciones 2027-1" (made at the command line, its brief "asignada"), its script
/// published, `n` contacts dealt in blocks among `agents`; started when `start`.
fn campaign(store: &Store, agents: &[&str], n: usize, start: bool) -> (i64, i64) {
    let cli = Actor::cli();
    let dept = store.departments().expect("departments")[0].id;
    let c = store
        .campaign_create_cli(
            &cli,
            "Inscripciones 2027-1",
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
    let contacts: Vec<NewContact> = (0..n)
        .map(|i| NewContact {
            source_row: i as i64 + 2,
            name: format!("Persona {i}"),
            phone: 573_000_000_000 + i as u64,
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
                agents: agents.iter().map(|a| (*a).to_owned()).collect(),
                weights: Vec::new(),
                order: Order::Blocks,
            },
        )
        .expect("distributed");
    if start {
        store
            .campaign_set_status(&cli, c.id, CampaignStatus::Activa)
            .expect("started");
    }
    (c.id, c.brief_id.expect("brief"))
}

/// The campaign's contact ids in file order.
fn contact_ids(store: &Store, c: i64) -> Vec<i64> {
    store
        .contacts_page(c, &Default::default(), None, 0, 1000)
        .expect("page")
        .iter()
        .map(|r| r.id)
        .collect()
}

fn record(
    store: &Store,
    login: &str,
    c: i64,
    contact: i64,
    outcome: &str,
    secs: i64,
    callback_at: Option<i64>,
) {
    store
        .call_record(
            &Actor::cli(),
            login,
            c,
            contact,
            &Outcome {
                key_or_code: outcome,
                // "No interesado" carries its coded reason.
                reason: (outcome == "no_interesado").then_some("precio"),
                callback_at,
                duration_secs: secs,
                ..Outcome::default()
            },
        )
        .unwrap_or_else(|e| panic!("{login} {outcome} on {contact}: {e}"));
}

/// Counts straight from the tables, one contact at a time (the slow, obvious way), for one
/// agent: the contacts it owns and its attempts.
fn direct(db: &std::path::Path, c: i64, agent: i64, since: i64) -> (Figures, Figures) {
    let sql = rusqlite::Connection::open(db).expect("sql");
    let q = |s: &str, p: &[&dyn rusqlite::ToSql]| -> i64 {
        sql.query_row(s, p, |r| r.get(0)).expect(s)
    };
    // The agent of each contact: its own, else the rule covering it, else who holds it.
    let owner = "COALESCE(v.agent_id, (SELECT a.agent_id FROM contact_assignments a WHERE a.campaign_id = v.campaign_id AND a.first_id <= v.id AND a.last_id >= v.id AND (v.id - a.first_id) % a.step = a.slot), v.claimed_by)";
    let mine = format!("FROM campaign_contacts v WHERE v.campaign_id = ?1 AND {owner} = ?2");
    let best = |cond: &str| {
        q(
            &format!(
                "SELECT COUNT(*) {mine} AND EXISTS (SELECT 1 FROM dispositions d WHERE d.id = v.best_disposition_id AND {cond})"
            ),
            &[&c, &agent],
        )
    };
    let campaign = Figures {
        assigned: q(&format!("SELECT COUNT(*) {mine}"), &[&c, &agent]),
        handled: q(
            &format!("SELECT COUNT(*) {mine} AND v.attempts > 0"),
            &[&c, &agent],
        ),
        reached: best("d.reached = 1 AND d.category <> 'tercero'"),
        positive: best("d.category = 'positivo'"),
        callbacks_today: q(
            &format!("SELECT COUNT(*) {mine} AND v.status = 'agendado' AND v.next_call_at < ?3"),
            &[&c, &agent, &(since + 86_400)],
        ),
        pending: q(
            &format!("SELECT COUNT(*) {mine} AND v.status <> 'cerrado'"),
            &[&c, &agent],
        ),
        calls: q(
            "SELECT COUNT(*) FROM call_attempts WHERE campaign_id = ?1 AND agent_id = ?2",
            &[&c, &agent],
        ),
        talk_secs: q(
            "SELECT COALESCE(SUM(duration_secs), 0) FROM call_attempts WHERE campaign_id = ?1 AND agent_id = ?2",
            &[&c, &agent],
        ),
    };
    let today_att = |cond: &str| {
        q(
            &format!(
                "SELECT COUNT(DISTINCT t.contact_id) FROM call_attempts t JOIN dispositions d ON d.id = t.disposition_id WHERE t.campaign_id = ?1 AND t.agent_id = ?2 AND t.started_at >= ?3 AND {cond}"
            ),
            &[&c, &agent, &since],
        )
    };
    let today = Figures {
        handled: today_att("1 = 1"),
        reached: today_att("d.reached = 1 AND d.category <> 'tercero'"),
        positive: today_att("d.category = 'positivo'"),
        calls: q(
            "SELECT COUNT(*) FROM call_attempts WHERE campaign_id = ?1 AND agent_id = ?2 AND started_at >= ?3",
            &[&c, &agent, &since],
        ),
        talk_secs: q(
            "SELECT COALESCE(SUM(duration_secs), 0) FROM call_attempts WHERE campaign_id = ?1 AND agent_id = ?2 AND started_at >= ?3",
            &[&c, &agent, &since],
        ),
        ..campaign
    };
    (today, campaign)
}

/// Bogotá's midnight of [`NOW`]'s day (10:00 a. m. there), UTC seconds.
const MIDNIGHT: i64 = NOW - 10 * 3600;

#[test]
fn the_tally_equals_direct_counts_best_outcome_and_third_party_included() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let clock = TestClock::at(NOW - 86_400);
    let store = people(&Target::Sqlite(db.clone()), &clock);
    let (c, _) = campaign(&store, &["aperez", "cruiz"], 10, true);
    let ids = contact_ids(&store, c);
    let (a, b) = (&ids[..5], &ids[5..]);
    let head = actor(&store, "mcastro");
    let id_of = |login: &str| actor(&store, login).user_id().expect("user");

    // Yesterday.
    record(&store, "aperez", c, a[0], "no_contesta", 30, None);
    record(&store, "aperez", c, a[1], "interesado", 120, None);
    // A callback, later followed by an attempt that did not reach: best ≠ last.
    record(
        &store,
        "cruiz",
        c,
        b[0],
        "volver_a_llamar",
        50,
        Some(NOW - 3600),
    );
    // Today.
    clock.set(NOW);
    record(
        &store,
        "aperez",
        c,
        a[0],
        "volver_a_llamar",
        80,
        Some(NOW + 2 * 3600),
    );
    record(&store, "aperez", c, a[2], "tercero", 70, None);
    record(&store, "cruiz", c, b[0], "no_contesta", 40, None);
    record(&store, "cruiz", c, b[1], "no_interesado", 90, None);

    let tally = store.tally(&head, c).expect("tally");
    assert_eq!(tally.agents.len(), 2, "{:?}", tally.agents);
    let line = |login: &str| {
        tally
            .agents
            .iter()
            .find(|l| l.login == login)
            .unwrap_or_else(|| panic!("{login} listed"))
            .figures
    };
    // Every figure equals the count made contact by contact.
    for login in ["aperez", "cruiz"] {
        let (today, so_far) = direct(&db, c, id_of(login), MIDNIGHT);
        assert_eq!(line(login).campaign, so_far, "{login}, the campaign so far");
        assert_eq!(line(login).today, today, "{login}, today");
    }
    // And the figures a person expects. Andrés: the third party is handled, never reached.
    let ap = line("aperez");
    assert_eq!(
        (
            ap.campaign.assigned,
            ap.campaign.handled,
            ap.campaign.reached,
            ap.campaign.positive,
            ap.campaign.callbacks_today,
            ap.campaign.pending,
            ap.campaign.calls
        ),
        (5, 3, 2, 1, 1, 4, 4)
    );
    assert_eq!(ap.campaign.tmo_secs(), Some((30 + 120 + 80 + 70) / 4));
    assert_eq!(
        (
            ap.today.handled,
            ap.today.reached,
            ap.today.positive,
            ap.today.calls
        ),
        (2, 1, 0, 2)
    );
    // Camila: the callback stays the best outcome after "no contesta" (reached), today it did not reach.
    let cr = line("cruiz");
    assert_eq!(
        (
            cr.campaign.handled,
            cr.campaign.reached,
            cr.campaign.positive,
            cr.campaign.pending
        ),
        (2, 2, 0, 4)
    );
    assert_eq!(
        (cr.today.handled, cr.today.reached, cr.today.calls),
        (2, 1, 2)
    );
    // The campaign: the sum of its records, today's attempts counted once per record.
    let s = tally.summary.expect("the head sees the campaign");
    assert_eq!(
        (
            s.campaign.assigned,
            s.campaign.handled,
            s.campaign.reached,
            s.campaign.positive,
            s.campaign.callbacks_today,
            s.campaign.pending,
            s.campaign.calls
        ),
        (10, 5, 4, 1, 1, 8, 7)
    );
    assert_eq!(
        (
            s.today.handled,
            s.today.reached,
            s.today.positive,
            s.today.calls
        ),
        (4, 2, 0, 4)
    );
    assert_eq!(s.today.tmo_secs(), Some((80 + 70 + 40 + 90) / 4));

    // An agent sees its own line only; a solicitante nothing; an unknown campaign is named.
    let mine = store.tally(&actor(&store, "cruiz"), c).expect("mine");
    assert_eq!(mine.agents.len(), 1);
    assert_eq!(mine.agents[0].login, "cruiz");
    assert_eq!(mine.agents[0].figures, cr);
    assert!(mine.summary.is_none() && mine.distributions.is_empty());
    assert!(matches!(
        store.tally(&actor(&store, "posgrados"), c),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        store.tally(&head, c + 99),
        Err(Error::NotFound(_))
    ));
    // The professional sees everyone too.
    let prof = store.tally(&actor(&store, "lgomez"), c).expect("prof");
    assert_eq!(prof.agents.len(), 2);
}

#[test]
fn distributions_and_redistributions_are_listed_with_who_and_how_many_each() {
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let (c, _) = campaign(&store, &["aperez", "cruiz"], 10, false);
    let prof = actor(&store, "lgomez");
    clock.advance(60);
    store
        .redistribute(&prof, c, "aperez", &["cruiz".to_owned()], false)
        .expect("moved");
    let tally = store.tally(&prof, c).expect("tally");
    let d = &tally.distributions;
    assert_eq!(d.len(), 2, "{d:?}");
    // Newest first: Laura moved Andrés's five to Camila; the command line dealt 5 and 5.
    assert_eq!(d[0].kind, DistributionKind::Redistribucion);
    assert_eq!(d[0].who, "Laura Gómez");
    assert_eq!(d[0].from.as_deref(), Some("Andrés Pérez"));
    assert_eq!(d[0].total, 5);
    assert_eq!(d[0].per_agent, vec![("Camila Ruiz".to_owned(), 5)]);
    assert_eq!(d[1].kind, DistributionKind::Reparto);
    assert_eq!(d[1].total, 10);
    assert!(
        d[1].who.contains("cli:") || d[1].who.contains("("),
        "{}",
        d[1].who
    );
    assert_eq!(
        d[1].per_agent,
        vec![
            ("Andrés Pérez".to_owned(), 5),
            ("Camila Ruiz".to_owned(), 5)
        ]
    );
    assert_eq!(d[1].at, NOW);
    // Assigned follows the moves: Andrés none left, Camila all ten.
    let assigned: Vec<(String, i64)> = tally
        .agents
        .iter()
        .map(|l| (l.login.clone(), l.figures.campaign.assigned))
        .collect();
    assert_eq!(
        assigned,
        vec![("aperez".to_owned(), 0), ("cruiz".to_owned(), 10)]
    );

    // Records nobody has yet count for the campaign; an import still running does not.
    let cli = Actor::cli();
    let more = |from: u64, n: u64| -> Vec<NewContact> {
        (0..n)
            .map(|i| NewContact {
                source_row: i as i64 + 2,
                name: format!("Nueva {i}"),
                phone: 573_100_000_000 + from + i,
                ..Default::default()
            })
            .collect()
    };
    let batch = store
        .import_begin(&cli, c, "mas.csv", "csv", &Default::default())
        .expect("batch");
    store
        .import_chunk(batch, c, &more(0, 3), &[])
        .expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: 3,
                imported: 3,
                ..Default::default()
            },
            &[],
        )
        .expect("commit");
    let running = store
        .import_begin(&cli, c, "en_curso.csv", "csv", &Default::default())
        .expect("batch");
    store
        .import_chunk(running, c, &more(100, 4), &[])
        .expect("chunk");
    let s = store
        .tally(&prof, c)
        .expect("tally")
        .summary
        .expect("summary");
    assert_eq!(
        (s.campaign.assigned, s.campaign.pending),
        (13, 13),
        "ten dealt, three not yet, four still loading"
    );
}

fn strategy(store: &Store) -> StrategyForm {
    StrategyForm {
        approach: "Llamar primero a quienes preguntaron este año".into(),
        priority: Priority::Media,
        assigned_to: actor(store, "lgomez").user_id(),
        ..Default::default()
    }
}

#[test]
fn a_running_campaigns_strategy_changes_only_by_a_recorded_amendment() {
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let head = actor(&store, "mcastro");
    let (c, brief) = campaign(&store, &["aperez"], 4, false);
    let s = strategy(&store);
    // Before the campaign runs, the strategy is saved as usual and an amendment is refused.
    store
        .strategy_save(&head, brief, &s, false)
        .expect("saved while planned");
    assert!(!store.strategy_frozen(&head, brief).expect("frozen?"));
    assert!(matches!(
        store.strategy_amend(&head, brief, &s, "porque sí"),
        Err(Error::Conflict(_))
    ));
    store
        .campaign_set_status(&Actor::cli(), c, CampaignStatus::Activa)
        .expect("started");
    assert!(store.strategy_frozen(&head, brief).expect("frozen?"));

    // Saving is refused, saying to record an amendment; nothing changed.
    let mut changed = s.clone();
    changed.priority = Priority::Alta;
    changed.agents = Some(4);
    match store.strategy_save(&head, brief, &changed, false) {
        Err(Error::Conflict(m)) => {
            let text = telemercadeo::i18n::with_lang(telemercadeo::i18n::Lang::Es, || m.render());
            assert!(text.contains("Registrar enmienda"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    let stored = store
        .strategy_for_brief(&head, brief)
        .expect("read")
        .expect("strategy");
    assert_eq!(stored.form.priority, Priority::Media);

    // An amendment needs a reason, and a change; only the head records one.
    match store.strategy_amend(&head, brief, &changed, "   ") {
        Err(Error::Invalid(e)) => assert_eq!(e.field, "comment"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        store.strategy_amend(&head, brief, &s, "Nada"),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.strategy_amend(&actor(&store, "lgomez"), brief, &changed, "Quiero"),
        Err(Error::Forbidden(_))
    ));
    let mut bad = changed.clone();
    bad.agents = Some(0);
    assert!(matches!(
        store.strategy_amend(&head, brief, &bad, "Más auxiliares"),
        Err(Error::Invalid(_))
    ));
    assert!(
        store
            .strategy_amendments(&head, brief)
            .expect("list")
            .is_empty(),
        "nothing recorded by the refusals"
    );

    clock.advance(3600);
    let a = store
        .strategy_amend(&head, brief, &changed, "  El rector pidió acelerar  ")
        .expect("amended");
    assert_eq!(a.who, "María Castro");
    assert_eq!(a.at, NOW + 3600);
    assert_eq!(a.reason, "El rector pidió acelerar");
    let diff: Vec<(&str, &str, &str)> = a
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        diff,
        vec![("priority", "media", "alta"), ("agents", "", "4")]
    );
    let stored = store
        .strategy_for_brief(&head, brief)
        .expect("read")
        .expect("strategy");
    assert_eq!(
        (stored.form.priority, stored.form.agents),
        (Priority::Alta, Some(4))
    );
    // Listed with the strategy (the professional sees them too), and audited.
    let listed = store
        .strategy_amendments(&actor(&store, "lgomez"), brief)
        .expect("list");
    assert_eq!(listed, vec![a]);
    let log = store.audit_log(&head, 50).expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == "strategy.amend" && e.detail == "priority,agents"),
        "audited"
    );

    // Paused or closed after running, it stays frozen.
    store
        .campaign_set_status(&Actor::cli(), c, CampaignStatus::Cerrada)
        .expect("closed");
    assert!(store.strategy_frozen(&head, brief).expect("frozen?"));
}

#[test]
fn a_campaign_closed_before_it_ran_leaves_its_strategy_editable() {
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let head = actor(&store, "mcastro");
    let (c, brief) = campaign(&store, &["aperez"], 2, false);
    store
        .campaign_set_status(&Actor::cli(), c, CampaignStatus::Cerrada)
        .expect("closed");
    assert!(!store.strategy_frozen(&head, brief).expect("frozen?"));
}

// The window.

fn harness(store: Store) -> common::H {
    common::app_sized(store, 1366.0, 768.0)
}

#[test]
fn the_head_sees_every_agents_line_and_an_agent_only_its_own() {
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let (c, _) = campaign(&store, &["aperez", "cruiz"], 10, true);
    let ids = contact_ids(&store, c);
    record(&store, "aperez", c, ids[0], "interesado", 125, None);
    record(&store, "cruiz", c, ids[5], "tercero", 30, None);
    let mut h = harness(store.clone());
    log_in(&mut h, "mcastro");
    click(&mut h, "Seguimiento");
    wait_until(&mut h, "the tally", |h| visible(h, "Por auxiliar"));
    for label in [
        "La campaña",
        "Gestionados",
        "Contactados",
        "Agendados para hoy",
        "Llamadas hoy",
        "TMO",
        "Andrés Pérez",
        "Camila Ruiz",
        "Distribuciones y redistribuciones",
        "2:05",
    ] {
        assert!(visible(&h, label), "the head sees «{label}»");
    }
    assert!(visible_containing(&h, "Andrés Pérez: 5"));

    log_in(&mut h, "cruiz");
    click(&mut h, "Seguimiento");
    wait_until(&mut h, "the agent's figures", |h| visible(h, "Sus cifras"));
    assert!(visible(&h, "Camila Ruiz"));
    assert!(visible(&h, "0:30"));
    for hidden in [
        "Andrés Pérez",
        "La campaña",
        "Distribuciones y redistribuciones",
        "2:05",
    ] {
        assert!(!visible(&h, hidden), "an agent does not see «{hidden}»");
    }
}

#[test]
fn the_head_records_an_amendment_with_its_reason_from_the_strategies_tab() {
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let head = actor(&store, "mcastro");
    let (c, brief) = campaign(&store, &["aperez"], 4, false);
    // The strategy was written while planned; the campaign has started since.
    store
        .strategy_save(&head, brief, &strategy(&store), false)
        .expect("strategy");
    store
        .campaign_set_status(&Actor::cli(), c, CampaignStatus::Activa)
        .expect("started");
    let mut h = common::app_sized(store.clone(), 1366.0, 1600.0);
    log_in(&mut h, "mcastro");
    click(&mut h, "Estrategias");
    click(&mut h, "Inscripciones 2027-1");
    assert!(visible_containing(&h, "la estrategia queda congelada"));
    assert!(!visible(&h, "Guardar estrategia"), "no silent edit");
    click(&mut h, "Registrar enmienda");
    fill(&mut h, "Número de auxiliares", "6");
    click(&mut h, "Guardar enmienda");
    assert!(visible(&h, "Escriba el motivo de la enmienda."));
    assert!(
        store
            .strategy_amendments(&head, brief)
            .expect("list")
            .is_empty(),
        "nothing recorded without a reason"
    );
    fill(&mut h, "Motivo", "Llegó una base más grande");
    assert!(!visible(&h, "Escriba el motivo de la enmienda."));
    click(&mut h, "Guardar enmienda");
    let list = store.strategy_amendments(&head, brief).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, "Llegó una base más grande");
    // Back to read-only, with the amendment under the strategy.
    assert!(visible(&h, "Registrar enmienda"));
    assert!(visible(&h, "• Número de auxiliares: (vacío) → 6"));
    assert!(visible(&h, "Motivo: Llegó una base más grande"));
    assert!(visible_containing(&h, "· María Castro"));
}

#[test]
fn contacts_sort_by_last_outcome_attempts_and_next_call_page_by_page() {
    use telemercadeo::domain::contact::{ContactFilter, ContactSort};
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let (c, _) = campaign(&store, &["aperez"], 9, true);
    let ids = contact_ids(&store, c);
    // Two attempts on the 5th, one on the 2nd (a callback) and the 8th (closed).
    record(&store, "aperez", c, ids[4], "no_contesta", 10, None);
    clock.advance(60);
    record(&store, "aperez", c, ids[4], "ocupado", 10, None);
    record(
        &store,
        "aperez",
        c,
        ids[1],
        "volver_a_llamar",
        10,
        Some(NOW + 600),
    );
    record(&store, "aperez", c, ids[7], "interesado", 10, None);
    let order = |sort: ContactSort, descending: bool, page: i64| -> Vec<i64> {
        let filter = ContactFilter {
            sort,
            descending,
            ..Default::default()
        };
        let mut out = Vec::new();
        loop {
            // A keyset id is ignored outside file order: paging goes by offset.
            let rows = store
                .contacts_page(c, &filter, Some(i64::MAX), out.len() as i64, page)
                .expect("page");
            if rows.is_empty() {
                break;
            }
            out.extend(rows.iter().map(|r| r.id));
        }
        out
    };
    let pos = |list: &[i64]| -> Vec<usize> {
        list.iter()
            .map(|id| ids.iter().position(|x| x == id).expect("ours"))
            .collect()
    };
    assert_eq!(
        pos(&order(ContactSort::Attempts, true, 2)),
        vec![4, 7, 1, 8, 6, 5, 3, 2, 0],
        "most attempts first: the exact reverse of fewest first"
    );
    assert_eq!(
        pos(&order(ContactSort::Attempts, false, 4)),
        vec![0, 2, 3, 5, 6, 8, 1, 7, 4]
    );
    // Next call: soonest first; closed and never-called ones last, in file order.
    assert_eq!(
        pos(&order(ContactSort::NextCall, false, 3)),
        vec![1, 4, 0, 2, 3, 5, 6, 7, 8]
    );
    // Last outcome in the catalog's order (Interesado, Volver a llamar, Ocupado); never
    // called last, and first the other way round.
    assert_eq!(
        pos(&order(ContactSort::LastOutcome, false, 5)),
        vec![7, 1, 4, 0, 2, 3, 5, 6, 8]
    );
    assert_eq!(
        pos(&order(ContactSort::LastOutcome, true, 5)),
        vec![8, 6, 5, 3, 2, 0, 4, 1, 7]
    );
    // Filters still apply in another order.
    let callbacks = ContactFilter {
        sort: ContactSort::Attempts,
        descending: true,
        status: Some(telemercadeo::domain::contact::ContactStatus::Agendado),
        ..Default::default()
    };
    let rows = store
        .contacts_page(c, &callbacks, None, 0, 10)
        .expect("page");
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[1]]);
    let rows = store
        .contacts_page(c, &ContactFilter::default(), None, 0, 100)
        .expect("page");
    assert_eq!(rows[4].last_outcome.as_deref(), Some("Ocupado"));
    assert_eq!(rows[4].attempts, 2);
    assert_eq!(rows[1].next_call_at, Some(NOW + 600));
    assert_eq!(rows[7].next_call_at, None, "closed");
}

/// The top of a label that shows, in the window.
fn top(h: &common::H, label: &str) -> f32 {
    use egui_kittest::kittest::Queryable;
    h.get_by_label(label).rect().min.y
}

#[test]
fn a_click_on_a_header_sorts_the_contacts_table() {
    let clock = TestClock::at(NOW);
    let store = people(&Target::Memory, &clock);
    let (c, _) = campaign(&store, &["aperez"], 6, true);
    let ids = contact_ids(&store, c);
    record(&store, "aperez", c, ids[3], "no_contesta", 10, None);
    record(&store, "aperez", c, ids[5], "interesado", 10, None);
    let mut h = common::app_sized(store, 1366.0, 900.0);
    log_in(&mut h, "lgomez");
    click(&mut h, "Campañas");
    click(&mut h, "Inscripciones 2027-1");
    click(&mut h, "Contactos");
    wait_until(&mut h, "the contacts", |h| visible(h, "Persona 5"));
    assert!(visible(&h, "Interesado"), "the last outcome shows");
    assert!(top(&h, "Persona 0") < top(&h, "Persona 5"), "file order");
    click(&mut h, "Intentos");
    wait_until(&mut h, "sorted", |h| visible(h, "Intentos ▲"));
    assert!(top(&h, "Persona 0") < top(&h, "Persona 3"), "fewest first");
    click(&mut h, "Intentos ▲");
    wait_until(&mut h, "reversed", |h| visible(h, "Intentos ▼"));
    assert!(top(&h, "Persona 3") < top(&h, "Persona 0"), "most first");
    assert!(top(&h, "Persona 5") < top(&h, "Persona 0"));
    click(&mut h, "Fila");
    wait_until(&mut h, "file order", |h| visible(h, "Intentos"));
    assert!(top(&h, "Persona 0") < top(&h, "Persona 3"));
}
