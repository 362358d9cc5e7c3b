//! Inbound calls through the store: registering one, remitting it to the program's manager
//! with the e-mail queued in the same transaction (and nothing left when the queueing fails),
//! the refusals (no authorisation, no manager's e-mail, bad fields), a transfer and its
//! extension, the person a phone or document matches and their history, the recent list with
//! its filters, the follow-up, "Enviar información", the catalog's sheets and brochures.

mod common;

use common::{NOW, actor, store_with_people, store_with_people_in};
use telemercadeo::domain::catalog::ProgramDetails;
use telemercadeo::domain::contact::{ImportCounts, NewContact};
use telemercadeo::domain::distribution::{DistributionPlan, Order};
use telemercadeo::domain::inbound::{AskedAbout, Channel, Followup, InboundResult, ProgramSheet};
use telemercadeo::domain::inbound_call::{InboundFilter, MAX_BROCHURE_BYTES, NewInbound};
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::{Actor, Field, ProgramKind, TestClock};
use telemercadeo::i18n::{Lang, with_lang};
use telemercadeo::store::{Error, Store, Target};

/// Monday 2026-11-30, 10:00 in Bogotá (15:00 UTC): calls are permitted.
const MONDAY_10AM: i64 = NOW + 86_400;

/// Psicología with its manager and sheet; Admisiones with extension 4321. Returns their ids.
fn catalog(store: &Store) -> (i64, i64) {
    let cli = Actor::cli();
    let adm = store.add_department(&cli, "Admisiones").expect("dept");
    store
        .set_department_extension(&cli, adm.id, "4321")
        .expect("extension");
    let p = store
        .add_program(&cli, "Psicología", ProgramKind::Programa, Some(adm.id))
        .expect("program");
    store
        .program_set_details(
            &cli,
            p.id,
            &ProgramDetails {
                manager_name: "Carlos Mejía".into(),
                manager_email: "CMejia@Universidad.edu.co ".into(),
                sheet: ProgramSheet {
                    cost: "$ 4.500.000 por semestre".into(),
                    snies: "1234".into(),
                    ..Default::default()
                },
            },
        )
        .expect("details");
    (p.id, adm.id)
}

fn remitted(program_id: i64) -> NewInbound {
    NewInbound {
        channel: Channel::Whatsapp,
        caller_name: " Ana   Ruiz ".into(),
        phone: Some("+573001234567".into()),
        email: "ana@correo.com".into(),
        document: "1.088.123.456".into(),
        asked_about: Some(AskedAbout::Programa),
        program_id: Some(program_id),
        notes: "Quiere estudiar en la noche".into(),
        authorized: true,
        result: Some(InboundResult::Remitido),
        ..Default::default()
    }
}

