//! The outbound flow in the store: brief → decision → strategy → script → campaign,
//! with the refusals each role meets, the PDF record and the XLSX template.

use std::sync::Arc;

use telemercadeo::domain::brief::BriefFilter;
use telemercadeo::domain::brief::BriefForm;
use telemercadeo::domain::campaign::CampaignForm;
use telemercadeo::domain::procedure::{BriefStatus, CampaignKind, CampaignStatus};
use telemercadeo::domain::script::{Question, QuestionKind, SectionKind};
use telemercadeo::domain::strategy::StrategyForm;
use telemercadeo::domain::{Actor, NewUser, Role, TestClock, User};
use telemercadeo::store::{Error, Store, Target};

const PW: &str = "clave-segura-1";
/// 2026-11-29 15:00 UTC (10:00 a. m. in Bogotá).
const NOW: i64 = 1_795_910_400 + 15 * 3600;

struct World {
    store: Store,
    head: Actor,
    prof: Actor,
    prof2: Actor,
    agent: Actor,
    posgrados: Actor,
    ingenieria: Actor,
    dept_posgrados: i64,
}

fn actor(u: &User) -> Actor {
    Actor::User {
        id: u.id,
        login: u.login.clone(),
        role: u.role,
        department_id: u.department_id,
    }
}

fn world() -> World {
    let store =
        Store::open_with_clock(&Target::Memory, Arc::new(TestClock::at(NOW))).expect("store");
    let head = actor(
        &store
            .create_first_head("María", "mcastro", PW, PW)
            .expect("head"),
    );
    let d1 = store
        .add_department(&head, "Dirección de Posgrados")
        .expect("d1")
        .id;
    let d2 = store
        .add_department(&head, "Facultad de Ingeniería")
        .expect("d2")
        .id;
    let add = |login: &str, role: Role, dept: Option<i64>| {
        actor(
            &store
                .add_user(
                    &head,
                    &NewUser {
                        login: login.into(),
                        name: format!("Persona {login}"),
                        role: Some(role),
                        department_id: dept,
                    },
                    PW,
                    PW,
                )
                .expect("user"),
        )
    };
    World {
        prof: add("lgomez", Role::Profesional, None),
        prof2: add("otra", Role::Profesional, None),
        agent: add("aperez", Role::Auxiliar, None),
        posgrados: add("posgrados", Role::Solicitante, Some(d1)),
        ingenieria: add("ingenieria", Role::Solicitante, Some(d2)),
        dept_posgrados: d1,
        head,
        store,
    }
}

fn form(start: &str, end: &str) -> BriefForm {
    BriefForm {
        department_id: None,
        contact_name: "Sandra Torres".into(),
        contact_email: "posgrados@universidad.edu.co".into(),
        campaign_name: "Inscripciones 2027-1".into(),
        kind: Some(CampaignKind::Inscripciones),
        objective: "Aumentar inscripciones".into(),
        audience: "Egresados".into(),
        key_message: "Descuento por pronto pago".into(),
        start_date: start.into(),
        end_date: end.into(),
        expected_result: "80 inscritos".into(),
        database_fields: "Nombre, Teléfono, Correo, Programa de interés".into(),
        observations: String::new(),
    }
}

#[test]
fn a_late_brief_is_flagged_not_refused() {
    let w = world();
    // Today is 29/11/2026: a start on 03/12 is 4 days ahead, 4 short of the 8 required.
    let b = w
        .store
        .brief_create(&w.posgrados, &form("03/12/2026", "20/12/2026"))
        .expect("draft");
    assert_eq!(b.status, BriefStatus::Borrador);
    assert_eq!(
        b.form.department_id,
        Some(w.dept_posgrados),
        "the solicitante's department"
    );
    let b = w.store.brief_submit(&w.posgrados, b.id).expect("submitted");
    assert_eq!(b.status, BriefStatus::Enviada);
    assert_eq!(b.late_days, Some(4));
    assert!(b.is_late());
    // On time: 8 days ahead exactly.
    let ok = w
        .store
        .brief_create(&w.posgrados, &form("07/12/2026", "20/12/2026"))
        .expect("draft");
    let ok = w
        .store
        .brief_submit(&w.posgrados, ok.id)
        .expect("submitted");
    assert_eq!(ok.late_days, Some(0));
    assert!(!ok.is_late());
    // The head filters the late ones.
    let late = w
        .store
        .briefs(
            &w.head,
            &BriefFilter {
                late_only: true,
                ..Default::default()
            },
        )
        .expect("list");
    assert_eq!(late.iter().map(|b| b.id).collect::<Vec<_>>(), vec![b.id]);
    let history = w.store.brief_history(&w.head, b.id).expect("history");
    assert_eq!(history.len(), 2);
    assert!(history[1].comment.contains("4 días"), "{:?}", history[1]);
}

