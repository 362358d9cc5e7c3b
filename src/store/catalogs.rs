//! Departments, programs and services, dispositions.

use super::db::Row;
use super::{Error, Result, Store, Tx, What, name_key, require};
use crate::domain::catalog::{Brochure, ProgramDetails, check_extension};
use crate::domain::inbound::ProgramSheet;
use crate::domain::inbound_call::check_brochure;
use crate::domain::{
    Action, Actor, Department, Disposition, DispositionCategory, Field, FieldError, Program,
    ProgramKind,
};
use crate::params;

fn department_from_row(r: &Row) -> Department {
    Department {
        id: r.i64(0),
        name: r.text(1),
        active: r.bool(2),
        extension: r.text(3),
    }
}

const DEPARTMENT_COLS: &str = "id, name, active, extension";

/// The columns [`program_from_row`] reads, over `programs p` and `blobs b` (left-joined on the
/// brochure).
pub(crate) const PROGRAM_COLS: &str = "p.id, p.name, p.kind, p.department_id, p.active, p.manager_name, p.manager_email, p.sheet, p.brochure_blob_id, b.file_name, b.size";
/// The tables [`PROGRAM_COLS`] reads.
pub(crate) const PROGRAM_FROM: &str = "programs p LEFT JOIN blobs b ON b.id = p.brochure_blob_id";

pub(crate) fn program_from_row(r: &Row) -> Program {
    Program {
        id: r.i64(0),
        name: r.text(1),
        kind: ProgramKind::from_code(&r.text(2)).unwrap_or(ProgramKind::Programa),
        department_id: r.opt_i64(3),
        active: r.bool(4),
        manager_name: r.text(5),
        manager_email: r.text(6),
        sheet: serde_json::from_str::<ProgramSheet>(&r.text(7)).unwrap_or_default(),
        brochure: r.opt_i64(8).map(|blob_id| Brochure {
            blob_id,
            file_name: r.text(9),
            size: r.opt_i64(10).unwrap_or(0),
        }),
    }
}

/// A program by id, inside a transaction.
pub(crate) fn program_in(tx: &mut Tx<'_>, id: i64) -> Result<Program> {
    tx.conn
        .query_opt(
            &format!("SELECT {PROGRAM_COLS} FROM {PROGRAM_FROM} WHERE p.id = ?1"),
            params![id],
        )?
        .as_ref()
        .map(program_from_row)
        .ok_or(Error::NotFound(What::Program))
}

/// A department by id, inside a transaction.
pub(crate) fn department_in(tx: &mut Tx<'_>, id: i64) -> Result<Department> {
    tx.conn
        .query_opt(
            &format!("SELECT {DEPARTMENT_COLS} FROM departments WHERE id = ?1"),
            params![id],
        )?
        .as_ref()
        .map(department_from_row)
        .ok_or(Error::NotFound(What::Department))
}

pub(crate) fn disposition_from_row(r: &Row) -> Disposition {
    Disposition {
        id: r.i64(0),
        key: r.opt_text(1).and_then(|s| s.chars().next()),
        code: r.text(2),
        name: r.text(3),
        category: DispositionCategory::from_code(&r.text(4))
            .unwrap_or(DispositionCategory::NoContactado),
        reached: r.bool(5),
        is_final: r.bool(6),
        final_for_phone: r.bool(7),
        active: r.bool(8),
    }
}

/// Checks a catalog name and returns it trimmed with its uniqueness key.
fn clean_name(name: &str) -> Result<(String, String)> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldError::new(Field::Name, "catalog.err_name_empty").into());
    }
    if name.chars().count() > 120 {
        return Err(FieldError::new(Field::Name, "catalog.err_name_long").into());
    }
    let key = name_key(&name);
    Ok((name, key))
}

fn ensure_unique(tx: &mut Tx<'_>, table: &str, key: &str, except: Option<i64>) -> Result<()> {
    let clash = tx.conn.query_opt(
        &format!("SELECT name FROM {table} WHERE name_key = ?1 AND id <> ?2"),
        params![key, except.unwrap_or(-1)],
    )?;
    match clash {
        Some(r) => Err(Error::Invalid(FieldError::with(
            Field::Name,
            "catalog.err_name_taken",
            &[("name", &r.text(0))],
        ))),
        None => Ok(()),
    }
}

