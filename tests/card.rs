//! What the agent's screen reads about a contact, through the real import path and the store:
//! every name column makes the full name, the file's extra columns are recorded per batch and
//! offered to the script editor, the contact card (fields in file order, the person's history
//! across campaigns), corrections of phone and e-mail, and the agent's progress.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use telemercadeo::domain::call::Next;
use telemercadeo::domain::card::HistoryKind;
use telemercadeo::domain::contact::ContactStatus;
use telemercadeo::domain::distribution::DistributionPlan;
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::script::{offered_placeholders, render, unknown_placeholders};
use telemercadeo::domain::{Actor, NewUser, Role, TestClock};
use telemercadeo::i18n::{self, Lang};
use telemercadeo::import::job::{self, ImportOptions};
use telemercadeo::import::phone::normalize_phone;
use telemercadeo::import::read::Source;
use telemercadeo::store::calls::Outcome;
use telemercadeo::store::{Error, Store, Target};

const PW: &str = "clave-segura-1";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// UTC seconds of a Bogotá local time (UTC−5, no daylight saving).
fn bogota(y: i32, m: u32, d: u32, h: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("date")
        .and_utc()
        .timestamp()
        + 5 * 3600
}

struct World {
    dir: tempfile::TempDir,
    store: Store,
    clock: TestClock,
    cli: Actor,
    prof: Actor,
    head: Actor,
    a1: Actor,
    a2: Actor,
    dept: i64,
}

fn actor_of(store: &Store, login: &str) -> Actor {
    let u = store.user_by_login(login).expect("read").expect("user");
    Actor::User {
        id: u.id,
        login: u.login,
        role: u.role,
        department_id: u.department_id,
    }
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    // Tuesday 1 December 2026, 10:00 in Bogotá: inside the calling windows.
    let clock = TestClock::at(bogota(2026, 12, 1, 10));
    let store = Store::open_with_clock(
        &Target::Sqlite(dir.path().join("t.sqlite3")),
        Arc::new(clock.clone()),
    )
    .expect("store");
    store
        .create_first_head("María Castro", "mcastro", PW, PW)
        .expect("head");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "Admisiones").expect("dept").id;
    for (login, name, role) in [
        ("lgomez", "Laura Gómez", Role::Profesional),
        ("a1", "Ana Uno", Role::Auxiliar),
        ("a2", "Beto Dos", Role::Auxiliar),
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
    World {
        prof: actor_of(&store, "lgomez"),
        head: actor_of(&store, "mcastro"),
        a1: actor_of(&store, "a1"),
        a2: actor_of(&store, "a2"),
        dir,
        store,
        clock,
        cli,
        dept,
    }
}

impl World {
    fn campaign(&self, name: &str) -> i64 {
        self.store
            .campaign_create_cli(&self.cli, name, self.dept, CampaignKind::Otro, "", "")
            .expect("campaign")
            .id
    }

    fn import(&self, campaign: i64, source: Source) -> job::ImportReport {
        let never = AtomicBool::new(false);
        job::run(
            &self.store,
            &self.prof,
            campaign,
            &source,
            &ImportOptions::default(),
            &|_| {},
            &never,
        )
        .expect("imported")
    }

