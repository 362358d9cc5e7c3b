//! Scripts: one per brief, a draft the professional edits and immutable published versions.

use super::briefs::load;
use super::db::Row;
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::script::{ScriptContent, ScriptDraft, ScriptVersion, placeholder_name};
use crate::domain::{Action, Actor};
use crate::i18n::Msg;
use crate::params;

fn content_of(json: &str) -> ScriptContent {
    let mut c: ScriptContent = serde_json::from_str(json).unwrap_or_default();
    c.ensure_notice();
    c
}

fn draft_from_row(r: &Row) -> ScriptDraft {
    ScriptDraft {
        id: r.i64(0),
        brief_id: r.opt_i64(1),
        content: content_of(&r.text(2)),
        updated_at: r.i64(3),
    }
}

fn version_from_row(r: &Row) -> ScriptVersion {
    ScriptVersion {
        id: r.i64(0),
        version: r.i64(1),
        content: content_of(&r.text(2)),
        published_at: r.i64(3),
        published_by: r.text(4),
    }
}

fn may_read(actor: &Actor) -> Result<()> {
    if actor.can(Action::ViewAllBriefs) || actor.can(Action::RecordCalls) {
        Ok(())
    } else {
        Err(Error::Forbidden(Msg::new("perm.forbidden")))
    }
}

pub(crate) fn get_draft(tx: &mut Tx<'_>, id: i64) -> Result<ScriptDraft> {
    tx.conn
        .query_opt(
            "SELECT id, brief_id, draft, updated_at FROM scripts WHERE id = ?1",
            params![id],
        )?
        .as_ref()
        .map(draft_from_row)
        .ok_or_else(|| Error::NotFound(What::Script))
}

/// Creates the script of a brief if it has none; returns its id.
pub(crate) fn ensure_for_brief(tx: &mut Tx<'_>, actor: &Actor, brief_id: i64) -> Result<i64> {
    if let Some(r) = tx.conn.query_opt(
        "SELECT id FROM scripts WHERE brief_id = ?1 ORDER BY id LIMIT 1",
        params![brief_id],
    )? {
        return Ok(r.i64(0));
    }
    let b = load(tx, actor, brief_id)?;
    let json = serde_json::to_string(&ScriptContent::default()).unwrap_or_else(|_| "{}".into());
    let id = tx.conn.insert(
        "INSERT INTO scripts (brief_id, title, draft, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![brief_id, b.form.campaign_name, json, actor.user_id(), tx.now],
    )?;
    tx.audit(actor, "script.create", "script", Some(id), "")?;
    Ok(id)
}

pub(crate) fn latest_version(tx: &mut Tx<'_>, script_id: i64) -> Result<Option<ScriptVersion>> {
    Ok(tx
        .conn
        .query_opt(
            "SELECT v.id, v.version, v.content, v.published_at, COALESCE(u.login, '') FROM script_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.script_id = ?1 ORDER BY v.version DESC LIMIT 1",
            params![script_id],
        )?
        .as_ref()
        .map(version_from_row))
}

impl Store {
    /// The script of a brief, if it has one (only reads).
    pub fn script_of_brief(&self, actor: &Actor, brief_id: i64) -> Result<Option<ScriptDraft>> {
        require(actor, Action::ViewAllBriefs)?;
        self.read(|tx| {
            load(tx, actor, brief_id)?;
            let id = tx
                .conn
                .query_opt(
                    "SELECT id FROM scripts WHERE brief_id = ?1 ORDER BY id LIMIT 1",
                    params![brief_id],
                )?
                .map(|r| r.i64(0));
            id.map(|id| get_draft(tx, id)).transpose()
        })
    }

    /// Creates the script of a brief with the default sections, unless it has one already;
    /// returns it. Only who runs campaigns (the professional) may.
    pub fn script_create(&self, actor: &Actor, brief_id: i64) -> Result<ScriptDraft> {
        require(actor, Action::ViewAllBriefs)?;
        require(actor, Action::RunCampaigns)?;
        self.write(|tx| {
            load(tx, actor, brief_id)?;
            let id = ensure_for_brief(tx, actor, brief_id)?;
            get_draft(tx, id)
        })
    }