fn field_of(e: Error) -> (Field, String) {
    match e {
        Error::Invalid(f) => (f.field, f.message()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

/// A file store on `clock`, and its path to read with SQL.
fn file_store(clock: TestClock) -> (tempfile::TempDir, Store, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("t.sqlite3");
    let store = store_with_people_in(&Target::Sqlite(path.clone()), clock);
    (dir, store, path)
}

fn count(path: &std::path::Path, q: &str) -> i64 {
    rusqlite::Connection::open(path)
        .expect("sql")
        .query_row(q, [], |r| r.get(0))
        .expect("count")
}

#[test]
fn a_remitted_call_queues_the_managers_email_with_it() {
    with_lang(Lang::Es, || {
        let (_dir, store, path) = file_store(TestClock::at(NOW));
        let (program, _) = catalog(&store);
        let agent = actor(&store, "aperez");
        let call = store
            .inbound_register(&agent, &remitted(program))
            .expect("registered");
        assert_eq!(call.caller_name, "Ana Ruiz");
        assert_eq!(call.document.as_deref(), Some("1088123456"));
        assert_eq!(call.channel, Channel::Whatsapp);
        assert_eq!(call.result, InboundResult::Remitido);
        assert_eq!(call.followup, Some(Followup::Pendiente));
        assert_eq!(call.authorized_at, Some(NOW));
        assert_eq!(call.received_at, NOW);
        assert_eq!(call.agent, "Andrés Pérez");
        assert_eq!(call.uuid.len(), 36);
        assert!(call.person_id.is_some(), "a new caller becomes a person");
        let outbox = call.outbox_id.expect("queued");

        let sql = rusqlite::Connection::open(&path).expect("sql");
        let (to, subject, body, kind, status, call_id, by): (
            String,
            String,
            String,
            String,
            String,
            i64,
            String,
        ) = sql
            .query_row(
                "SELECT to_addr, subject, body, kind, status, inbound_call_id, created_by FROM outbox WHERE id = ?1",
                [outbox],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .expect("outbox row");
        assert_eq!(to, "cmejia@universidad.edu.co");
        assert_eq!(subject, "Remisión de interesado en Psicología: Ana Ruiz");
        for part in [
            "Nombre: Ana Ruiz",
            "Teléfono: 300 123 4567",
            "Correo: ana@correo.com",
            "Documento: 1088123456",
            "Observaciones: Quiere estudiar en la noche",
            "Atendió: Andrés Pérez",
            "Ley 1581",
        ] {
            assert!(body.contains(part), "{part} in {body}");
        }
        assert_eq!((kind.as_str(), status.as_str()), ("remision", "pendiente"));
        assert_eq!(call_id, call.id);
        assert_eq!(by, "aperez");
        assert_eq!(
            count(
                &path,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'inbound.register'"
            ),
            1
        );
    });
}

#[test]
fn a_failing_enqueue_leaves_no_call() {
    let (_dir, store, path) = file_store(TestClock::at(NOW));
    let (program, _) = catalog(&store);
    let persons = count(&path, "SELECT COUNT(*) FROM persons");
    // The outbox refuses every row (a full disk, a broken table…).
    rusqlite::Connection::open(&path)
        .expect("sql")
        .execute_batch(
            "CREATE TRIGGER outbox_down BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox down'); END;",
        )
        .expect("trigger");
    let agent = actor(&store, "aperez");
    assert!(store.inbound_register(&agent, &remitted(program)).is_err());
    assert_eq!(count(&path, "SELECT COUNT(*) FROM inbound_calls"), 0);
    assert_eq!(count(&path, "SELECT COUNT(*) FROM persons"), persons);
    assert_eq!(count(&path, "SELECT COUNT(*) FROM person_phone_keys"), 0);
    // An informed call queues nothing: it is registered.
    let mut informed = remitted(program);
    informed.result = Some(InboundResult::Informado);
    store.inbound_register(&agent, &informed).expect("informed");
    assert_eq!(count(&path, "SELECT COUNT(*) FROM inbound_calls"), 1);
    assert_eq!(count(&path, "SELECT COUNT(*) FROM outbox"), 0);
}

#[test]
fn remitting_is_refused_without_authorisation_or_a_managers_email() {
    with_lang(Lang::Es, || {
        let (_dir, store, path) = file_store(TestClock::at(NOW));
        let (program, dept) = catalog(&store);
        let agent = actor(&store, "aperez");
        let mut n = remitted(program);
        n.authorized = false;
        let (field, msg) = field_of(store.inbound_register(&agent, &n).expect_err("refused"));
        assert_eq!(field, Field::Authorization);
        assert!(msg.contains("autorizar"), "{msg}");

        let bare = store
            .add_program(&Actor::cli(), "Derecho", ProgramKind::Programa, Some(dept))
            .expect("program");
        let (field, msg) = field_of(
            store
                .inbound_register(&agent, &remitted(bare.id))
                .expect_err("refused"),
        );
        assert_eq!(field, Field::Program);
        assert!(
            msg.contains("«Derecho»") && msg.contains("Catálogos"),
            "{msg}"
        );
        assert_eq!(count(&path, "SELECT COUNT(*) FROM inbound_calls"), 0);
        assert_eq!(count(&path, "SELECT COUNT(*) FROM outbox"), 0);

        // Bad fields, each under its own.
        let mut n = remitted(program);
        n.phone = Some("3001234567".into());
        assert_eq!(
            field_of(store.inbound_register(&agent, &n).expect_err("refused")).0,
            Field::Phone
        );
        let mut n = remitted(program);
        n.email = "ana@".into();
        assert_eq!(
            field_of(store.inbound_register(&agent, &n).expect_err("refused")).0,
            Field::Email
        );
        let mut n = remitted(program);
        n.program_id = Some(9_999);
        assert_eq!(
            field_of(store.inbound_register(&agent, &n).expect_err("refused")).0,
            Field::Program
        );
        let mut n = remitted(program);
        n.caller_name = "   ".into();
        assert_eq!(
            field_of(store.inbound_register(&agent, &n).expect_err("refused")).0,
            Field::Name
        );
        // Who may register: agents and the professional, not the head nor a solicitante.
        for login in ["mcastro", "posgrados"] {
            assert!(matches!(
                store.inbound_register(&actor(&store, login), &remitted(program)),
                Err(Error::Forbidden(_))
            ));
        }
        assert_eq!(count(&path, "SELECT COUNT(*) FROM inbound_calls"), 0);
    });
}

#[test]
fn a_transfer_carries_the_departments_extension() {
    let store = store_with_people();
    let (_, dept) = catalog(&store);
    let agent = actor(&store, "aperez");
    let mut n = NewInbound {
        caller_name: "Pedro Gil".into(),
        phone: Some("+576015551234".into()),
        asked_about: Some(AskedAbout::OtraDependencia),
        result: Some(InboundResult::Transferida),
        ..Default::default()
    };
    assert_eq!(
        field_of(store.inbound_register(&agent, &n).expect_err("refused")).0,
        Field::Department
    );
    n.department_id = Some(dept);
    let call = store.inbound_register(&agent, &n).expect("transferred");
    assert_eq!(call.department, "Admisiones");
    assert_eq!(call.extension, "4321");
    assert_eq!(call.outbox_id, None);
    assert_eq!(call.followup, None);
    // Remitting a question for another department makes no sense.
    n.result = Some(InboundResult::Remitido);
    n.authorized = true;
    assert_eq!(
        field_of(store.inbound_register(&agent, &n).expect_err("refused")).0,
        Field::Result
    );
}

/// An active campaign whose one contact (Persona 0, +573001000000, document 555) was called
/// once by aperez ("No contesta", with notes).
fn contacted_person(store: &Store) {
    let cli = Actor::cli();
    let dept = store.departments().expect("departments")[0].id;
    let c = store
        .campaign_create_cli(
            &cli,
            "Inscripciones 2027-1",
            dept,
            CampaignKind::Inscripciones,
            "10/11/2026",
            "20/12/2026",
        )
        .expect("campaign");
    let mut content = telemercadeo::domain::script::ScriptContent::default();
    content.sections[1].text = "Buenos días, {nombre}.".into();
    content.sections[3].text = "Hay inscripciones abiertas.".into();
    store
        .script_publish(&cli, c.script_id.expect("script"), &content)
        .expect("published");
    let batch = store
        .import_begin(&cli, c.id, "base.csv", "csv", &Default::default())
        .expect("batch");
    let contacts = vec![NewContact {
        source_row: 2,
        name: "Persona 0".into(),
        phone: 573_001_000_000,
        document: Some("555".into()),
        ..Default::default()
    }];
    store
        .import_chunk(batch, c.id, &contacts, &[])
        .expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: 1,
                imported: 1,
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
                agents: vec!["aperez".to_owned()],
                weights: Vec::new(),
                order: Order::Blocks,
            },
        )
        .expect("distributed");
    store
        .campaign_set_status(&cli, c.id, CampaignStatus::Activa)
        .expect("started");
    let agent = actor(store, "aperez");
    let next = store.call_next(&agent, c.id, "aperez").expect("next");
    let telemercadeo::domain::call::Next::Contact(contact) = next else {
        panic!("a contact to call: {next:?}");
    };
    store
        .call_record(
            &agent,
            "aperez",
            c.id,
            contact.contact_id,
            &telemercadeo::domain::call::Outcome {
                key_or_code: "no_contesta",
                reason: None,
                notes: "Sonó y colgó",
                callback_at: None,
                duration_secs: 20,
                answers: None,
            },
        )
        .expect("recorded");
}

#[test]
fn a_caller_contacted_by_a_campaign_shows_that_history_and_is_linked() {
    let store = store_with_people_in(&Target::Memory, TestClock::at(MONDAY_10AM));
    contacted_person(&store);
    let (program, _) = catalog(&store);
    let agent = actor(&store, "aperez");
    assert_eq!(
        store
            .inbound_lookup(&agent, Some("+573009999999"), None)
            .expect("lookup"),
        None
    );
    assert_eq!(
        store.inbound_lookup(&agent, None, None).expect("nothing"),
        None
    );
    let known = store
        .inbound_lookup(&agent, Some("+573001000000"), None)
        .expect("lookup")
        .expect("known");
    assert_eq!(known.name, "Persona 0");
    assert_eq!(known.attempts.len(), 1);
    let a = &known.attempts[0];
    assert_eq!(a.campaign, "Inscripciones 2027-1");
    assert_eq!(a.agent, "Andrés Pérez");
    assert_eq!(a.notes, "Sonó y colgó");
    assert!(known.calls.is_empty());
    // By the document alone, the same person.
    let by_doc = store
        .inbound_lookup(&agent, None, Some(" 555 "))
        .expect("lookup")
        .expect("known");
    assert_eq!(by_doc.person_id, known.person_id);

    // The call is linked to that person, and shows next time.
    let mut n = remitted(program);
    n.phone = Some("+573001000000".into());
    n.document = String::new();
    n.result = Some(InboundResult::Informado);
    let call = store.inbound_register(&agent, &n).expect("registered");
    assert_eq!(call.person_id, known.person_id);
    let again = store
        .inbound_lookup(&agent, Some("+573001000000"), None)
        .expect("lookup")
        .expect("known");
    assert_eq!(again.calls.len(), 1);
    assert_eq!(again.calls[0].id, call.id);
    assert_eq!(again.name, "Ana Ruiz", "the name the person last gave");

    // A new caller becomes a person: found by document on their next call.
    let mut other = remitted(program);
    other.phone = Some("+573112223344".into());
    other.document = "CC 99.887".into();
    other.result = Some(InboundResult::Informado);
    let first = store.inbound_register(&agent, &other).expect("first");
    let known = store
        .inbound_lookup(&agent, None, Some("cc99887"))
        .expect("lookup")
        .expect("earlier caller");
    assert_eq!(known.person_id, first.person_id);
    assert_eq!(known.calls[0].id, first.id);
    assert!(known.attempts.is_empty());
    // Solicitantes do not read the inbound calls.
    assert!(
        store
            .inbound_lookup(&actor(&store, "posgrados"), Some("+573001000000"), None)
            .is_err()
    );
}

#[test]
fn the_recent_list_filters_pages_and_follows_up() {
    let clock = TestClock::at(NOW);
    let store = store_with_people_in(&Target::Memory, clock.clone());
    let (program, dept) = catalog(&store);
    let agent = actor(&store, "aperez");
    let pro = actor(&store, "lgomez");
    for i in 0..7 {
        clock.set(NOW + i * 60);
        let mut n = remitted(program);
        n.caller_name = format!("Persona {i}");
        n.phone = Some(format!("+5730012300{i:02}"));
        n.document = String::new();
        n.channel = if i % 2 == 0 {
            Channel::Telefono
        } else {
            Channel::Correo
        };
        n.result = Some(if i < 3 {
            InboundResult::Remitido
        } else {
            InboundResult::Informado
        });
        let who = if i == 6 { &pro } else { &agent };
        store.inbound_register(who, &n).expect("registered");
    }
    let all = store
        .inbound_list(&agent, &InboundFilter::default(), 0, 5)
        .expect("list");
    assert_eq!(all.total, 7);
    assert_eq!(all.calls.len(), 5);
    assert_eq!(all.calls[0].caller_name, "Persona 6", "newest first");
    let rest = store
        .inbound_list(&agent, &InboundFilter::default(), 5, 5)
        .expect("page 2");
    assert_eq!(rest.calls.len(), 2);
    let q = |f: InboundFilter| store.inbound_list(&agent, &f, 0, 50).expect("list").total;
    assert_eq!(
        q(InboundFilter {
            search: "persona 4".into(),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(InboundFilter {
            search: "300 123 0005".into(),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(InboundFilter {
            channel: Some(Channel::Correo),
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        q(InboundFilter {
            result: Some(InboundResult::Remitido),
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        q(InboundFilter {
            agent_id: pro.user_id(),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        q(InboundFilter {
            from: Some(NOW + 120),
            to: Some(NOW + 240),
            program_id: Some(program),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        q(InboundFilter {
            program_id: Some(program + 1000),
            ..Default::default()
        }),
        0
    );
    // The head reads the list.
    assert_eq!(
        store
            .inbound_list(&actor(&store, "mcastro"), &InboundFilter::default(), 0, 50)
            .expect("head reads")
            .total,
        7
    );

    // The professional updates a remitted lead; an agent may not; an informed call has none.
    let lead = all
        .calls
        .iter()
        .find(|c| c.caller_name == "Persona 2")
        .expect("lead");
    let informed = all
        .calls
        .iter()
        .find(|c| c.caller_name == "Persona 4")
        .expect("informed");
    assert!(matches!(
        store.inbound_set_followup(&agent, lead.id, Followup::Inscrito),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        store.inbound_set_followup(&pro, informed.id, Followup::Inscrito),
        Err(Error::Conflict(_))
    ));
    let updated = store
        .inbound_set_followup(&pro, lead.id, Followup::Inscrito)
        .expect("followed up");
    assert_eq!(updated.followup, Some(Followup::Inscrito));
    assert_eq!(
        q(InboundFilter {
            followup: Some(Followup::Inscrito),
            ..Default::default()
        }),
        1
    );
    let _ = dept;
}

#[test]
fn sending_information_needs_authorisation_and_an_email_and_attaches_the_brochure() {
    let (_dir, store, path) = file_store(TestClock::at(NOW));
    let (program, _) = catalog(&store);
    let pdf = b"%PDF-1.4 folleto".to_vec();
    store
        .program_set_brochure(&Actor::cli(), program, Some(("/tmp/Folleto.pdf", &pdf)))
        .expect("brochure");
    let agent = actor(&store, "aperez");
    let mut n = remitted(program);
    n.result = Some(InboundResult::Informado);
    n.authorized = false;
    let unauthorised = store.inbound_register(&agent, &n).expect("informed");
    assert_eq!(
        field_of(
            store
                .inbound_send_info(&agent, unauthorised.id)
                .expect_err("refused")
        )
        .0,
        Field::Authorization
    );
    n.authorized = true;
    n.email = String::new();
    let no_email = store.inbound_register(&agent, &n).expect("informed");
    assert_eq!(
        field_of(
            store
                .inbound_send_info(&agent, no_email.id)
                .expect_err("refused")
        )
        .0,
        Field::Email
    );
    n.email = "ana@correo.com".into();
    let ok = store.inbound_register(&agent, &n).expect("informed");
    let id = store.inbound_send_info(&agent, ok.id).expect("queued");
    let sql = rusqlite::Connection::open(&path).expect("sql");
    let (to, kind, body): (String, String, String) = sql
        .query_row(
            "SELECT to_addr, kind, body FROM outbox WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("row");
    assert_eq!(
        (to.as_str(), kind.as_str()),
        ("ana@correo.com", "informacion")
    );
    assert!(body.contains("$ 4.500.000 por semestre"), "{body}");
    let (name, size): (String, i64) = sql
        .query_row(
            "SELECT b.file_name, b.size FROM outbox_attachments a JOIN blobs b ON b.id = a.blob_id WHERE a.outbox_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("attachment");
    assert_eq!((name.as_str(), size), ("Folleto.pdf", pdf.len() as i64));
}

#[test]
fn catalog_sheets_managers_extensions_and_brochures_are_checked() {
    let (_dir, store, path) = file_store(TestClock::at(NOW));
    let (program, dept) = catalog(&store);
    let cli = Actor::cli();
    let p = store.program(program).expect("program");
    assert_eq!(p.manager_name, "Carlos Mejía");
    assert_eq!(p.manager_email, "cmejia@universidad.edu.co");
    assert_eq!(p.sheet.snies, "1234");
    let d = store
        .departments()
        .expect("departments")
        .into_iter()
        .find(|d| d.id == dept)
        .expect("dept");
    assert_eq!(d.extension, "4321");

    let bad = ProgramDetails {
        manager_email: "carlos@".into(),
        ..Default::default()
    };
    assert_eq!(
        field_of(
            store
                .program_set_details(&cli, program, &bad)
                .expect_err("refused")
        )
        .0,
        Field::ContactEmail
    );
    assert_eq!(
        field_of(
            store
                .set_department_extension(&cli, dept, "ext. 12")
                .expect_err("refused")
        )
        .0,
        Field::Extension
    );
    assert!(matches!(
        store.program_set_details(
            &actor(&store, "aperez"),
            program,
            &ProgramDetails::default()
        ),
        Err(Error::Forbidden(_))
    ));
    // Brochures: a PDF or an image, at most 10 MB, stored once.
    let big = vec![0u8; MAX_BROCHURE_BYTES + 1];
    let (field, msg) = field_of(
        store
            .program_set_brochure(&cli, program, Some(("folleto.pdf", &big)))
            .expect_err("refused"),
    );
    assert_eq!(field, Field::File);
    assert!(msg.contains("10 MB"), "{msg}");
    assert_eq!(
        field_of(
            store
                .program_set_brochure(&cli, program, Some(("folleto.docx", b"x")))
                .expect_err("refused")
        )
        .0,
        Field::File
    );
    let other = store
        .add_program(&cli, "Derecho", ProgramKind::Programa, None)
        .expect("program");
    let bytes = b"%PDF-1.4 el mismo folleto".to_vec();
    let a = store
        .program_set_brochure(&cli, program, Some(("a.pdf", &bytes)))
        .expect("a");
    let b = store
        .program_set_brochure(&cli, other.id, Some(("b.pdf", &bytes)))
        .expect("b");
    assert_eq!(
        a.brochure.as_ref().map(|x| x.blob_id),
        b.brochure.as_ref().map(|x| x.blob_id)
    );
    assert_eq!(count(&path, "SELECT COUNT(*) FROM blobs"), 1);
    let removed = store
        .program_set_brochure(&cli, program, None)
        .expect("removed");
    assert_eq!(removed.brochure, None);
    assert_eq!(
        count(
            &path,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('program.details', 'program.brochure', 'department.extension')"
        ),
        5
    );
}

#[test]
fn the_remission_template_is_editable_and_checked() {
    with_lang(Lang::Es, || {
        let store = store_with_people();
        let (program, _) = catalog(&store);
        let head = actor(&store, "mcastro");
        assert!(
            store
                .remission_template()
                .expect("default")
                .contains("{nombre}")
        );
        assert_eq!(
            field_of(
                store
                    .set_remission_template(&head, "Hola {apellido}")
                    .expect_err("refused")
            )
            .0,
            Field::Template
        );
        assert!(matches!(
            store.set_remission_template(&actor(&store, "aperez"), "x"),
            Err(Error::Forbidden(_))
        ));
        store
            .set_remission_template(&head, "Interesado: {nombre} ({telefono}) en {programa}.")
            .expect("saved");
        let agent = actor(&store, "aperez");
        let call = store
            .inbound_register(&agent, &remitted(program))
            .expect("remitted");
        assert!(call.outbox_id.is_some());
        // Back to the default with an empty text.
        store.set_remission_template(&head, "  ").expect("reset");
        assert!(
            store
                .remission_template()
                .expect("default")
                .contains("Ley 1581")
        );
    });
}
