//! Campaigns: created by the professional from an assigned strategy (or from the command line),
//! and their status, which the brief follows.

use super::briefs::{self, load, set_status};
use super::db::Row;
use super::scripts::{ensure_for_brief, latest_version};
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::brief::{BriefForm, iso_date};
use crate::domain::campaign::{
    AgentCampaign, Campaign, CampaignForm, HeldContacts, StartBlocker, brief_status_for,
};
use crate::domain::procedure::{BriefStatus, CampaignKind, CampaignStatus, DistributionMode};
use crate::domain::{Action, Actor, Field, Role};
use crate::i18n::{Msg, t};
use crate::params;

const COLS: &str = "c.id, c.brief_id, c.strategy_id, c.script_id, c.name, c.kind, c.start_date, c.end_date, c.max_attempts, c.min_hours_between, c.distribution_mode, c.department_id, d.name, c.status, c.created_at, c.contact_count";
const FROM: &str = "campaigns c JOIN departments d ON d.id = c.department_id";

fn from_row(r: &Row) -> Campaign {
    Campaign {
        id: r.i64(0),
        brief_id: r.opt_i64(1),
        strategy_id: r.opt_i64(2),
        script_id: r.opt_i64(3),
        form: CampaignForm {
            name: r.text(4),
            kind: CampaignKind::from_code(&r.text(5)).unwrap_or(CampaignKind::Otro),
            start_date: r
                .opt_text(6)
                .map(|d| crate::domain::brief::display_date(&d))
                .unwrap_or_default(),
            end_date: r
                .opt_text(7)
                .map(|d| crate::domain::brief::display_date(&d))
                .unwrap_or_default(),
            max_attempts: r.i64(8),
            min_hours_between: r.i64(9),
            distribution_mode: DistributionMode::from_code(&r.text(10))
                .unwrap_or(DistributionMode::Asignacion),
            dispositions: Vec::new(),
        },
        department_id: r.i64(11),
        department: r.text(12),
        status: CampaignStatus::from_code(&r.text(13)).unwrap_or(CampaignStatus::Planificada),
        created_at: r.i64(14),
        contacts: r.i64(15),
    }
}

fn may_view(actor: &Actor) -> Result<()> {
    if actor.can(Action::ViewAllBriefs) || actor.can(Action::RecordCalls) {
        Ok(())
    } else {
        Err(Error::Forbidden(Msg::new("perm.forbidden")))
    }
}

pub(crate) fn get(tx: &mut Tx<'_>, id: i64) -> Result<Campaign> {
    let mut c = tx
        .conn
        .query_opt(
            &format!("SELECT {COLS} FROM {FROM} WHERE c.id = ?1"),
            params![id],
        )?
        .as_ref()
        .map(from_row)
        .ok_or_else(|| Error::NotFound(What::Campaign))?;
    c.form.dispositions = tx
        .conn
        .query(
            "SELECT disposition_id FROM campaign_dispositions WHERE campaign_id = ?1 ORDER BY disposition_id",
            params![id],
        )?
        .iter()
        .map(|r| r.i64(0))
        .collect();
    Ok(c)
}

fn insert(
    tx: &mut Tx<'_>,
    actor: &Actor,
    form: &CampaignForm,
    department_id: i64,
    brief_id: i64,
    strategy_id: Option<i64>,
    script_id: i64,
) -> Result<i64> {
    let id = tx.conn.insert(
        "INSERT INTO campaigns (uuid, brief_id, strategy_id, script_id, name, department_id, kind, status, start_date, end_date, max_attempts, min_hours_between, distribution_mode, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'planificada', ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14) RETURNING id",
        params![
            uuid::Uuid::new_v4().to_string(),
            brief_id,
            strategy_id,
            script_id,
            form.name.trim(),
            department_id,
            form.kind.code(),
            iso_date(&form.start_date),
            iso_date(&form.end_date),
            form.max_attempts,
            form.min_hours_between,
            form.distribution_mode.code(),
            actor.user_id(),
            tx.now
        ],
    )?;
    set_dispositions(tx, id, &form.dispositions)?;
    tx.audit(actor, "campaign.create", "campaign", Some(id), &form.name)?;
    Ok(id)
}