    fn import_text(&self, campaign: i64, name: &str, text: &str) -> job::ImportReport {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        self.import(campaign, Source::File(path))
    }

    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("t.sqlite3")).expect("sql")
    }

    fn ids(&self, campaign: i64) -> Vec<i64> {
        let sql = self.sql();
        let mut st = sql
            .prepare("SELECT id FROM campaign_contacts WHERE campaign_id = ?1 ORDER BY id")
            .expect("prepare");
        st.query_map([campaign], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("ids")
    }

    fn script_id(&self, campaign: i64) -> i64 {
        let c = self.store.campaign(&self.cli, campaign).expect("campaign");
        self.store
            .script_of_brief(&self.cli, c.brief_id.expect("brief"))
            .expect("script")
            .expect("a script")
            .id
    }

    /// Publishes a script whose sections use `text`, deals the contacts to `agents` in blocks
    /// and starts the campaign.
    fn start(&self, campaign: i64, text: &str, agents: &[&str]) {
        let sid = self.script_id(campaign);
        let c = self.store.campaign(&self.cli, campaign).expect("campaign");
        let mut content = self
            .store
            .script_of_brief(&self.cli, c.brief_id.expect("brief"))
            .expect("script")
            .expect("a script")
            .content;
        for s in content.sections.iter_mut().skip(1) {
            s.text = text.into();
        }
        self.store
            .script_publish(&self.prof, sid, &content)
            .expect("published");
        self.store
            .distribute(
                &self.prof,
                campaign,
                &DistributionPlan {
                    agents: agents.iter().map(|a| (*a).to_owned()).collect(),
                    ..DistributionPlan::default()
                },
            )
            .expect("distributed");
        self.store
            .campaign_set_status(&self.prof, campaign, CampaignStatus::Activa)
            .expect("started");
    }

    fn next(&self, campaign: i64, login: &str) -> i64 {
        match self
            .store
            .call_next(&self.cli, campaign, login)
            .expect("next")
        {
            Next::Contact(k) => k.contact_id,
            other => panic!("{other:?}"),
        }
    }

    fn record(&self, campaign: i64, login: &str, contact: i64, outcome: &str, notes: &str) {
        let callback_at = (outcome == "volver_a_llamar").then(|| self.store.now() + 3600);
        self.store
            .call_record(
                &self.cli,
                login,
                campaign,
                contact,
                &Outcome {
                    key_or_code: outcome,
                    notes,
                    callback_at,
                    duration_secs: 30,
                    ..Outcome::default()
                },
            )
            .expect("recorded");
    }
}

