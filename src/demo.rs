//! `demo`: fills an empty database with a realistic set, so a newcomer sees a living program.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};

use crate::domain::brief::BriefForm;
use crate::domain::call::Next;
use crate::domain::campaign::CampaignForm;
use crate::domain::procedure::CampaignKind;
use crate::domain::procedure::CampaignStatus;
use crate::domain::script::{Question, QuestionKind, ScriptContent};
use crate::domain::strategy::{Priority, StrategyForm};
use crate::domain::{Actor, NewUser, ProgramKind, Role, Settings, TestClock, User};
use crate::i18n::Msg;
use crate::store::calls::Outcome;
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
    /// The campaign in progress (activa, started about two weeks before today).
    pub active_campaign: i64,
    /// Call attempts recorded on its past days.
    pub attempts: usize,
    /// Inbound calls registered over the last three weeks.
    pub inbound_calls: usize,
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
const USERS: [(&str, &str, Role, Option<usize>); 9] = [
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
    // The department of the campaign in progress: it follows its interested contacts.
    (
        "admisiones",
        "Paola Andrea Rincón",
        Role::Solicitante,
        Some(0),
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
    // The team and its catalogs exist from a month before the demo's today; the campaign in
    // progress follows at its own past instants; the rest happens today.
    let today = store.today()?;
    let clock = TestClock::at(local_at(store, today - Duration::days(30), 8, 0)?);
    let past = store.with_clock(Arc::new(clock.clone()));
    let mut dept_ids = Vec::new();
    for name in DEPARTMENTS {
        dept_ids.push(past.add_department(actor, name)?.id);
    }
    for (i, id) in dept_ids.iter().enumerate() {
        past.set_department_extension(actor, *id, &format!("{}", 4100 + 10 * i))?;
    }
    let mut program_ids = Vec::new();
    for (i, (name, kind, dept)) in PROGRAMS.into_iter().enumerate() {
        let p = past.add_program(actor, name, kind, dept_ids.get(dept).copied())?;
        past.program_set_details(actor, p.id, &program_details(i))?;
        program_ids.push(p.id);
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
        created.push(past.add_user(actor, &new, &password, &password)?);
        users.push((login.to_owned(), role));
    }
    let running = in_progress(store, &clock, &created, &dept_ids)?;
    let inbound_calls = inbound_weeks(store, &clock, &created, &dept_ids, &program_ids)?;
    let (briefs, campaigns) = outbound(store, &created, &dept_ids)?;
    Ok(DemoSummary {
        password,
        users,
        departments: DEPARTMENTS.len(),
        programs: PROGRAMS.len(),
        briefs: briefs + 1,
        campaigns: campaigns + 1,
        active_campaign: running.campaign_id,
        attempts: running.attempts,
        inbound_calls,
    })
}

/// A program's manager and sheet (the demo's, made up but plausible).
fn program_details(i: usize) -> crate::domain::catalog::ProgramDetails {
    const MANAGERS: [&str; 5] = [
        "Luisa Fernanda Ortiz",
        "Carlos Andrés Patiño",
        "Natalia Cárdenas Ríos",
        "Jorge Iván Mejía",
        "Paula Andrea Zuluaga",
    ];
    let manager = MANAGERS[i % MANAGERS.len()];
    let user = manager.split(' ').next().unwrap_or("gestor").to_lowercase();
    crate::domain::catalog::ProgramDetails {
        manager_name: manager.to_owned(),
        manager_email: format!("{user}.{}@universidad.example", i + 1),
        sheet: crate::domain::inbound::ProgramSheet {
            cost: format!("$ {}.{:03}.000 por semestre", 3 + i % 5, (i * 250) % 1000),
            dates: "Inscripciones hasta el 15 de enero; clases desde el 2 de febrero".into(),
            requirements: "Bachillerato y pruebas Saber 11 (o título profesional para posgrados)"
                .into(),
            scholarships: "15 % por pronto pago; 10 % para egresados".into(),
            modality: if i.is_multiple_of(3) {
                "Virtual".into()
            } else {
                "Presencial".into()
            },
            snies: format!("{}", 101_000 + i * 37),
        },
    }
}

/// Inbound calls over the last three weeks (procedure 5.2): the agents and the professional
/// register them at their own instants, inside working hours, through the store; some remitted
/// to the program's manager (the e-mail queued in the outbox), some transferred, most informed.
fn inbound_weeks(
    store: &Store,
    clock: &TestClock,
    users: &[User],
    depts: &[i64],
    programs: &[i64],
) -> Result<usize> {
    use crate::domain::inbound::{AskedAbout, Channel, Followup, InboundResult};
    use crate::domain::inbound_call::NewInbound;
    const CALLERS: [(&str, &str); 12] = [
        ("Valentina Gómez Arango", "3104567812"),
        ("Santiago Restrepo Vélez", "3158821044"),
        ("Mariana López Cardona", "3006712290"),
        ("Juan Esteban Ríos", "3012298765"),
        ("Daniela Osorio Marín", "3207781123"),
        ("Sebastián Castaño Giraldo", "3145509987"),
        ("Laura Sofía Henao", "3117764421"),
        ("Andrés Felipe Quintero", "3189901234"),
        ("Isabella Montoya Duque", "3216654470"),
        ("Miguel Ángel Salazar", "3023348812"),
        ("Sara Valencia Ocampo", "3135567790"),
        ("Tomás Arias Bedoya", "3048812256"),
    ];
    let settings = store.settings()?;
    let today = store.today()?;
    let real_now = store.now();
    let takers: Vec<Actor> = ["aperez", "cruiz", "jmora", "dvargas", "lgomez"]
        .iter()
        .map(|l| actor_of(users, l))
        .collect::<Result<_>>()?;
    let prof = actor_of(users, "lgomez")?;
    let past = store.with_clock(Arc::new(clock.clone()));
    let mut rng = Rng(52_002);
    let mut n = 0;
    let mut remitted = Vec::new();
    for back in (0..=20).rev() {
        let day = today - Duration::days(back);
        let Some((open, close)) = calling_window(&settings, day) else {
            continue;
        };
        let calls = if day.weekday() == Weekday::Sat {
            2
        } else {
            3 + rng.below(5) as usize
        };
        for _ in 0..calls {
            let minute =
                open + 15 + rng.below(u64::from(close.saturating_sub(open + 30)).max(1)) as u32;
            let at = local_ts(&settings, day, minute);
            if at > real_now - 10 * 60 {
                continue;
            }
            clock.set(at);
            let (name, phone) = CALLERS[rng.below(CALLERS.len() as u64) as usize];
            let taker = &takers[rng.below(takers.len() as u64) as usize];
            let roll = rng.below(100);
            let channel = match roll % 10 {
                0..=5 => Channel::Telefono,
                6 | 7 => Channel::Whatsapp,
                8 => Channel::Correo,
                _ => Channel::Presencial,
            };
            let mut call = NewInbound {
                channel,
                caller_name: name.to_owned(),
                phone: Some(format!("+57{phone}")),
                email: format!(
                    "{}@correo.example",
                    name.split(' ').next().unwrap_or("persona").to_lowercase()
                ),
                authorized: !roll.is_multiple_of(4),
                ..Default::default()
            };
            if roll < 12 {
                call.asked_about = Some(AskedAbout::OtraDependencia);
                call.department_id = Some(depts[4 + rng.below(3) as usize]);
                call.result = Some(InboundResult::Transferida);
                call.notes = "Pregunta por un certificado; se le pasa a la dependencia.".into();
            } else {
                let p = rng.below(programs.len() as u64) as usize;
                call.asked_about = Some(if PROGRAMS[p].1 == ProgramKind::Servicio {
                    AskedAbout::Servicio
                } else {
                    AskedAbout::Programa
                });
                call.program_id = Some(programs[p]);
                if call.authorized && roll < 40 {
                    call.result = Some(InboundResult::Remitido);
                    call.notes = "Quiere hablar con el coordinador sobre becas y horarios.".into();
                } else {
                    call.result = Some(InboundResult::Informado);
                    call.notes = "Se le dieron costo, fechas y requisitos.".into();
                }
            }
            let c = past.inbound_register(taker, &call)?;
            if c.result == InboundResult::Remitido {
                remitted.push((c.id, at));
            }
            n += 1;
        }
    }
    // The professional follows the older remissions up.
    for (i, (id, at)) in remitted.iter().enumerate() {
        if *at > real_now - 5 * 86_400 {
            continue;
        }
        clock.set(at + 2 * 86_400);
        let f = match i % 3 {
            0 => Followup::ContactadoGestor,
            1 => Followup::Inscrito,
            _ => continue,
        };
        past.inbound_set_followup(&prof, *id, f)?;
    }
    Ok(n)
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

// ---------------------------------------------------------------------------------------------
// The campaign in progress: started about two weeks before the demo's today, its base imported
// and dealt among the four auxiliares, and every past calling day's attempts recorded through
// `call_next` / `call_record` with the store's clock at each call's own instant.
// ---------------------------------------------------------------------------------------------

/// The auxiliares who call in the campaign in progress.
const AGENTS: [&str; 4] = ["aperez", "cruiz", "jmora", "dvargas"];

/// Contacts in the campaign in progress.
const RUNNING_CONTACTS: usize = 480;

/// Days before today the campaign in progress starts.
const RUNNING_SINCE_DAYS: i64 = 14;

const NAMES: [&str; 30] = [
    "María José",
    "Juan David",
    "Valentina",
    "Santiago",
    "Daniela",
    "Samuel",
    "Mariana",
    "Juan Esteban",
    "Sofía",
    "Miguel Ángel",
    "Laura Sofía",
    "Nicolás",
    "Isabella",
    "Sebastián",
    "Gabriela",
    "Tomás",
    "Luciana",
    "Emmanuel",
    "Paula Andrea",
    "Alejandro",
    "Manuela",
    "Jerónimo",
    "Ana Sofía",
    "Kevin Andrés",
    "Salomé",
    "Brayan Stiven",
    "Karen Dayana",
    "Juan Pablo",
    "Natalia",
    "Cristian Camilo",
];

const SURNAMES: [&str; 30] = [
    "Rodríguez",
    "Gómez",
    "González",
    "Martínez",
    "García",
    "López",
    "Hernández",
    "Sánchez",
    "Ramírez",
    "Pérez",
    "Díaz",
    "Muñoz",
    "Rojas",
    "Moreno",
    "Jiménez",
    "Vargas",
    "Castro",
    "Ospina",
    "Gutiérrez",
    "Cardona",
    "Restrepo",
    "Osorio",
    "Valencia",
    "Quintero",
    "Zapata",
    "Arango",
    "Mejía",
    "Londoño",
    "Ríos",
    "Betancur",
];

/// City and its landline prefix (national numbering since 2021: 60 + the old area digit).
const CITIES: [(&str, u64); 10] = [
    ("Bogotá", 601),
    ("Medellín", 604),
    ("Cali", 602),
    ("Barranquilla", 605),
    ("Pereira", 606),
    ("Manizales", 606),
    ("Bucaramanga", 607),
    ("Cartagena", 605),
    ("Ibagué", 608),
    ("Villavicencio", 608),
];

const UNDERGRADUATE: [&str; 9] = [
    "Psicología",
    "Derecho",
    "Ingeniería de Sistemas",
    "Ingeniería Industrial",
    "Medicina",
    "Enfermería",
    "Administración de Empresas",
    "Negocios Internacionales",
    "Tecnología en Gestión Logística",
];

const SCHOOLS: [&str; 12] = [
    "Colegio San José de La Salle",
    "Institución Educativa INEM Jorge Isaacs",
    "Colegio Calasanz",
    "Gimnasio Los Andes",
    "Colegio Santa Teresita",
    "Institución Educativa Técnico Industrial",
    "Liceo Nacional Antonia Santos",
    "Colegio Parroquial San Francisco de Asís",
    "Institución Educativa Escuela Normal Superior",
    "Colegio Mayor de Nuestra Señora",
    "Colegio Cooperativo Comfandi",
    "Institución Educativa Alfonso López Pumarejo",
];

const MAIL_DOMAINS: [&str; 4] = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.es"];

/// A small xorshift generator: the same demo everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// `312 456 7890`.
fn spaced(n: u64) -> String {
    let s = n.to_string();
    format!("{} {} {}", &s[..3], &s[3..6], &s[6..])
}

/// The contact file of the campaign in progress: full name, mobile, landline (~40 %: the
/// alternate a wrong number moves to), e-mail (~90 %), programme, city and the school, an
/// extra column the script uses as a placeholder.
fn running_base(n: usize) -> Vec<u8> {
    let mut rng = Rng(20_261_115);
    let mut out = String::from(
        "Nombre completo,Celular,Teléfono fijo,Correo,Programa de interés,Ciudad,Colegio\n",
    );
    let mut seen = HashSet::new();
    let mut row = 0;
    while row < n {
        let first = *rng.pick(&NAMES);
        let (s1, s2) = (*rng.pick(&SURNAMES), *rng.pick(&SURNAMES));
        let prefix = *rng.pick(&[
            300u64, 301, 302, 304, 305, 310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321,
            350,
        ]);
        let mobile = prefix * 10_000_000 + 2_000_000 + rng.below(7_999_999);
        if !seen.insert(mobile) {
            continue;
        }
        let (city, area) = *rng.pick(&CITIES);
        let landline = if rng.below(10) < 4 {
            let fixed = area * 10_000_000 + 2_000_000 + rng.below(7_999_999);
            if !seen.insert(fixed) {
                continue;
            }
            spaced(fixed)
        } else {
            String::new()
        };
        let email = if rng.below(10) < 9 {
            let given = crate::domain::text::fold(first.split(' ').next().unwrap_or(first));
            format!(
                "{given}.{}{}@{}",
                crate::domain::text::fold(s1),
                rng.below(100),
                rng.pick(&MAIL_DOMAINS)
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{first} {s1} {s2},{},{landline},{email},{},{city},{}\n",
            spaced(mobile),
            rng.pick(&UNDERGRADUATE),
            rng.pick(&SCHOOLS),
        ));
        row += 1;
    }
    out.into_bytes()
}

/// UTC seconds of a local date and time in the configured zone.
fn local_at(store: &Store, day: NaiveDate, h: u32, m: u32) -> Result<i64> {
    let settings = store.settings()?;
    Ok(local_ts(&settings, day, h * 60 + m))
}

/// UTC seconds of `minute` (of the day) on a local date.
fn local_ts(settings: &Settings, day: NaiveDate, minute: u32) -> i64 {
    day.and_hms_opt(minute / 60, minute % 60, 0)
        .and_then(|t| settings.tz().from_local_datetime(&t).earliest())
        .map_or(0, |t| t.timestamp())
}

/// The first calling window of a day (minutes of the day), if calls may be placed that day
/// at all: not a Sunday without windows, not a holiday (`domain::calendar` through the
/// settings).
fn calling_window(settings: &Settings, day: NaiveDate) -> Option<(u32, u32)> {
    if settings.holidays.on(day).is_some() {
        return None;
    }
    let w = settings.call_windows.of(day.weekday()).into_iter().next()?;
    let minutes = |t: chrono::NaiveTime| {
        use chrono::Timelike;
        t.hour() * 60 + t.minute()
    };
    Some((minutes(w.start), minutes(w.end)))
}

/// The first day after `day` with a calling window (within three weeks).
fn next_calling_day(settings: &Settings, day: NaiveDate) -> Option<NaiveDate> {
    (1..=21)
        .map(|i| day + Duration::days(i))
        .find(|d| calling_window(settings, *d).is_some())
}

/// What the campaign in progress holds.
struct Running {
    campaign_id: i64,
    attempts: usize,
}

/// A callback time the person agrees to: a quarter hour inside the day's window.
fn agreed_time(settings: &Settings, rng: &mut Rng, day: NaiveDate) -> Option<i64> {
    let (start, end) = calling_window(settings, day)?;
    let slots = (end.saturating_sub(start + 60) / 15).max(1);
    let minute = start + 30 + 15 * rng.below(u64::from(slots)) as u32;
    Some(local_ts(settings, day, minute))
}

/// The campaign in progress, from the brief to the last calling day before today.
fn in_progress(store: &Store, clock: &TestClock, users: &[User], depts: &[i64]) -> Result<Running> {
    let settings = store.settings()?;
    let today = store.today()?;
    let past = store.with_clock(Arc::new(clock.clone()));
    let at = |day: NaiveDate, h: u32, m: u32| local_ts(&settings, day, h * 60 + m);
    let head = actor_of(users, "mcastro")?;
    let prof = actor_of(users, "lgomez")?;
    // It starts on the first calling day two weeks ago.
    let first_day = (0..7)
        .map(|i| today - Duration::days(RUNNING_SINCE_DAYS - i))
        .find(|d| calling_window(&settings, *d).is_some())
        .unwrap_or(today - Duration::days(RUNNING_SINCE_DAYS));
    let end_day = first_day + Duration::days(35);
    let (start, end) = (
        crate::domain::format::date(&first_day),
        crate::domain::format::date(&end_day),
    );
    let name = "Inscripciones 2027-1 · Pregrado · Colegios aliados";

    // The brief, ten days before the start: the professional writes it for Admisiones.
    clock.set(at(first_day - Duration::days(10), 9, 10));
    let brief = past.brief_create(
        &prof,
        &BriefForm {
            department_id: depts.first().copied(),
            contact_name: "Oficina de Admisiones y Registro".into(),
            contact_email: "admisiones@universidad.edu.co".into(),
            campaign_name: name.into(),
            kind: Some(CampaignKind::Inscripciones),
            objective: "Convertir en inscritos a los bachilleres de los colegios aliados que pidieron información en las ferias universitarias.".into(),
            audience: "Estudiantes de grado 11 y bachilleres de 2025 de los colegios aliados.".into(),
            key_message: "Beca del 15 % en el primer semestre para egresados de colegios aliados; inscripción sin costo hasta el 15 de diciembre.".into(),
            start_date: start.clone(),
            end_date: end.clone(),
            expected_result: "120 inscritos y 45 % de contactabilidad.".into(),
            database_fields: "Nombre, Celular, Teléfono fijo, Correo, Programa de interés, Ciudad, Colegio".into(),
            ..Default::default()
        },
    )?;
    submit(&past, &prof, brief.id)?;

    // The head accepts it and writes the strategy the next day.
    clock.set(at(first_day - Duration::days(9), 10, 30));
    past.brief_accept(
        &head,
        brief.id,
        "Prioridad alta: cierre de inscripciones en diciembre.",
    )?;
    let mut targets = BTreeMap::new();
    targets.insert("registros".to_owned(), RUNNING_CONTACTS as f64);
    targets.insert("contactabilidad".to_owned(), 45.0);
    targets.insert("efectividad".to_owned(), 25.0);
    past.strategy_save(
        &head,
        brief.id,
        &StrategyForm {
            approach: "Llamar primero a quienes visitaron el stand; mencionar el colegio de donde viene y la beca para colegios aliados.".into(),
            arguments: "«Todavía no sé qué estudiar»: orientación vocacional gratuita. «Es costoso»: beca del 15 % y financiación directa.".into(),
            priority: Priority::Alta,
            targets,
            agents: Some(AGENTS.len() as i64),
            start_date: start.clone(),
            end_date: end.clone(),
            assigned_to: prof.user_id(),
        },
        true,
    )?;

    // The script, with the school of the file as a placeholder, published.
    clock.set(at(first_day - Duration::days(8), 11, 0));
    let script = past.script_create(&prof, brief.id)?;
    let mut content = ScriptContent::default();
    content.sections[3].text = "Le llamo porque usted pidió información sobre {programa}. Como bachiller del {colegio}, colegio aliado de la universidad, tiene una beca del 15 % en el primer semestre, y la inscripción no tiene costo hasta el 15 de diciembre.".into();
    content.questions = vec![
        Question {
            id: 1,
            text: "¿Ya presentó las pruebas Saber 11?".into(),
            kind: QuestionKind::SiNo,
            options: Vec::new(),
            required: true,
            sensitive: false,
        },
        Question {
            id: 2,
            text: "¿En qué jornada le gustaría estudiar?".into(),
            kind: QuestionKind::Unica,
            options: vec!["Diurna".into(), "Nocturna".into(), "Fines de semana".into()],
            required: false,
            sensitive: false,
        },
    ];
    past.script_publish(&prof, script.id, &content)?;

    // The campaign, its base imported and dealt among the four auxiliares.
    clock.set(at(first_day - Duration::days(7), 15, 0));
    let dispositions = past
        .dispositions()?
        .into_iter()
        .filter(|d| d.active && d.code != "encuesta_completa")
        .map(|d| d.id)
        .collect();
    let campaign = past.campaign_create(
        &prof,
        brief.id,
        &CampaignForm {
            name: name.into(),
            kind: CampaignKind::Inscripciones,
            start_date: start,
            end_date: end,
            dispositions,
            ..Default::default()
        },
    )?;
    clock.set(at(first_day - Duration::days(3), 9, 0));
    let never = std::sync::atomic::AtomicBool::new(false);
    crate::import::job::run(
        &past,
        &prof,
        campaign.id,
        &crate::import::read::Source::Bytes {
            name: "bachilleres-colegios-aliados.csv".into(),
            data: Arc::new(running_base(RUNNING_CONTACTS)),
        },
        &crate::import::job::ImportOptions {
            origin: crate::domain::contact::DataOrigin {
                origin: "Ferias universitarias en colegios aliados, segundo semestre de 2026"
                    .into(),
                purpose: "Informar sobre inscripciones 2027-1 y la beca para colegios aliados"
                    .into(),
                authorization_ref: "Formulario de la feria, casilla de autorización de datos"
                    .into(),
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
    clock.set(at(first_day - Duration::days(3), 9, 40));
    past.distribute(
        &prof,
        campaign.id,
        &crate::domain::distribution::DistributionPlan {
            agents: AGENTS.iter().map(|a| (*a).to_owned()).collect(),
            ..Default::default()
        },
    )?;

    // Started on its first day, before the window opens (8:00 when no call may be placed at
    // all: the settings may have no window; then no attempt is recorded either).
    let open = calling_window(&settings, first_day).map_or(8 * 60, |(open, _)| open);
    clock.set(local_ts(&settings, first_day, open.saturating_sub(20)));
    past.campaign_set_status(&prof, campaign.id, CampaignStatus::Activa)?;

    let agents: Vec<Actor> = AGENTS
        .iter()
        .map(|l| actor_of(users, l))
        .collect::<Result<_>>()?;
    let mut rng = Rng(720_271);
    let mut attempts = 0;
    let mut day = first_day;
    let mut day_index = 0;
    let (mut opted_out, mut moved) = (false, false);
    let last_days: Vec<NaiveDate> = {
        let mut v: Vec<NaiveDate> = (1..=7)
            .map(|i| today - Duration::days(i))
            .filter(|d| *d >= first_day && calling_window(&settings, *d).is_some())
            .collect();
        v.truncate(2);
        v
    };
    // Today too, up to a quarter of an hour ago (the demo opens on a morning already worked).
    let real_now = store.now();
    while day <= today {
        let Some((open, close)) = calling_window(&settings, day) else {
            day += Duration::days(1);
            continue;
        };
        // Each agent's calls of the day (the agents work other campaigns too): slots of 4 to 9
        // minutes spread over the window, the first a while after opening, all ending well
        // before it closes; played in time order.
        let saturday = day.weekday() == Weekday::Sat;
        let mut slots: Vec<(i64, usize, i64)> = Vec::new();
        for (i, _) in agents.iter().enumerate() {
            let calls = if saturday {
                3 + rng.below(3)
            } else {
                7 + rng.below(4)
            };
            let mut t = local_ts(&settings, day, open + 20) + rng.below(40 * 60) as i64;
            let mut last = local_ts(&settings, day, close.saturating_sub(15));
            if day == today {
                last = last.min(real_now - 15 * 60);
            }
            let pace = (last - t).max(0) / calls as i64;
            for _ in 0..calls {
                let len = 240 + rng.below(300) as i64;
                if t + len > last {
                    break;
                }
                slots.push((t, i, len));
                t += len + rng.below((2 * pace - len).max(60) as u64) as i64;
            }
        }
        slots.sort_unstable();
        for (t, i, len) in slots {
            clock.set(t);
            let login = AGENTS[i];
            let c = match past.call_next(&agents[i], campaign.id, login)? {
                Next::Contact(c) => c,
                Next::Nothing { .. } => continue,
            };
            let reached_roll = rng.below(100);
            let code = if c.callback {
                match reached_roll {
                    0..40 => "interesado",
                    40..65 => "no_interesado",
                    65..80 => "volver_a_llamar",
                    _ => "no_contesta",
                }
            } else if !moved && day_index >= 1 && !c.alt_phones.is_empty() {
                "numero_errado"
            } else {
                match reached_roll {
                    0..30 => "no_contesta",
                    30..42 => "buzon",
                    42..47 => "ocupado",
                    47..51 => "apagado",
                    51..54 => "tercero",
                    54..58 => "numero_errado",
                    58..59 => "fuera_de_servicio",
                    59..70 => "volver_a_llamar",
                    70..83 => "interesado",
                    83..97 => "no_interesado",
                    _ => "no_contesta",
                }
            };
            // One person asks not to be called again (Ley 2300: the register, everywhere).
            let code = if !opted_out && day_index >= 3 && login == "jmora" && code != "no_contesta"
            {
                "no_contactar"
            } else {
                code
            };
            let reached = matches!(
                code,
                "interesado" | "no_interesado" | "volver_a_llamar" | "no_contactar"
            );
            let duration = if reached {
                (90 + rng.below(330) as i64).min(len - 45)
            } else {
                15 + rng.below(35) as i64
            };
            let callback_at = if code == "volver_a_llamar" {
                // From the last two calling days the person agrees to today (when calls may be
                // placed today); otherwise to the next calling day.
                let when = if last_days.contains(&day) && calling_window(&settings, today).is_some()
                {
                    Some(today)
                } else {
                    next_calling_day(&settings, day)
                };
                when.and_then(|d| agreed_time(&settings, &mut rng, d))
            } else {
                None
            };
            let (reason, notes) = words_for(code, &mut rng);
            // A person reached answers the survey (its first question is required).
            let answers = reached.then(|| {
                let saber = if rng.below(4) == 0 { "No" } else { "Sí" };
                let shift = ["Diurna", "Nocturna", "Fines de semana"][rng.below(3) as usize];
                format!(r#"{{"1": "{saber}", "2": "{shift}"}}"#)
            });
            clock.set(t + duration);
            let outcome = Outcome {
                key_or_code: code,
                reason,
                notes,
                callback_at,
                duration_secs: duration,
                answers: answers.as_deref(),
            };
            past.call_record(&agents[i], login, campaign.id, c.contact_id, &outcome)?;
            attempts += 1;
            opted_out |= code == "no_contactar";
            moved |= code == "numero_errado" && !c.alt_phones.is_empty();
        }
        day_index += 1;
        day += Duration::days(1);
    }
    Ok(Running {
        campaign_id: campaign.id,
        attempts,
    })
}

/// The coded reason and the notes an agent writes for an outcome.
fn words_for(code: &str, rng: &mut Rng) -> (Option<&'static str>, &'static str) {
    match code {
        "no_interesado" => {
            let (reason, note) = *rng.pick(&[
                ("otra_institucion", "Ya se inscribió en otra universidad."),
                ("precio", "Le parece costoso el semestre, aun con la beca."),
                (
                    "financiacion",
                    "No tiene cómo financiar la matrícula este año.",
                ),
                ("horario", "Trabaja de día y no hay jornada que le sirva."),
                ("no_cumple_requisitos", "Todavía no se gradúa de bachiller."),
                ("otro", "Prefiere no decir el motivo."),
            ]);
            (Some(reason), note)
        }
        "interesado" => (
            None,
            *rng.pick(&[
                "Quiere recibir por correo la información de la beca.",
                "Pregunta por la jornada nocturna; se le explicó.",
                "Se inscribe esta semana; asistirá a la jornada de puertas abiertas.",
                "Pide el enlace del formulario de inscripción por WhatsApp.",
            ]),
        ),
        "volver_a_llamar" => (
            None,
            *rng.pick(&[
                "Está en clase; pide que la llamen más tarde.",
                "Pide que la llamen después del almuerzo.",
                "Va manejando; acordamos otra hora.",
                "Quiere consultarlo con los papás antes de decidir.",
            ]),
        ),
        "tercero" => (None, "Contestó la mamá; dice que llamemos en la noche."),
        "numero_errado" => (None, "El número es de otra persona."),
        "no_contactar" => (None, "Pide que no lo vuelvan a llamar."),
        _ => (None, ""),
    }
}
