//! `demo`: fills an empty database with a realistic set, so a newcomer sees a living program.

use std::collections::BTreeMap;

use crate::domain::brief::BriefForm;
use crate::domain::campaign::CampaignForm;
use crate::domain::procedure::CampaignKind;
use crate::domain::script::{Question, QuestionKind, ScriptContent};
use crate::domain::strategy::{Priority, StrategyForm};
use crate::domain::{Actor, NewUser, ProgramKind, Role, User};
use crate::i18n::Msg;
use crate::store::{Error, Result, Store, What};

/// What `demo` created.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    /// The password every demo user shares (shown once).
    pub password: String,
    /// `(login, role)` of each demo user.
    pub users: Vec<(String, Role)>,
    /// Departments created.
    pub departments: usize,
    /// Programs and services created.
    pub programs: usize,
    /// Briefs created.
    pub briefs: usize,
    /// Campaigns created.
    pub campaigns: usize,
}

const DEPARTMENTS: [&str; 7] = [
    "Admisiones y Registro",
    "Dirección de Posgrados",
    "Facultad de Ingeniería",
    "Facultad de Ciencias de la Salud",
    "Bienestar Universitario",
    "Educación Continua",
    "Oficina de Egresados",
];

const PROGRAMS: [(&str, ProgramKind, usize); 14] = [
    ("Psicología", ProgramKind::Programa, 0),
    ("Derecho", ProgramKind::Programa, 0),
    ("Ingeniería de Sistemas", ProgramKind::Programa, 2),
    ("Ingeniería Industrial", ProgramKind::Programa, 2),
    ("Medicina", ProgramKind::Programa, 3),
    ("Enfermería", ProgramKind::Programa, 3),
    ("Administración de Empresas", ProgramKind::Programa, 0),
    ("Negocios Internacionales", ProgramKind::Programa, 0),
    ("Tecnología en Gestión Logística", ProgramKind::Programa, 0),
    (
        "Especialización en Seguridad y Salud en el Trabajo",
        ProgramKind::Programa,
        1,
    ),
    ("Maestría en Educación", ProgramKind::Programa, 1),
    ("Diplomado en Marketing Digital", ProgramKind::Servicio, 5),
    ("Centro de Idiomas", ProgramKind::Servicio, 5),
    ("Consultorio Jurídico", ProgramKind::Servicio, 4),
];

/// (login, name, role, department index)
const USERS: [(&str, &str, Role, Option<usize>); 8] = [
    ("mcastro", "María Fernanda Castro", Role::Jefe, None),
    ("lgomez", "Laura Gómez Ríos", Role::Profesional, None),
    ("aperez", "Andrés Pérez Quintero", Role::Auxiliar, None),
    ("cruiz", "Camila Ruiz Ospina", Role::Auxiliar, None),
    ("jmora", "Julián Mora Cárdenas", Role::Auxiliar, None),
    ("dvargas", "Diana Vargas León", Role::Auxiliar, None),
    (
        "posgrados",
        "Sandra Milena Torres",
        Role::Solicitante,
        Some(1),
    ),
    (
        "ingenieria",
        "Carlos Andrés Beltrán",
        Role::Solicitante,
        Some(2),
    ),
];

/// A fresh password for the demo users: `demo-` and eight random characters.
fn demo_password() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("demo-{}", &hex[..8])
}

/// Fills an empty database. Refused when any user exists, so real data is never mixed with demo data.
pub fn fill(store: &Store, actor: &Actor) -> Result<DemoSummary> {
    if store.user_count()? > 0 {
        return Err(Error::Conflict(Msg::new("demo.err_not_empty")));
    }
    let password = demo_password();
    let mut dept_ids = Vec::new();
    for name in DEPARTMENTS {
        dept_ids.push(store.add_department(actor, name)?.id);
    }
    for (name, kind, dept) in PROGRAMS {
        store.add_program(actor, name, kind, dept_ids.get(dept).copied())?;
    }
    let mut users = Vec::new();
    let mut created: Vec<User> = Vec::new();
    for (login, name, role, dept) in USERS {
        let new = NewUser {
            login: login.to_owned(),
            name: name.to_owned(),
            role: Some(role),
            department_id: dept.and_then(|i| dept_ids.get(i).copied()),
        };
        created.push(store.add_user(actor, &new, &password, &password)?);
        users.push((login.to_owned(), role));
    }
    let (briefs, campaigns) = outbound(store, &created, &dept_ids)?;
    Ok(DemoSummary {
        password,
        users,
        departments: DEPARTMENTS.len(),
        programs: PROGRAMS.len(),
        briefs,
        campaigns,
    })
}