#[test]
fn submitting_checks_every_field_and_keeps_the_draft() {
    let w = world();
    let mut f = form("01/12/2026", "30/11/2026");
    f.contact_email = "sandra@".into();
    f.objective.clear();
    let b = w
        .store
        .brief_create(&w.posgrados, &f)
        .expect("a draft saves anyway");
    let errs = w
        .store
        .brief_submit(&w.posgrados, b.id)
        .expect_err("invalid");
    let fields: Vec<_> = errs.iter().map(|e| e.field.code()).collect();
    assert!(fields.contains(&"contact_email"), "{fields:?}");
    assert!(fields.contains(&"objective"), "{fields:?}");
    assert!(fields.contains(&"end_date"), "{fields:?}");
    let again = w.store.brief(&w.posgrados, b.id).expect("still there");
    assert_eq!(again.status, BriefStatus::Borrador);
    assert_eq!(
        again.form.contact_email, "sandra@",
        "nothing the user typed is lost"
    );
    // A date that does not parse is refused even in a draft, under its field.
    let bad = BriefForm {
        start_date: "el lunes".into(),
        ..form("", "")
    };
    match w.store.brief_create(&w.posgrados, &bad) {
        Err(Error::Invalid(e)) => assert_eq!(e.field, "start_date"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_solicitante_sees_only_its_department() {
    let w = world();
    let mine = w
        .store
        .brief_create(&w.posgrados, &form("10/12/2026", "20/12/2026"))
        .expect("draft");
    let theirs = w
        .store
        .brief_create(&w.ingenieria, &form("10/12/2026", "20/12/2026"))
        .expect("draft");
    let list = w
        .store
        .briefs(&w.posgrados, &BriefFilter::default())
        .expect("list");
    assert_eq!(list.iter().map(|b| b.id).collect::<Vec<_>>(), vec![mine.id]);
    assert!(matches!(
        w.store.brief(&w.posgrados, theirs.id),
        Err(Error::NotFound(_))
    ));
    assert!(
        w.store
            .brief_attach(&w.posgrados, theirs.id, "x.csv", b"a")
            .is_err()
    );
    // A solicitante cannot slip a brief into another department.
    let sneaky = BriefForm {
        department_id: Some(theirs.form.department_id.unwrap_or_default()),
        ..form("10/12/2026", "20/12/2026")
    };
    let b = w.store.brief_create(&w.posgrados, &sneaky).expect("draft");
    assert_eq!(b.form.department_id, Some(w.dept_posgrados));
    // Drafts stay with their department: the head sees submitted briefs only.
    assert!(
        w.store
            .briefs(&w.head, &BriefFilter::default())
            .expect("list")
            .is_empty()
    );
    // Agents have no business with briefs.
    assert!(matches!(
        w.store.briefs(&w.agent, &BriefFilter::default()),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn only_the_head_decides_and_a_returned_brief_can_be_resubmitted() {
    let w = world();
    let b = w
        .store
        .brief_create(&w.posgrados, &form("10/12/2026", "20/12/2026"))
        .expect("draft");
    w.store.brief_submit(&w.posgrados, b.id).expect("submit");
    for who in [&w.agent, &w.prof, &w.posgrados] {
        assert!(
            matches!(
                w.store.brief_accept(who, b.id, ""),
                Err(Error::Forbidden(_))
            ),
            "{who:?} may not accept"
        );
    }
    // Submitted briefs cannot be edited by the department.
    assert!(matches!(
        w.store
            .brief_update(&w.posgrados, b.id, &form("11/12/2026", "20/12/2026")),
        Err(Error::Conflict(_))
    ));
    // Returning needs a comment.
    assert!(matches!(
        w.store.brief_return(&w.head, b.id, "  "),
        Err(Error::Invalid(_))
    ));
    let r = w
        .store
        .brief_return(&w.head, b.id, "Adjunte la base de datos.")
        .expect("returned");
    assert_eq!(r.status, BriefStatus::Devuelta);
    assert_eq!(
        r.decision_comment.as_deref(),
        Some("Adjunte la base de datos.")
    );
    // The department fixes it, attaches the file and submits again.
    let csv = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/contacts_utf8.csv"
    ))
    .expect("fixture");
    w.store
        .brief_attach(&w.posgrados, b.id, "contacts_utf8.csv", &csv)
        .expect("attach");
    w.store
        .brief_update(&w.posgrados, b.id, &form("12/12/2026", "20/12/2026"))
        .expect("edit");
    let again = w
        .store
        .brief_submit(&w.posgrados, b.id)
        .expect("resubmitted");
    assert_eq!(again.status, BriefStatus::Enviada);
    let files = w.store.brief_files(&w.head, b.id).expect("files");
    assert_eq!(files.len(), 1);
    let (name, bytes) = w
        .store
        .brief_file_content(&w.head, files[0].id)
        .expect("bytes");
    assert_eq!(
        (name.as_str(), bytes.len()),
        ("contacts_utf8.csv", csv.len())
    );
    let steps: Vec<_> = w
        .store
        .brief_history(&w.posgrados, b.id)
        .expect("history")
        .into_iter()
        .map(|e| e.to)
        .collect();
    assert_eq!(
        steps,
        vec![
            BriefStatus::Borrador,
            BriefStatus::Enviada,
            BriefStatus::Devuelta,
            BriefStatus::Enviada
        ]
    );
    // Rejection is final.
    w.store
        .brief_reject(&w.head, b.id, "Fuera del alcance")
        .expect("rejected");
    assert!(w.store.brief_accept(&w.head, b.id, "").is_err());
}

#[test]
fn strategy_script_and_campaign() {
    let w = world();
    let b = w
        .store
        .brief_create(&w.posgrados, &form("10/12/2026", "20/12/2026"))
        .expect("draft");
    w.store.brief_submit(&w.posgrados, b.id).expect("submit");
    // No strategy before accepting.
    let strategy = StrategyForm {
        approach: "Llamar primero a los interesados recientes".into(),
        assigned_to: w.prof.user_id(),
        ..Default::default()
    };
    assert!(
        w.store
            .strategy_save(&w.head, b.id, &strategy, true)
            .is_err()
    );
    w.store.brief_accept(&w.head, b.id, "").expect("accept");
    // Only a professional can be assigned.
    let to_agent = StrategyForm {
        assigned_to: w.agent.user_id(),
        ..strategy.clone()
    };
    match w.store.strategy_save(&w.head, b.id, &to_agent, true) {
        Err(Error::Invalid(e)) => assert_eq!(e.field, "assigned_to"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        w.store.strategy_save(&w.prof, b.id, &strategy, true),
        Err(Error::Forbidden(_))
    ));
    let s = w
        .store
        .strategy_save(&w.head, b.id, &strategy, true)
        .expect("assigned");
    assert_eq!(s.assigned_name.as_deref(), Some("Persona lgomez"));
    assert_eq!(
        w.store.brief(&w.head, b.id).expect("brief").status,
        BriefStatus::Asignada
    );
    // The professional sees it; another professional does not.
    assert_eq!(w.store.strategies(&w.prof).expect("mine").len(), 1);
    assert!(w.store.strategies(&w.prof2).expect("theirs").is_empty());

    // The script: default sections, the notice first and not removable.
    let draft = w
        .store
        .script_create(&w.prof, b.id)
        .expect("created for the professional");
    assert_eq!(
        w.store.script_create(&w.prof, b.id).expect("again").id,
        draft.id,
        "one script per brief"
    );
    let mut content = draft.content.clone();
    assert_eq!(content.sections[0].kind, SectionKind::AvisoDatos);
    assert!(!content.remove_section(0));
    // An unknown placeholder is refused at publishing, naming it.
    content.sections[3].text = "Inscríbase en {programa}, {apodo}.".into();
    match w.store.script_publish(&w.prof, draft.id, &content) {
        Err(Error::Invalid(e)) => assert!(e.message.contains("{apodo}"), "{}", e.message),
        other => panic!("{other:?}"),
    }
    // A field the brief says the database brings is a known placeholder.
    content.sections[3].text = "Inscríbase en {programa_de_interes}, {nombre}.".into();
    content.questions.push(Question {
        id: 1,
        text: "¿Tiene alguna condición de salud que debamos conocer?".into(),
        kind: QuestionKind::SiNo,
        options: vec![],
        required: true,
        sensitive: true,
    });
    // The head cannot publish; the agent cannot either.
    for who in [&w.head, &w.agent] {
        assert!(matches!(
            w.store.script_publish(who, draft.id, &content),
            Err(Error::Forbidden(_))
        ));
    }
    let v1 = w
        .store
        .script_publish(&w.prof, draft.id, &content)
        .expect("published");
    assert_eq!(v1.version, 1);
    assert!(
        !v1.content.questions[0].is_required(),
        "sensitive is optional"
    );
    // Removing the notice from a saved draft puts it back.
    let mut no_notice = content.clone();
    no_notice.sections.remove(0);
    w.store
        .script_save(&w.prof, draft.id, &no_notice)
        .expect("save");
    let reread = w
        .store
        .script_of_brief(&w.prof, b.id)
        .expect("script")
        .expect("exists");
    assert!(
        reread
            .content
            .sections
            .iter()
            .any(|s| s.kind == SectionKind::AvisoDatos)
    );
    content.sections[1].text = "Buenas tardes, {nombre}.".into();
    let v2 = w
        .store
        .script_publish(&w.prof, draft.id, &content)
        .expect("v2");
    assert_eq!(v2.version, 2);
    let versions = w
        .store
        .script_versions(&w.head, draft.id)
        .expect("versions");
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![2, 1]
    );
    assert_ne!(
        versions[1].content.sections[1].text, "Buenas tardes, {nombre}.",
        "version 1 is immutable"
    );

    // The campaign: only the assigned professional creates it.
    let dispositions: Vec<i64> = w
        .store
        .dispositions()
        .expect("dispositions")
        .iter()
        .map(|d| d.id)
        .collect();
    let cform = CampaignForm {
        name: "Inscripciones 2027-1".into(),
        kind: CampaignKind::Inscripciones,
        start_date: "10/12/2026".into(),
        end_date: "20/12/2026".into(),
        dispositions,
        ..Default::default()
    };
    assert!(matches!(
        w.store.campaign_create(&w.prof2, b.id, &cform),
        Err(Error::Forbidden(_))
    ));
    let c = w
        .store
        .campaign_create(&w.prof, b.id, &cform)
        .expect("campaign");
    assert_eq!(c.status, CampaignStatus::Planificada);
    assert!(
        w.store.campaign_create(&w.prof, b.id, &cform).is_err(),
        "one per brief"
    );
    // Published script, but no contacts yet: starting says what is missing.
    let blockers = w
        .store
        .campaign_start_blockers(&w.prof, c.id)
        .expect("blockers");
    assert_eq!(blockers.len(), 1, "{blockers:?}");
    assert!(
        blockers[0].to_string().contains("no tiene contactos"),
        "{blockers:?}"
    );
    // Load a base and distribute it: now it may start.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("base.csv");
    std::fs::write(
        &file,
        "Nombre,Celular,Programa de interés\nAna,300 123 4567,Psicología\nLuis,310 765 4321,Derecho\nSin número,,Derecho\n",
    )
    .expect("write");
    let never = std::sync::atomic::AtomicBool::new(false);
    let report = telemercadeo::import::job::run(
        &w.store,
        &w.prof,
        c.id,
        &telemercadeo::import::read::Source::File(file),
        &Default::default(),
        &|_| {},
        &never,
    )
    .expect("import");
    assert_eq!((report.counts.imported, report.counts.rejected), (2, 1));
    let blockers = w
        .store
        .campaign_start_blockers(&w.prof, c.id)
        .expect("blockers");
    assert!(
        blockers[0].to_string().contains("2 contactos sin auxiliar"),
        "{blockers:?}"
    );
    let d = w
        .store
        .distribute(&w.prof, c.id, &Default::default())
        .expect("distribute");
    assert_eq!(d.assigned.get("aperez"), Some(&2));
    assert_eq!(d.unassigned, 0);
    assert!(
        w.store
            .campaign_start_blockers(&w.prof, c.id)
            .expect("blockers")
            .is_empty()
    );
    // Agents read the published script of the campaign.
    let for_agent = w
        .store
        .campaign_script(&w.agent, c.id)
        .expect("script")
        .expect("published");
    assert_eq!(for_agent.version, 2);
    // Status moves; the brief follows.
    assert!(matches!(
        w.store
            .campaign_set_status(&w.head, c.id, CampaignStatus::Activa),
        Err(Error::Forbidden(_))
    ));
    w.store
        .campaign_set_status(&w.prof, c.id, CampaignStatus::Activa)
        .expect("start");
    assert_eq!(
        w.store.brief(&w.head, b.id).expect("brief").status,
        BriefStatus::EnEjecucion
    );
    assert!(
        w.store
            .campaign_set_status(&w.prof, c.id, CampaignStatus::Planificada)
            .is_err()
    );
    w.store
        .campaign_set_status(&w.prof, c.id, CampaignStatus::Cerrada)
        .expect("close");
    assert_eq!(
        w.store.brief(&w.head, b.id).expect("brief").status,
        BriefStatus::Finalizada
    );
}

#[test]
fn a_campaign_without_a_published_script_cannot_start() {
    let w = world();
    let cli = Actor::cli();
    let c = w
        .store
        .campaign_create_cli(
            &cli,
            "Congreso 2027",
            w.dept_posgrados,
            CampaignKind::Congreso,
            "2026-12-10",
            "2026-12-12",
        )
        .expect("created");
    let blockers = w
        .store
        .campaign_start_blockers(&w.prof, c.id)
        .expect("blockers");
    assert_eq!(blockers.len(), 2, "{blockers:?}");
    assert!(
        blockers[0].to_string().contains("guion publicado"),
        "{blockers:?}"
    );
    assert!(
        blockers[1].to_string().contains("no tiene contactos"),
        "{blockers:?}"
    );
    match w
        .store
        .campaign_set_status(&w.prof, c.id, CampaignStatus::Activa)
    {
        Err(Error::Conflict(m)) => assert!(m.contains("guion"), "{m}"),
        other => panic!("{other:?}"),
    }
    let brief = w
        .store
        .brief(&w.head, c.brief_id.expect("brief"))
        .expect("brief");
    assert_eq!(brief.source, "cli");
    assert_eq!(brief.status, BriefStatus::Asignada);
}

#[test]
fn the_brief_pdf_carries_the_record_header_and_every_field() {
    let w = world();
    let b = w
        .store
        .brief_create(&w.posgrados, &form("03/12/2026", "20/12/2026"))
        .expect("draft");
    w.store
        .brief_attach(&w.posgrados, b.id, "base.csv", b"Nombre,Telefono\n")
        .expect("attach");
    let b = w.store.brief_submit(&w.posgrados, b.id).expect("submit");
    let history = w.store.brief_history(&w.head, b.id).expect("history");
    let files = w.store.brief_files(&w.head, b.id).expect("files");
    let settings = w.store.settings().expect("settings");
    let pdf = telemercadeo::report::brief_pdf(&b, &history, &files, &settings, NOW).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    std::fs::write(
        std::env::temp_dir().join("telemercadeo-brief-test.pdf"),
        &pdf,
    )
    .expect("write");
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "GF-MK-PR-01-01",
        "Brief para campañas de telemercadeo",
        "Página 1 de",
        "29/11/2026",
        "Dirección de Posgrados",
        "Inscripciones 2027-1",
        "posgrados@universidad.edu.co",
        "Descuento por pronto pago",
        "03/12/2026",
        "Extemporánea",
        "base.csv",
        "Persona de contacto",
        "Campos de la base de datos",
    ] {
        assert!(
            flat.contains(needle),
            "«{needle}» not in the PDF text:\n{flat}"
        );
    }
}

#[test]
fn the_xlsx_template_round_trips_into_a_draft() {
    let w = world();
    let template = telemercadeo::report::brief_xlsx::brief_template(&[
        "Dirección de Posgrados".to_owned(),
        "Facultad de Ingeniería".to_owned(),
    ])
    .expect("template");
    // A blank template imports as a draft that says what is missing.
    let (blank, problems) =
        telemercadeo::report::import_brief_xlsx(&w.store, &w.posgrados, &template).expect("blank");
    assert_eq!(blank.status, BriefStatus::Borrador);
    assert_eq!(blank.source, "xlsx");
    assert!(problems.is_empty() || problems.iter().all(|p| !p.is_empty()));
    // Garbage is refused with a message, and nothing is created.
    let before = w
        .store
        .briefs(&w.posgrados, &BriefFilter::default())
        .expect("list")
        .len();
    let err = telemercadeo::report::import_brief_xlsx(&w.store, &w.posgrados, b"no es excel")
        .expect_err("garbage");
    assert!(err.to_string().contains("Excel"), "{err}");
    let truncated = &template[..template.len() / 2];
    assert!(telemercadeo::report::import_brief_xlsx(&w.store, &w.posgrados, truncated).is_err());
    assert_eq!(
        w.store
            .briefs(&w.posgrados, &BriefFilter::default())
            .expect("list")
            .len(),
        before
    );
}

#[test]
fn the_head_does_not_edit_a_departments_returned_brief() {
    let w = world();
    let b = w
        .store
        .brief_create(&w.posgrados, &form("10/12/2026", "20/12/2026"))
        .expect("draft");
    w.store.brief_submit(&w.posgrados, b.id).expect("submit");
    w.store
        .brief_return(&w.head, b.id, "Falta la base")
        .expect("returned");
    let edited = BriefForm {
        department_id: Some(w.dept_posgrados),
        ..form("11/12/2026", "20/12/2026")
    };
    for who in [&w.head, &w.prof] {
        assert!(matches!(
            w.store.brief_update(who, b.id, &edited),
            Err(Error::Forbidden(_))
        ));
        assert!(w.store.brief_attach(who, b.id, "x.csv", b"a").is_err());
    }
    // The professional edits what they filed on a department's behalf.
    let mine = w
        .store
        .brief_create(
            &w.prof,
            &BriefForm {
                department_id: Some(w.dept_posgrados),
                ..form("10/12/2026", "20/12/2026")
            },
        )
        .expect("filed by the professional");
    assert!(w.store.brief_update(&w.prof, mine.id, &edited).is_ok());
}

#[test]
fn the_templates_sample_text_is_refused_at_publishing() {
    let w = world();
    let c = w
        .store
        .campaign_create_cli(
            &Actor::cli(),
            "Reintegros 2027-1",
            w.dept_posgrados,
            CampaignKind::Inscripciones,
            "10/12/2026",
            "20/12/2026",
        )
        .expect("campaign");
    let script = c.script_id.expect("script");
    let draft = w.store.script_latest(&w.prof, script).expect("read");
    assert!(draft.is_none());
    // The default sections, untouched: "Escriba aquí el mensaje central…" is not a message.
    let mut content = telemercadeo::domain::script::ScriptContent::default();
    match w.store.script_publish(&w.prof, script, &content) {
        Err(Error::Invalid(e)) => {
            assert!(
                e.message.to_string().contains("Mensaje central"),
                "{}",
                e.message
            )
        }
        other => panic!("published the template's sample text: {other:?}"),
    }
    assert!(
        w.store
            .script_latest(&w.prof, script)
            .expect("read")
            .is_none()
    );
    content.sections[3].text = "Vuelva a estudiar con 15 % de descuento.".into();
    assert_eq!(
        w.store
            .script_publish(&w.prof, script, &content)
            .expect("published")
            .version,
        1
    );
}