#[test]
fn four_name_columns_give_the_full_name_and_the_extra_columns_are_kept_per_batch() {
    let w = world();
    let c = w.campaign("Inscripciones 2027-1");
    let r = w.import(c, Source::File(fixture("contacts_names.csv")));
    assert_eq!(r.counts.imported, 4, "{r:?}");
    let ids = w.ids(c);
    let card = |id: i64| w.store.call_card(&w.cli, c, id).expect("card");
    let names: Vec<String> = ids.iter().map(|id| card(*id).name).collect();
    // First names before last names, file order within each, single spaces, blanks skipped.
    assert_eq!(
        names,
        [
            "María José Rojas Peña",
            "Juan Díaz Gómez",
            "Luz Ángela VALENCIA",
            "Carlos Andrés Ospina Marín"
        ]
    );
    // The extra columns, in file order (notes included: they are kept under their header).
    let columns = w.store.campaign_columns(&w.cli, c).expect("columns");
    assert_eq!(columns, ["Colegio", "Grado", "Observaciones"]);

    // "Nombres" + "Apellidos", or one "Nombre completo", make the same name.
    w.import_text(
        c,
        "dos.csv",
        "Nombres,Apellidos,Celular,Jornada\nMaría José , Rojas  Peña,301 222 3344,Tarde\n",
    );
    w.import_text(
        c,
        "uno.csv",
        "Nombre completo,Celular,Colegio\n  María José   Rojas Peña ,302 555 6677,INEM\n",
    );
    let ids = w.ids(c);
    assert_eq!(ids.len(), 6);
    for id in &ids[4..] {
        assert_eq!(card(*id).name, "María José Rojas Peña");
    }
    // Batch after batch, each header once.
    assert_eq!(
        w.store.campaign_columns(&w.cli, c).expect("columns"),
        ["Colegio", "Grado", "Observaciones", "Jornada"]
    );
    // A batch that is not confirmed does not count; an unknown campaign is an error; a
    // solicitante may not read them.
    let other = w.campaign("Vacía");
    assert!(
        w.store
            .campaign_columns(&w.cli, other)
            .expect("none")
            .is_empty()
    );
    assert!(matches!(
        w.store.campaign_columns(&w.cli, 9999),
        Err(Error::NotFound(_))
    ));
    let posgrados = w
        .store
        .add_user(
            &w.cli,
            &NewUser {
                login: "posgrados".into(),
                name: "Sandra".into(),
                role: Some(Role::Solicitante),
                department_id: Some(w.dept),
            },
            PW,
            PW,
        )
        .expect("solicitante");
    let sol = actor_of(&w.store, &posgrados.login);
    assert!(matches!(
        w.store.campaign_columns(&sol, c),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        w.store.call_card(&sol, c, ids[0]),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn the_script_editor_offers_the_files_columns() {
    let w = world();
    let c = w.campaign("Inscripciones 2027-1");
    let sid = w.script_id(c);
    let text = "Buenos días, {nombre}. ¿Sigue en el {colegio}?";
    // Before any import the column is unknown, and publishing it is refused.
    let before = w.store.script_placeholders(sid).expect("placeholders");
    assert!(!offered_placeholders(&before).contains(&"colegio".to_owned()));
    assert_eq!(unknown_placeholders(text, &before), ["colegio"]);
    let c0 = w.store.campaign(&w.cli, c).expect("campaign");
    let mut content = w
        .store
        .script_of_brief(&w.cli, c0.brief_id.expect("brief"))
        .expect("script")
        .expect("a script")
        .content;
    for s in content.sections.iter_mut().skip(1) {
        s.text = text.into();
    }
    assert!(matches!(
        w.store.script_publish(&w.prof, sid, &content),
        Err(Error::Invalid(_))
    ));

    w.import(c, Source::File(fixture("contacts_names.csv")));
    let after = w.store.script_placeholders(sid).expect("placeholders");
    let offered = offered_placeholders(&after);
    for p in ["colegio", "grado", "observaciones"] {
        assert!(offered.contains(&p.to_owned()), "{p} in {offered:?}");
    }
    assert!(unknown_placeholders(text, &after).is_empty());
    w.store
        .script_publish(&w.prof, sid, &content)
        .expect("a file column is a known placeholder");
}

#[test]
fn the_card_shows_the_contact_its_fields_and_the_persons_history() {
    let w = world();
    let c = w.campaign("Inscripciones 2027-1");
    w.import(c, Source::File(fixture("contacts_names.csv")));
    w.start(
        c,
        "Buenos días, {nombre}. Le llamo al {telefono}. ¿Sigue en el {colegio}?",
        &["a1", "a2"],
    );
    let ids = w.ids(c);
    // Blocks: a1 has the first two contacts, a2 the last two.
    let first = w.next(c, "a1");
    assert_eq!(first, ids[0]);
    let card = w.store.call_card(&w.a1, c, first).expect("card");
    assert_eq!(card.name, "María José Rojas Peña");
    assert_eq!(card.phone, "+573001234567");
    assert_eq!(card.alternates, ["+576063251234"]);
    assert_eq!(card.email.as_deref(), Some("mjrojas@example.com"));
    assert_eq!(card.document.as_deref(), Some("1088123456"));
    assert_eq!(card.program.as_deref(), Some("Psicología"));
    assert_eq!(card.city.as_deref(), Some("Pereira"));
    assert_eq!(
        card.fields,
        [
            ("Colegio".to_owned(), "INEM Felipe Pérez".to_owned()),
            ("Grado".into(), "11".into()),
            ("Observaciones".into(), "Prefiere la tarde".into()),
        ]
    );
    assert_eq!((card.attempts, card.status), (0, ContactStatus::Pendiente));
    assert!(card.history.is_empty());
    // The script filled for this contact.
    let values = card.values();
    assert_eq!(
        render("{nombre}, {telefono}, {colegio}, {grado}", &values),
        "María José Rojas Peña, 300 123 4567, INEM Felipe Pérez, 11"
    );
    // Empty values are skipped: Juan has no Colegio.
    let juan = w.store.call_card(&w.a1, c, ids[1]).expect("card");
    assert_eq!(
        juan.fields,
        [("Grado".to_owned(), "10".to_owned())],
        "no empty Colegio, no empty Observaciones"
    );

    // The person's attempts, newest first, with who, outcome and notes.
    w.record(c, "a1", first, "no_contesta", "Timbró y nada");
    w.clock.advance(4 * 3600 + 60);
    assert_eq!(w.next(c, "a1"), ids[1]);
    w.record(c, "a1", ids[1], "interesado", "");
    assert_eq!(w.next(c, "a1"), first);
    w.record(c, "a1", first, "volver_a_llamar", "Mejor mañana");
    let card = w.store.call_card(&w.a1, c, first).expect("card");
    assert_eq!(card.attempts, 2);
    assert_eq!(card.status, ContactStatus::Agendado);
    assert_eq!(card.callback_at, Some(w.store.now() + 3600));
    let seen: Vec<(&str, &str, &str)> = card
        .history
        .iter()
        .map(|h| (h.outcome.as_str(), h.notes.as_str(), h.agent.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("Volver a llamar", "Mejor mañana", "Ana Uno"),
            ("No contesta", "Timbró y nada", "Ana Uno")
        ]
    );
    assert!(card.history[0].at > card.history[1].at);
    assert_eq!(card.history[0].campaign, "Inscripciones 2027-1");
    assert_eq!(card.history[0].phone, "+573001234567");

    // The same person in another campaign: its card shows the attempts of both campaigns.
    let c2 = w.campaign("Open house");
    w.import_text(
        c2,
        "oh.csv",
        "Nombre,Celular,Carrera\nMaría José Rojas,300 123 4567,Psicología\n",
    );
    w.start(c2, "Hola, {nombre}.", &["a1"]);
    // Reached today (the callback she asked for): offered in another campaign the next day.
    w.clock.advance(24 * 3600);
    let other = w.next(c2, "a1");
    w.record(c2, "a1", other, "buzon", "");
    let card2 = w.store.call_card(&w.a1, c2, other).expect("card");
    assert_eq!(card2.person_id, card.person_id);
    let campaigns: Vec<&str> = card2.history.iter().map(|h| h.campaign.as_str()).collect();
    assert_eq!(
        campaigns,
        ["Open house", "Inscripciones 2027-1", "Inscripciones 2027-1"]
    );
    assert_eq!(card2.history[0].outcome, "Buzón de voz");

    // Who may read it: the agent assigned, the head and the professional; not another agent.
    assert!(w.store.call_card(&w.head, c, first).is_ok());
    assert!(w.store.call_card(&w.prof, c, first).is_ok());
    assert!(matches!(
        w.store.call_card(&w.a2, c, first),
        Err(Error::Forbidden(_))
    ));
    assert!(w.store.call_card(&w.a2, c, ids[3]).is_ok());
    // A contact of another campaign, or none at all.
    assert!(matches!(
        w.store.call_card(&w.a1, c, other),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        w.store.call_card(&w.a1, c, 99_999),
        Err(Error::Conflict(_))
    ));
}

#[test]
fn the_agent_corrects_a_phone_or_an_email_and_the_old_value_stays_in_the_history() {
    let w = world();
    let c = w.campaign("Inscripciones 2027-1");
    w.import(c, Source::File(fixture("contacts_names.csv")));
    w.start(c, "Hola, {nombre}.", &["a1", "a2"]);
    let ids = w.ids(c);
    let id = w.next(c, "a1");
    assert_eq!(id, ids[0]);
    let new_phone = normalize_phone("(310) 555 00 11").expect("a valid phone");
    assert_eq!(new_phone, "+573105550011");
    assert_eq!(normalize_phone("12345"), None);
    w.store
        .contact_correct(&w.a1, "a1", id, Some(&new_phone), None)
        .expect("corrected");
    w.clock.advance(60);
    let card = w.store.call_card(&w.a1, c, id).expect("card");
    assert_eq!(card.phone, "+573105550011");
    assert_eq!(card.alternates, ["+576063251234"], "the alternate stays");
    assert_eq!(card.values()["telefono"], "310 555 0011");
    let h = &card.history[0];
    assert_eq!(h.kind, HistoryKind::Correction);
    let change = h.change.as_ref().expect("change");
    assert_eq!(
        (change.old.as_str(), change.new.as_str()),
        ("+573001234567", "+573105550011")
    );
    assert_eq!(h.agent, "Ana Uno");
    let words = i18n::with_lang(Lang::Es, || h.what());
    assert!(
        words.contains("300 123 4567") && words.contains("310 555 0011"),
        "{words}"
    );
    // The next attempt dials the new phone; the old one is never dialled again.
    w.record(c, "a1", id, "no_contesta", "");
    let card = w.store.call_card(&w.a1, c, id).expect("card");
    assert_eq!(card.history[0].phone, "+573105550011");
    assert!(!card.alternates.contains(&"+573001234567".to_owned()));
    w.clock.advance(60);

    // The e-mail, and both at once (the phone unchanged is not a change).
    w.store
        .contact_correct(
            &w.a1,
            "a1",
            id,
            Some(&new_phone),
            Some("maria.rojas@example.com"),
        )
        .expect("corrected");
    let card = w.store.call_card(&w.a1, c, id).expect("card");
    assert_eq!(card.email.as_deref(), Some("maria.rojas@example.com"));
    let corrections: Vec<_> = card
        .history
        .iter()
        .filter(|h| h.kind == HistoryKind::Correction)
        .collect();
    assert_eq!(corrections.len(), 2);
    assert_eq!(
        corrections[0].change.as_ref().expect("change").old,
        "mjrojas@example.com"
    );
    // Audited with the old value.
    let detail: String = w
        .sql()
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'contact.correct' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("audited");
    assert!(detail.contains("+573001234567"), "{detail}");

    // Bad input is refused with a clear message, and nothing changes.
    let refused = |phone: Option<&str>, email: Option<&str>| {
        w.store
            .contact_correct(&w.a1, "a1", id, phone, email)
            .expect_err("refused")
    };
    let e = refused(Some("300 123"), None);
    assert!(
        matches!(&e, Error::Invalid(f) if f.field == "phone"),
        "{e:?}"
    );
    let text = i18n::with_lang(Lang::Es, || e.to_string());
    assert!(
        text.contains("300 123") && text.contains("no es un número"),
        "{text}"
    );
    let e = refused(None, Some("maria@"));
    assert!(
        matches!(&e, Error::Invalid(f) if f.field == "email"),
        "{e:?}"
    );
    assert!(i18n::with_lang(Lang::Es, || e.to_string()).contains("no es un correo válido"));
    assert!(matches!(refused(None, None), Error::Invalid(_)));
    // A number in the opt-out register is not dialled.
    let out = normalize_phone("311 222 3344").expect("valid");
    w.store
        .optout_add(&w.cli, &[573_112_223_344], "prueba")
        .expect("opted out");
    let e = refused(Some(&out), None);
    assert!(
        i18n::with_lang(Lang::Es, || e.to_string()).contains("registro de exclusión"),
        "{e:?}"
    );
    // Another agent, or an agent acting for someone else, is refused.
    assert!(matches!(
        w.store
            .contact_correct(&w.cli, "a2", id, None, Some("x@example.com")),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        w.store
            .contact_correct(&w.a2, "a1", id, None, Some("x@example.com")),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        w.store
            .contact_correct(&w.head, "mcastro", id, None, Some("x@example.com")),
        Err(Error::Forbidden(_))
    ));
    let card = w.store.call_card(&w.cli, c, id).expect("card");
    assert_eq!(card.phone, "+573105550011");
    assert_eq!(card.email.as_deref(), Some("maria.rojas@example.com"));
    assert_eq!(
        card.history
            .iter()
            .filter(|h| h.kind == HistoryKind::Correction)
            .count(),
        2
    );
}

#[test]
fn the_agents_progress_counts_its_contacts_and_todays_calls() {
    let w = world();
    let c = w.campaign("Inscripciones 2027-1");
    w.import(c, Source::File(fixture("contacts_names.csv")));
    w.start(c, "Hola, {nombre}.", &["a1", "a2"]);
    let progress = |who: &Actor, login: &str| w.store.agent_progress(who, c, login);
    let p = progress(&w.a1, "a1").expect("progress");
    assert_eq!(
        (p.assigned, p.done, p.today_calls, p.today_reached),
        (2, 0, 0, 0)
    );
    // Yesterday's calls are not today's.
    w.clock.set(bogota(2026, 11, 30, 18));
    let id = w.next(c, "a1");
    w.record(c, "a1", id, "no_contesta", "");
    w.clock.set(bogota(2026, 12, 1, 7));
    let id2 = w.next(c, "a1");
    assert_ne!(id, id2);
    w.record(c, "a1", id2, "interesado", "");
    w.clock.advance(3600);
    let again = w.next(c, "a1");
    assert_eq!(again, id);
    w.record(c, "a1", again, "ocupado", "");
    let p = progress(&w.a1, "a1").expect("progress");
    assert_eq!(
        (p.assigned, p.done, p.today_calls, p.today_reached),
        (2, 1, 2, 1)
    );
    // Just before midnight it is still today; after, a new day starts with no calls.
    w.clock.set(bogota(2026, 12, 1, 23) + 59 * 60);
    assert_eq!(progress(&w.a1, "a1").expect("progress").today_calls, 2);
    w.clock.set(bogota(2026, 12, 2, 0));
    let p = progress(&w.a1, "a1").expect("progress");
    assert_eq!((p.today_calls, p.done), (0, 1));
    // The head and the professional see anyone's; an agent only its own.
    assert_eq!(progress(&w.head, "a1").expect("head").done, 1);
    assert_eq!(progress(&w.prof, "a2").expect("prof").assigned, 2);
    assert!(matches!(progress(&w.a2, "a1"), Err(Error::Forbidden(_))));
    assert!(matches!(progress(&w.cli, "nadie"), Err(Error::Conflict(_))));
    assert!(matches!(
        w.store.agent_progress(&w.cli, 9999, "a1"),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn the_assigned_count_is_the_distributions_after_calls_moves_and_interleaving() {
    use telemercadeo::domain::distribution::Order;
    let w = world();
    let c = w.campaign("Reingresos");
    let rows = |from: usize, n: usize| {
        let mut text = String::from("Nombre,Celular\n");
        for i in from..from + n {
            text.push_str(&format!("Persona {i},300 555 {:04}\n", 1000 + i));
        }
        text
    };
    w.import_text(c, "doce.csv", &rows(0, 12));
    w.start(c, "Hola, {nombre}.", &["a1", "a2"]);
    // What "Mis campañas" shows as the agent's total (`count_for_agent`).
    let total = |a: &Actor| {
        w.store
            .agent_campaigns(a)
            .expect("campaigns")
            .iter()
            .find(|x| x.id == c)
            .map_or(0, |x| x.total)
    };
    let assigned = |login: &str| {
        w.store
            .agent_progress(&w.cli, c, login)
            .expect("progress")
            .assigned
    };
    let same = |when: &str| {
        for (a, login) in [(&w.a1, "a1"), (&w.a2, "a2")] {
            assert_eq!(assigned(login), total(a), "{login} {when}");
        }
    };
    same("dealt in blocks");
    assert_eq!((assigned("a1"), assigned("a2")), (6, 6));
    // Calls write the agent into each contact.
    for _ in 0..2 {
        let id = w.next(c, "a1");
        w.record(c, "a1", id, "no_contesta", "");
    }
    same("after calls");
    // a1's pending contacts move to a2; those with history stay.
    w.store
        .redistribute(&w.prof, c, "a1", &["a2".to_owned()], false)
        .expect("moved");
    same("after a move");
    assert_eq!((assigned("a1"), assigned("a2")), (2, 10));
    // New contacts dealt in turn.
    w.import_text(c, "ocho.csv", &rows(100, 8));
    w.store
        .distribute(
            &w.prof,
            c,
            &DistributionPlan {
                agents: vec!["a1".into(), "a2".into()],
                order: Order::Interleaved,
                ..DistributionPlan::default()
            },
        )
        .expect("dealt");
    same("dealt interleaved");
    assert_eq!(assigned("a1") + assigned("a2"), 20);
}