    /// Saves the draft (the data-protection notice is put back if missing).
    pub fn script_save(
        &self,
        actor: &Actor,
        script_id: i64,
        content: &ScriptContent,
    ) -> Result<()> {
        require(actor, Action::RunCampaigns)?;
        let mut content = content.clone();
        content.ensure_notice();
        let json = serde_json::to_string(&content).unwrap_or_else(|_| "{}".into());
        self.write(|tx| {
            get_draft(tx, script_id)?;
            tx.conn.execute(
                "UPDATE scripts SET draft = ?1, updated_by = ?2, updated_at = ?3 WHERE id = ?4",
                params![json, actor.user_id(), tx.now, script_id],
            )?;
            tx.audit(actor, "script.save", "script", Some(script_id), "")
        })
    }

    /// Publishes the content as a new immutable version (after saving it as the draft).
    pub fn script_publish(
        &self,
        actor: &Actor,
        script_id: i64,
        content: &ScriptContent,
    ) -> Result<ScriptVersion> {
        require(actor, Action::RunCampaigns)?;
        let mut content = content.clone();
        content.ensure_notice();
        let extra = self.script_placeholders(script_id)?;
        if let Some(e) = content.validate_for_publish(&extra).into_iter().next() {
            return Err(e.into());
        }
        let json = serde_json::to_string(&content).unwrap_or_else(|_| "{}".into());
        self.write(|tx| {
            get_draft(tx, script_id)?;
            let next = tx
                .conn
                .query_one(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM script_versions WHERE script_id = ?1",
                    params![script_id],
                )?
                .i64(0);
            tx.conn.execute(
                "UPDATE scripts SET draft = ?1, updated_by = ?2, updated_at = ?3 WHERE id = ?4",
                params![json.as_str(), actor.user_id(), tx.now, script_id],
            )?;
            tx.conn.execute(
                "INSERT INTO script_versions (script_id, version, content, published_by, published_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![script_id, next, json.as_str(), actor.user_id(), tx.now],
            )?;
            tx.audit(actor, "script.publish", "script", Some(script_id), &next.to_string())?;
            latest_version(tx, script_id)?.ok_or_else(|| Error::NotFound(What::Script))
        })
    }

    /// Every published version, newest first.
    pub fn script_versions(&self, actor: &Actor, script_id: i64) -> Result<Vec<ScriptVersion>> {
        may_read(actor)?;
        self.read(|c| {
            Ok(c.query(
                "SELECT v.id, v.version, v.content, v.published_at, COALESCE(u.login, '') FROM script_versions v LEFT JOIN users u ON u.id = v.published_by WHERE v.script_id = ?1 ORDER BY v.version DESC",
                params![script_id],
            )?
            .iter()
            .map(version_from_row)
            .collect())
        })
    }

    /// The newest published version: what agents see.
    pub fn script_latest(&self, actor: &Actor, script_id: i64) -> Result<Option<ScriptVersion>> {
        may_read(actor)?;
        self.read(|tx| latest_version(tx, script_id))
    }

    /// The script agents use for a campaign: its newest published version.
    pub fn campaign_script(
        &self,
        actor: &Actor,
        campaign_id: i64,
    ) -> Result<Option<ScriptVersion>> {
        may_read(actor)?;
        self.read(|tx| {
            let sid = tx
                .conn
                .query_opt(
                    "SELECT script_id FROM campaigns WHERE id = ?1",
                    params![campaign_id],
                )?
                .and_then(|r| r.opt_i64(0));
            match sid {
                Some(sid) => latest_version(tx, sid),
                None => Ok(None),
            }
        })
    }

    /// Placeholders a script may use beyond the base ones: the fields the brief says its
    /// contact database brings, then the extra columns of the files imported into the
    /// campaigns that use the script (`campaign_columns`), each once.
    pub fn script_placeholders(&self, script_id: i64) -> Result<Vec<String>> {
        self.read(|c| {
            let fields = c
                .query_opt(
                    "SELECT b.database_fields FROM scripts s JOIN briefs b ON b.id = s.brief_id WHERE s.id = ?1",
                    params![script_id],
                )?
                .map(|r| r.text(0))
                .unwrap_or_default();
            let mut out: Vec<String> = Vec::new();
            let columns = super::card::script_columns(c, script_id)?;
            for p in fields
                .split([',', ';', '\n', '/'])
                .chain(columns.iter().map(String::as_str))
                .map(placeholder_name)
            {
                if !p.is_empty() && !out.contains(&p) {
                    out.push(p);
                }
            }
            Ok(out)
        })
    }
}