impl Store {
    /// Every department, active first. Anyone logged in may read them (forms need them).
    pub fn departments(&self) -> Result<Vec<Department>> {
        self.read(|c| {
            Ok(c.query(
                &format!("SELECT {DEPARTMENT_COLS} FROM departments ORDER BY active DESC, name"),
                &[],
            )?
            .iter()
            .map(department_from_row)
            .collect())
        })
    }

    /// A department by name (case and accents ignored).
    pub fn department_by_name(&self, name: &str) -> Result<Option<Department>> {
        let key = name_key(name);
        self.read(|c| {
            Ok(c.query_opt(
                &format!("SELECT {DEPARTMENT_COLS} FROM departments WHERE name_key = ?1"),
                params![key],
            )?
            .as_ref()
            .map(department_from_row))
        })
    }

    /// Adds a department.
    pub fn add_department(&self, actor: &Actor, name: &str) -> Result<Department> {
        require(actor, Action::ManageCatalogs)?;
        let (name, key) = clean_name(name)?;
        self.write(|tx| {
            ensure_unique(tx, "departments", &key, None)?;
            let id = tx.conn.insert(
                "INSERT INTO departments (name, name_key, created_at) VALUES (?1, ?2, ?3) RETURNING id",
                params![name.as_str(), key, tx.now],
            )?;
            tx.audit(actor, "department.add", "department", Some(id), &name)?;
            Ok(Department {
                id,
                name,
                active: true,
                extension: String::new(),
            })
        })
    }

    /// Renames a department.
    pub fn rename_department(&self, actor: &Actor, id: i64, name: &str) -> Result<()> {
        require(actor, Action::ManageCatalogs)?;
        let (name, key) = clean_name(name)?;
        self.write(|tx| {
            ensure_unique(tx, "departments", &key, Some(id))?;
            let n = tx.conn.execute(
                "UPDATE departments SET name = ?1, name_key = ?2 WHERE id = ?3",
                params![name.as_str(), key, id],
            )?;
            if n == 0 {
                return Err(Error::NotFound(What::Department));
            }
            tx.audit(actor, "department.rename", "department", Some(id), &name)
        })
    }

