//! Departments, programs and services, dispositions.

use super::db::Row;
use super::{Error, Result, Store, Tx, What, name_key, require};
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
    }
}

fn program_from_row(r: &Row) -> Program {
    Program {
        id: r.i64(0),
        name: r.text(1),
        kind: ProgramKind::from_code(&r.text(2)).unwrap_or(ProgramKind::Programa),
        department_id: r.opt_i64(3),
        active: r.bool(4),
    }
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
                "SELECT id, name, active FROM departments ORDER BY active DESC, name",
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
                "SELECT id, name, active FROM departments WHERE name_key = ?1",
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
                "SELECT id, name, kind, department_id, active FROM programs ORDER BY active DESC, kind, name",
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
            Ok(Program {
                id,
                name,
                kind,
                department_id,
                active: true,
            })
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