fn set_dispositions(tx: &mut Tx<'_>, campaign_id: i64, ids: &[i64]) -> Result<()> {
    tx.conn.execute(
        "DELETE FROM campaign_dispositions WHERE campaign_id = ?1",
        params![campaign_id],
    )?;
    for d in ids {
        tx.conn.execute(
            "INSERT INTO campaign_dispositions (campaign_id, disposition_id) VALUES (?1, ?2)",
            params![campaign_id, *d],
        )?;
    }
    Ok(())
}

/// What still stops a campaign from starting (empty: it may start).
pub(crate) fn start_blockers(tx: &mut Tx<'_>, c: &Campaign) -> Result<Vec<StartBlocker>> {
    let published = match c.script_id {
        Some(sid) => latest_version(tx, sid)?.is_some(),
        None => false,
    };
    let (contacts, unassigned) = super::distribution::contact_counts(tx, c.id)?;
    Ok(crate::domain::campaign::start_blockers(
        published,
        contacts,
        unassigned,
        c.form.distribution_mode,
    ))
}

impl Store {
    /// Creates the campaign of a brief whose strategy is assigned to the acting professional.
    pub fn campaign_create(
        &self,
        actor: &Actor,
        brief_id: i64,
        form: &CampaignForm,
    ) -> Result<Campaign> {
        require(actor, Action::RunCampaigns)?;
        if let Some(e) = form.validate().into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            let b = load(tx, actor, brief_id)?;
            let strategy = super::strategies::for_brief(tx, brief_id)?;
            let Some(strategy) = strategy.filter(|_| b.status == BriefStatus::Asignada) else {
                return Err(Error::Conflict(Msg::new(
                    "campaign.err_strategy_not_assigned",
                )));
            };
            if let (
                Actor::User {
                    id,
                    role: Role::Profesional,
                    ..
                },
                Some(to),
            ) = (actor, strategy.form.assigned_to)
                && *id != to
            {
                return Err(Error::Forbidden(Msg::new("campaign.err_not_yours")));
            }
            if let Some(r) = tx.conn.query_opt(
                "SELECT name FROM campaigns WHERE brief_id = ?1",
                params![brief_id],
            )? {
                return Err(Error::Conflict(Msg::with(
                    "campaign.err_exists",
                    &[("name", &r.text(0))],
                )));
            }
            let script_id = ensure_for_brief(tx, actor, brief_id)?;
            let department_id = b.form.department_id.unwrap_or_default();
            let id = insert(
                tx,
                actor,
                form,
                department_id,
                brief_id,
                Some(strategy.id),
                script_id,
            )?;
            get(tx, id)
        })
    }

    /// `campaign create` from the command line: the campaign and its brief (marked as created
    /// from the command line, straight to "asignada"), with every active disposition.
    pub fn campaign_create_cli(
        &self,
        actor: &Actor,
        name: &str,
        department_id: i64,
        kind: CampaignKind,
        start: &str,
        end: &str,
    ) -> Result<Campaign> {
        let dispositions: Vec<i64> = self
            .dispositions()?
            .into_iter()
            .filter(|d| d.active)
            .map(|d| d.id)
            .collect();
        let form = CampaignForm {
            name: name.to_owned(),
            kind,
            start_date: start.to_owned(),
            end_date: end.to_owned(),
            dispositions,
            ..Default::default()
        };
        // Dates are optional from the command line.
        let errs: Vec<_> = form
            .validate()
            .into_iter()
            .filter(|e| {
                !((e.field == Field::StartDate && start.is_empty())
                    || (e.field == Field::EndDate && end.is_empty()))
            })
            .collect();
        if let Some(e) = errs.into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            let brief = BriefForm {
                department_id: Some(department_id),
                campaign_name: name.trim().to_owned(),
                kind: Some(kind),
                start_date: start.to_owned(),
                end_date: end.to_owned(),
                ..Default::default()
            };
            let brief_id = briefs::insert(
                tx,
                actor,
                &brief,
                department_id,
                "cli",
                BriefStatus::Asignada,
                &t("brief.created_cli"),
            )?;
            let script_id = ensure_for_brief(tx, actor, brief_id)?;
            let id = insert(tx, actor, &form, department_id, brief_id, None, script_id)?;
            get(tx, id)
        })
    }

    /// Every campaign, newest first (head, professional, agents; the command line).
    pub fn campaigns(&self, actor: &Actor) -> Result<Vec<Campaign>> {
        may_view(actor)?;
        self.read(|c| {
            Ok(c.query(
                &format!("SELECT {COLS} FROM {FROM} ORDER BY c.id DESC"),
                &[],
            )?
            .iter()
            .map(from_row)
            .collect())
        })
    }

    /// One campaign, with its dispositions.
    pub fn campaign(&self, actor: &Actor, id: i64) -> Result<Campaign> {
        may_view(actor)?;
        self.read(|tx| get(tx, id))
    }

    /// The campaign of a brief, if created.
    pub fn campaign_of_brief(&self, actor: &Actor, brief_id: i64) -> Result<Option<Campaign>> {
        may_view(actor)?;
        self.read(|tx| {
            let id = tx
                .conn
                .query_opt(
                    "SELECT id FROM campaigns WHERE brief_id = ?1",
                    params![brief_id],
                )?
                .map(|r| r.i64(0));
            id.map(|id| get(tx, id)).transpose()
        })
    }

    /// Changes the campaign's fields (not once closed).
    pub fn campaign_update(&self, actor: &Actor, id: i64, form: &CampaignForm) -> Result<Campaign> {
        require(actor, Action::RunCampaigns)?;
        if let Some(e) = form.validate().into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            let c = get(tx, id)?;
            if c.status == CampaignStatus::Cerrada {
                return Err(Error::Conflict(Msg::with(
                    "campaign.err_transition",
                    &[("from", &c.status.label()), ("to", &c.status.label())],
                )));
            }
            tx.conn.execute(
                "UPDATE campaigns SET name = ?1, kind = ?2, start_date = ?3, end_date = ?4, max_attempts = ?5, min_hours_between = ?6, distribution_mode = ?7, updated_at = ?8 WHERE id = ?9",
                params![
                    form.name.trim(),
                    form.kind.code(),
                    iso_date(&form.start_date),
                    iso_date(&form.end_date),
                    form.max_attempts,
                    form.min_hours_between,
                    form.distribution_mode.code(),
                    tx.now,
                    id
                ],
            )?;
            set_dispositions(tx, id, &form.dispositions)?;
            tx.audit(actor, "campaign.update", "campaign", Some(id), "")?;
            get(tx, id)
        })
    }

    /// What still stops the campaign from starting (empty: it may start).
    pub fn campaign_start_blockers(&self, actor: &Actor, id: i64) -> Result<Vec<StartBlocker>> {
        may_view(actor)?;
        self.read(|tx| {
            let c = get(tx, id)?;
            start_blockers(tx, &c)
        })
    }

    /// Starts, pauses, resumes or closes a campaign; the brief follows (en ejecución, finalizada).
    pub fn campaign_set_status(
        &self,
        actor: &Actor,
        id: i64,
        to: CampaignStatus,
    ) -> Result<Campaign> {
        require(actor, Action::RunCampaigns)?;
        self.write(|tx| {
            let c = get(tx, id)?;
            if !c.status.can_become(to) {
                return Err(Error::Conflict(Msg::with(
                    "campaign.err_transition",
                    &[("from", &c.status.label()), ("to", &to.label())],
                )));
            }
            if to == CampaignStatus::Activa
                && let Some(reason) = start_blockers(tx, &c)?.into_iter().next()
            {
                return Err(Error::Conflict(reason.msg()));
            }
            tx.conn.execute(
                "UPDATE campaigns SET status = ?1, updated_at = ?2 WHERE id = ?3",
                params![to.code(), tx.now, id],
            )?;
            tx.audit(actor, "campaign.status", "campaign", Some(id), to.code())?;
            if let Some(brief_id) = c.brief_id {
                // The system's own rule, not the actor's view: the brief is read unchecked.
                let b = briefs::load_unchecked(tx, brief_id)?;
                let next = brief_status_for(to, b.status);
                if next != b.status {
                    set_status(tx, actor, &b, next, &c.form.name)?;
                }
            }
            get(tx, id)
        })
    }

    /// The acting agent's campaigns (not closed, with contacts dealt to them): their pending
    /// and total contacts, the dates and the published script version.
    pub fn agent_campaigns(&self, actor: &Actor) -> Result<Vec<AgentCampaign>> {
        require(actor, Action::RecordCalls)?;
        let Some(me) = actor.user_id() else {
            return Ok(Vec::new());
        };
        self.read(|tx| {
            let campaigns = tx.conn.query(
                "SELECT c.id, c.name, c.status, c.start_date, c.end_date,
                        (SELECT MAX(sv.version) FROM script_versions sv WHERE sv.script_id = c.script_id),
                        c.distribution_mode, c.contact_count
                 FROM campaigns c WHERE c.status <> 'cerrada' ORDER BY c.id DESC",
                &[],
            )?;
            let mut out = Vec::new();
            for r in campaigns {
                let id = r.i64(0);
                // The agent's contacts come from the distribution's rules (arithmetic, no pass
                // over the campaign) and the few contacts moved or claimed one by one.
                // A shared queue is everyone's: its whole base is the agent's to call.
                let shared = DistributionMode::from_code(&r.text(6))
                    == Some(DistributionMode::ColaCompartida);
                let total = if shared {
                    r.i64(7)
                } else {
                    super::distribution::count_for_agent(tx, id, me)?
                };
                if total == 0 {
                    continue;
                }
                let mine = if shared {
                    String::new()
                } else {
                    super::distribution::agent_filter_sql(tx, id, me, None)?
                };
                let pending = tx
                    .conn
                    .query_one(
                        &format!(
                            "SELECT COUNT(*) FROM visible_contacts v WHERE v.campaign_id = ?1 AND v.status IN ('pendiente', 'agendado'){mine}"
                        ),
                        params![id],
                    )?
                    .i64(0);
                out.push(AgentCampaign {
                    id,
                    name: r.text(1),
                    status: CampaignStatus::from_code(&r.text(2))
                        .unwrap_or(CampaignStatus::Planificada),
                    start_date: r
                        .opt_text(3)
                        .map(|d| crate::domain::brief::display_date(&d))
                        .unwrap_or_default(),
                    end_date: r
                        .opt_text(4)
                        .map(|d| crate::domain::brief::display_date(&d))
                        .unwrap_or_default(),
                    pending,
                    total,
                    script_version: r.opt_i64(5),
                    shared,
                });
            }
            Ok(out)
        })
    }

    /// The pending contacts a user holds in campaigns not closed (what deactivating them would
    /// strand), with who would receive them. Counted as a redistribution moves them.
    pub fn held_contacts(&self, actor: &Actor, user_id: i64) -> Result<Vec<HeldContacts>> {
        if !actor.can(Action::ManageUsers) {
            require(actor, Action::RunCampaigns)?;
        }
        self.read(|tx| {
            // Counted as a redistribution moves them: never attempted, pending, not claimed.
            let open = tx.conn.query(
                "SELECT id, name FROM campaigns WHERE status <> 'cerrada' ORDER BY id",
                &[],
            )?;
            let mut held: Vec<(i64, String, i64)> = Vec::new();
            for r in open {
                let by_agent = super::distribution::contacts_by_agent(
                    tx,
                    r.i64(0),
                    super::distribution::PENDING,
                    true,
                )?;
                let n = by_agent.get(&user_id).map_or(0, Vec::len) as i64;
                if n > 0 {
                    held.push((r.i64(0), r.text(1), n));
                }
            }
            let mut out = Vec::new();
            for (campaign_id, campaign, pending) in held {
                let names = |rows: Vec<Row>| -> Vec<(String, String)> {
                    rows.iter().map(|r| (r.text(0), r.text(1))).collect()
                };
                let mut to = names(tx.conn.query(
                    "SELECT u.login, u.name FROM campaign_agents a JOIN users u ON u.id = a.user_id
                     WHERE a.campaign_id = ?1 AND u.id <> ?2 AND u.role = 'auxiliar' AND u.active = 1 ORDER BY u.name",
                    params![campaign_id, user_id],
                )?);
                if to.is_empty() {
                    to = names(tx.conn.query(
                        "SELECT u.login, u.name FROM users u
                         WHERE u.id <> ?1 AND u.role = 'auxiliar' AND u.active = 1 ORDER BY u.name",
                        params![user_id],
                    )?);
                }
                out.push(HeldContacts {
                    campaign_id,
                    campaign,
                    pending,
                    to,
                });
            }
            Ok(out)
        })
    }
}
