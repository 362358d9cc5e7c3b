//! `demo`: fills an empty database with a realistic set, so a newcomer sees a living program.

use crate::domain::{Actor, NewUser, ProgramKind, Role};
use crate::i18n::t;
use crate::store::{Error, Result, Store};

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
        return Err(Error::Conflict(t("demo.err_not_empty")));
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
    for (login, name, role, dept) in USERS {
        let new = NewUser {
            login: login.to_owned(),
            name: name.to_owned(),
            role: Some(role),
            department_id: dept.and_then(|i| dept_ids.get(i).copied()),
        };
        store.add_user(actor, &new, &password, &password)?;
        users.push((login.to_owned(), role));
    }
    Ok(DemoSummary {
        password,
        users,
        departments: DEPARTMENTS.len(),
        programs: PROGRAMS.len(),
    })
}