fn actor_of(users: &[User], login: &str) -> Result<Actor> {
    users
        .iter()
        .find(|u| u.login == login)
        .map(|u| Actor::User {
            id: u.id,
            login: u.login.clone(),
            role: u.role,
            department_id: u.department_id,
        })
        .ok_or(Error::NotFound(What::User))
}

/// `DD/MM/AAAA` of today plus `days`.
fn in_days(store: &Store, days: i64) -> Result<String> {
    let d = store.today()? + chrono::Duration::days(days);
    Ok(crate::domain::format::date(&d))
}

/// Briefs in several states, a strategy, a published script with a survey, and a campaign.
fn outbound(store: &Store, users: &[User], depts: &[i64]) -> Result<(usize, usize)> {
    let head = actor_of(users, "mcastro")?;
    let prof = actor_of(users, "lgomez")?;
    let posgrados = actor_of(users, "posgrados")?;
    let ingenieria = actor_of(users, "ingenieria")?;
    let prof_id = prof.user_id();
    let base = |name: &str, kind: CampaignKind, start: String, end: String| {
        BriefForm {
        contact_name: "Sandra Milena Torres".into(),
        contact_email: "posgrados@universidad.edu.co".into(),
        campaign_name: name.into(),
        kind: Some(kind),
        objective: "Aumentar las inscripciones a las especializaciones del primer semestre.".into(),
        audience: "Egresados de pregrado de los últimos cinco años y personas que pidieron información.".into(),
        key_message: "Inscripciones abiertas hasta el 15 de enero; descuento del 10 % por pronto pago; clases virtuales y presenciales.".into(),
        start_date: start,
        end_date: end,
        expected_result: "300 interesados y 80 inscritos.".into(),
        database_fields: "Nombre, Teléfono, Correo, Programa de interés, Ciudad".into(),
        ..Default::default()
    }
    };
    let mut briefs = 0;

    // 1. Accepted, strategy assigned, script published, campaign planned.
    let b1 = store.brief_create(
        &posgrados,
        &base(
            "Inscripciones 2027-1 · Especializaciones",
            CampaignKind::Inscripciones,
            in_days(store, 20)?,
            in_days(store, 45)?,
        ),
    )?;
    store.brief_attach(
        &posgrados,
        b1.id,
        "base-inscripciones-2027-1.csv",
        "Nombre,Teléfono,Correo,Programa de interés,Ciudad\nMaría José Rojas Peña,300 123 4567,mjrojas@example.com,Especialización en Seguridad y Salud en el Trabajo,Pereira\n".as_bytes(),
    )?;
    submit(store, &posgrados, b1.id)?;
    store.brief_accept(&head, b1.id, "")?;
    let mut targets = BTreeMap::new();
    targets.insert("registros".to_owned(), 2000.0);
    targets.insert("contactabilidad".to_owned(), 45.0);
    targets.insert("efectividad".to_owned(), 20.0);
    store.strategy_save(
        &head,
        b1.id,
        &StrategyForm {
            approach: "Llamar primero a quienes pidieron información en los últimos 3 meses; destacar el descuento por pronto pago y la modalidad virtual.".into(),
            arguments: "«No tengo tiempo»: clases virtuales los sábados. «Es costoso»: descuento y financiación.".into(),
            priority: Priority::Alta,
            targets,
            agents: Some(4),
            start_date: in_days(store, 20)?,
            end_date: in_days(store, 45)?,
            assigned_to: prof_id,
        },
        true,
    )?;
    let script = store.script_create(&prof, b1.id)?;
    let mut content = ScriptContent::default();
    content.sections[3].text = "Tenemos inscripciones abiertas para {programa}. Hasta el 15 de enero hay 10 % de descuento por pronto pago, y puede estudiar en modalidad virtual o presencial.".into();
    content.questions = vec![
        Question {
            id: 1,
            text: "¿Le interesa la modalidad virtual?".into(),
            kind: QuestionKind::SiNo,
            options: Vec::new(),
            required: true,
            sensitive: false,
        },
        Question {
            id: 2,
            text: "¿Cuándo piensa empezar?".into(),
            kind: QuestionKind::Unica,
            options: vec!["2027-1".into(), "2027-2".into(), "Aún no sabe".into()],
            required: false,
            sensitive: false,
        },
    ];
    store.script_publish(&prof, script.id, &content)?;
    let dispositions = store
        .dispositions()?
        .into_iter()
        .filter(|d| d.active && d.code != "encuesta_completa")
        .map(|d| d.id)
        .collect();
    let campaign = store.campaign_create(
        &prof,
        b1.id,
        &CampaignForm {
            name: "Inscripciones 2027-1 · Especializaciones".into(),
            kind: CampaignKind::Inscripciones,
            start_date: in_days(store, 20)?,
            end_date: in_days(store, 45)?,
            dispositions,
            ..Default::default()
        },
    )?;
    // A few thousand contacts, loaded through the real import and dealt among the agents.
    let mut csv = Vec::new();
    crate::import::synthetic::write_csv(&mut csv, 3_000, 2027, b',')?;
    let never = std::sync::atomic::AtomicBool::new(false);
    crate::import::job::run(
        store,
        &prof,
        campaign.id,
        &crate::import::read::Source::Bytes {
            name: "base-inscripciones-2027-1.csv".into(),
            data: std::sync::Arc::new(csv),
        },
        &crate::import::job::ImportOptions {
            origin: crate::domain::contact::DataOrigin {
                origin: "Personas que pidieron información en la feria de posgrados 2026".into(),
                purpose: "Informar sobre inscripciones 2027-1".into(),
                authorization_ref: "Formulario de la feria, casilla de autorización".into(),
                authorization_file: None,
            },
            ..Default::default()
        },
        &|_| {},
        &never,
    )
    .map_err(|e| match e {
        crate::import::job::ImportError::Store(e) => e,
        other => Error::Other(Msg::text(other.to_string())),
    })?;
    store.distribute(&prof, campaign.id, &Default::default())?;
    briefs += 1;

    // 2. Submitted late (extemporánea), waiting for the head's decision.
    let mut congreso = base(
        "Congreso Internacional de Ingeniería 2027",
        CampaignKind::Congreso,
        in_days(store, 5)?,
        in_days(store, 12)?,
    );
    congreso.contact_name = "Carlos Andrés Beltrán".into();
    congreso.contact_email = "ingenieria@universidad.edu.co".into();
    congreso.objective =
        "Invitar a egresados y empresas al congreso y confirmar asistencia.".into();
    let b2 = store.brief_create(&ingenieria, &congreso)?;
    submit(store, &ingenieria, b2.id)?;
    briefs += 1;

    // 3. Returned with comments.
    let b3 = store.brief_create(
        &posgrados,
        &base(
            "Reingresos 2027-1",
            CampaignKind::Reingresos,
            in_days(store, 30)?,
            in_days(store, 50)?,
        ),
    )?;
    submit(store, &posgrados, b3.id)?;
    store.brief_return(
        &head,
        b3.id,
        "Adjunte la base de datos con los estudiantes retirados y precise el resultado esperado.",
    )?;
    briefs += 1;

    // 4. A draft the professional writes for a department.
    let mut encuesta = base(
        "Encuesta de seguimiento a egresados",
        CampaignKind::Encuesta,
        in_days(store, 40)?,
        in_days(store, 70)?,
    );
    encuesta.department_id = depts.get(6).copied();
    encuesta.contact_name = "Oficina de Egresados".into();
    encuesta.contact_email = "egresados@universidad.edu.co".into();
    store.brief_create(&prof, &encuesta)?;
    briefs += 1;

    // 5. Rejected.
    let b5 = store.brief_create(
        &ingenieria,
        &base(
            "Feria de laboratorios",
            CampaignKind::Evento,
            in_days(store, 25)?,
            in_days(store, 26)?,
        ),
    )?;
    submit(store, &ingenieria, b5.id)?;
    store.brief_reject(
        &head,
        b5.id,
        "El evento es interno: se divulga por correo institucional, no por telemercadeo.",
    )?;
    briefs += 1;

    // 6. Accepted: the head is writing its strategy.
    let mut bienestar = base(
        "Semana de la salud mental",
        CampaignKind::Evento,
        in_days(store, 35)?,
        in_days(store, 42)?,
    );
    bienestar.objective =
        "Invitar a estudiantes de primer semestre a los talleres de bienestar.".into();
    let b6 = store.brief_create(&posgrados, &bienestar)?;
    submit(store, &posgrados, b6.id)?;
    store.brief_accept(&head, b6.id, "Buena iniciativa; la priorizamos en enero.")?;
    briefs += 1;
    Ok((briefs, 1))
}

fn submit(store: &Store, actor: &Actor, id: i64) -> Result<()> {
    store.brief_submit(actor, id).map(|_| ()).map_err(|errs| {
        Error::Conflict(Msg::text(
            errs.into_iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
        ))
    })
}