    /// Activates or deactivates a department (kept for history).
    pub fn set_department_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        require(actor, Action::ManageCatalogs)?;
        self.write(|tx| {
            let n = tx.conn.execute(
                "UPDATE departments SET active = ?1 WHERE id = ?2",
                params![active, id],
            )?;
            if n == 0 {
                return Err(Error::NotFound(What::Department));
            }
            tx.audit(
                actor,
                if active {
                    "department.activate"
                } else {
                    "department.deactivate"
                },
                "department",
                Some(id),
                "",
            )
        })
    }

    /// Every program and service, active first.
    pub fn programs(&self) -> Result<Vec<Program>> {
        self.read(|c| {
            Ok(c.query(
                &format!("SELECT {PROGRAM_COLS} FROM {PROGRAM_FROM} ORDER BY p.active DESC, p.kind, p.name"),
                &[],
            )?
            .iter()
            .map(program_from_row)
            .collect())
        })
    }

    /// Adds a program or service.
    pub fn add_program(
        &self,
        actor: &Actor,
        name: &str,
        kind: ProgramKind,
        department_id: Option<i64>,
    ) -> Result<Program> {
        require(actor, Action::ManageCatalogs)?;
        let (name, key) = clean_name(name)?;
        self.write(|tx| {
            ensure_unique(tx, "programs", &key, None)?;
            let id = tx.conn.insert(
                "INSERT INTO programs (name, name_key, kind, department_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                params![name.as_str(), key, kind.code(), department_id, tx.now],
            )?;
            tx.audit(actor, "program.add", "program", Some(id), &name)?;
            program_in(tx, id)
        })
    }

    /// Activates or deactivates a program or service.
    pub fn set_program_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        require(actor, Action::ManageCatalogs)?;
        self.write(|tx| {
            let n = tx.conn.execute(
                "UPDATE programs SET active = ?1 WHERE id = ?2",
                params![active, id],
            )?;
            if n == 0 {
                return Err(Error::NotFound(What::Program));
            }
            tx.audit(actor, "program.set_active", "program", Some(id), "")
        })
    }

    /// A program or service by id. Anyone logged in may read it (the inbound form shows its
    /// sheet).
    pub fn program(&self, id: i64) -> Result<Program> {
        self.read(|tx| program_in(tx, id))
    }

    /// Sets a department's phone extension (a transferred inbound call shows it).
    pub fn set_department_extension(&self, actor: &Actor, id: i64, extension: &str) -> Result<()> {
        require(actor, Action::ManageCatalogs)?;
        let ext = check_extension(extension)?;
        self.write(|tx| {
            let n = tx.conn.execute(
                "UPDATE departments SET extension = ?1 WHERE id = ?2",
                params![ext.as_str(), id],
            )?;
            if n == 0 {
                return Err(Error::NotFound(What::Department));
            }
            tx.audit(actor, "department.extension", "department", Some(id), &ext)
        })
    }

    /// Sets a program's or service's responsible manager and sheet.
    pub fn program_set_details(
        &self,
        actor: &Actor,
        id: i64,
        details: &ProgramDetails,
    ) -> Result<Program> {
        require(actor, Action::ManageCatalogs)?;
        details.validate()?;
        let clean = |s: &str| s.trim().to_owned();
        let sheet = ProgramSheet {
            cost: clean(&details.sheet.cost),
            dates: clean(&details.sheet.dates),
            requirements: clean(&details.sheet.requirements),
            scholarships: clean(&details.sheet.scholarships),
            modality: clean(&details.sheet.modality),
            snies: clean(&details.sheet.snies),
        };
        let json = serde_json::to_string(&sheet).unwrap_or_else(|_| "{}".into());
        let name = details
            .manager_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let email = details.manager_email.trim().to_lowercase();
        self.write(|tx| {
            let n = tx.conn.execute(
                "UPDATE programs SET manager_name = ?1, manager_email = ?2, sheet = ?3 WHERE id = ?4",
                params![name.as_str(), email.as_str(), json.as_str(), id],
            )?;
            if n == 0 {
                return Err(Error::NotFound(What::Program));
            }
            tx.audit(actor, "program.details", "program", Some(id), &email)?;
            program_in(tx, id)
        })
    }

    /// Attaches a brochure (PDF or image, at most 10 MB) to a program or service, stored once
    /// by its content. `None` removes it (the file stays for the messages that carried it).
    pub fn program_set_brochure(
        &self,
        actor: &Actor,
        id: i64,
        file: Option<(&str, &[u8])>,
    ) -> Result<Program> {
        require(actor, Action::ManageCatalogs)?;
        let checked = match file {
            Some((name, bytes)) => {
                let mime = check_brochure(name, bytes.len())?;
                let name = std::path::Path::new(name)
                    .file_name()
                    .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned());
                Some((name, mime, bytes))
            }
            None => None,
        };
        self.write(|tx| {
            program_in(tx, id)?;
            let (blob, detail) = match &checked {
                Some((name, mime, bytes)) => (
                    Some(super::outbox::put_blob(tx, name, mime, bytes)?),
                    name.clone(),
                ),
                None => (None, String::new()),
            };
            tx.conn.execute(
                "UPDATE programs SET brochure_blob_id = ?1 WHERE id = ?2",
                params![blob, id],
            )?;
            tx.audit(actor, "program.brochure", "program", Some(id), &detail)?;
            program_in(tx, id)
        })
    }

    /// The disposition catalog, in key order.
    pub fn dispositions(&self) -> Result<Vec<Disposition>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT id, hotkey, code, name, category, reached, is_final, final_for_phone, active FROM dispositions ORDER BY sort",
                &[],
            )?
            .iter()
            .map(disposition_from_row)
            .collect())
        })
    }

    /// The outcomes a campaign offers its agents, in the catalog's order (digit keys first).
    pub fn campaign_dispositions(&self, campaign_id: i64) -> Result<Vec<Disposition>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT d.id, d.hotkey, d.code, d.name, d.category, d.reached, d.is_final, d.final_for_phone, d.active FROM dispositions d JOIN campaign_dispositions cd ON cd.disposition_id = d.id WHERE cd.campaign_id = ?1 ORDER BY d.sort",
                params![campaign_id],
            )?
            .iter()
            .map(disposition_from_row)
            .collect())
        })
    }
}
