//! Inbound calls (procedure 5.2, tab Entrantes): registering one (`inbound_register`), with a
//! remission queued to the program's manager in the same transaction; finding the person a
//! phone or document belongs to and their history (`inbound_lookup`); the recent calls
//! (`inbound_list`); a remitted lead's follow-up (`inbound_set_followup`); "Enviar información"
//! (`inbound_send_info`); the remission's template (`remission_template`).
//!
//! A caller who gave a phone or a document and matched nobody becomes a person (with its
//! lookup keys), so the next call, or a campaign's import, finds them. Its id is taken above
//! every import's reserved range, as `import_reserve_persons` takes ranges.

use super::db::Row;
use super::outbox::{NewMessage, enqueue};
use super::{Error, Result, Store, Tx, require};
use crate::domain::inbound::{AskedAbout, Channel, Followup, InboundResult, OutboxKind};
use crate::domain::inbound_call::{
    InboundCall, InboundFilter, InboundPage, KNOWN_CALLS_LIMIT, KnownPerson, NewInbound,
    check_template, clean_document, fill, sheet_text, template_values,
};
use crate::domain::{Action, Actor, Field, FieldError};
use crate::i18n::{Lang, Msg, t, with_lang};
use crate::params;

/// The settings key of the remission template.
pub const TEMPLATE_KEY: &str = "remission_template";

const CALL_COLS: &str = "ic.id, ic.uuid, ic.received_at, ic.taken_by, COALESCE(u.name, ''), ic.person_id, ic.channel, ic.caller_name, ic.phone, ic.email, ic.document, ic.kind, ic.program_id, COALESCE(p.name, ''), ic.department_id, COALESCE(d.name, ''), COALESCE(d.extension, ''), ic.notes, ic.authorized_at, ic.result, ic.followup_status, ic.followup_at, ic.followup_outbox_id";
const CALL_FROM: &str = "inbound_calls ic LEFT JOIN users u ON u.id = ic.taken_by LEFT JOIN programs p ON p.id = ic.program_id LEFT JOIN departments d ON d.id = ic.department_id";

fn call_from_row(r: &Row) -> InboundCall {
    InboundCall {
        id: r.i64(0),
        uuid: r.text(1),
        received_at: r.i64(2),
        taken_by: r.opt_i64(3),
        agent: r.text(4),
        person_id: r.opt_i64(5),
        channel: Channel::from_code(&r.text(6)).unwrap_or(Channel::Telefono),
        caller_name: r.text(7),
        phone: r.opt_text(8).filter(|s| !s.is_empty()),
        email: r.opt_text(9).filter(|s| !s.is_empty()),
        document: r.opt_text(10).filter(|s| !s.is_empty()),
        asked_about: AskedAbout::from_code(&r.text(11)).unwrap_or(AskedAbout::Programa),
        program_id: r.opt_i64(12),
        program: r.text(13),
        department_id: r.opt_i64(14),
        department: r.text(15),
        extension: r.text(16),
        notes: r.text(17),
        authorized_at: r.opt_i64(18),
        result: InboundResult::from_code(&r.text(19)).unwrap_or(InboundResult::Informado),
        followup: r.opt_text(20).and_then(|c| Followup::from_code(&c)),
        followup_at: r.opt_i64(21),
        outbox_id: r.opt_i64(22),
    }
}

fn call_in(tx: &mut Tx<'_>, id: i64) -> Result<InboundCall> {
    tx.conn
        .query_opt(
            &format!("SELECT {CALL_COLS} FROM {CALL_FROM} WHERE ic.id = ?1"),
            params![id],
        )?
        .as_ref()
        .map(call_from_row)
        .ok_or_else(|| Error::Conflict(Msg::new("inbound.err_not_found")))
}

/// The phone's lookup key: its E.164 digits as an integer.
fn phone_key(e164: &str) -> Option<i64> {
    e164.strip_prefix('+')?.parse().ok()
}

/// The person a phone or a document belongs to (not anonymised), phone first.
fn find_person(
    tx: &mut Tx<'_>,
    phone: Option<&str>,
    document: Option<&str>,
) -> Result<Option<i64>> {
    if let Some(k) = phone.and_then(phone_key)
        && let Some(r) = tx.conn.query_opt(
            "SELECT k.person_id FROM person_phone_keys k JOIN persons p ON p.id = k.person_id WHERE k.e164 = ?1 AND p.anonymised_at IS NULL",
            params![k],
        )?
    {
        return Ok(Some(r.i64(0)));
    }
    if let Some(d) = document.filter(|d| !d.is_empty())
        && let Some(r) = tx.conn.query_opt(
            "SELECT k.person_id FROM person_document_keys k JOIN persons p ON p.id = k.person_id WHERE k.document = ?1 AND p.anonymised_at IS NULL",
            params![d],
        )?
    {
        return Ok(Some(r.i64(0)));
    }
    Ok(None)
}

/// A new person for a caller nobody knew, above every id an import reserved, with its keys.
fn new_person(
    tx: &mut Tx<'_>,
    name: &str,
    phone: Option<&str>,
    document: Option<&str>,
    email: Option<&str>,
) -> Result<i64> {
    let top = tx
        .conn
        .query_one(
            "SELECT MAX(x) FROM (SELECT MAX(id) AS x FROM persons UNION ALL SELECT MAX(person_last) AS x FROM import_batches)",
            &[],
        )?
        .opt_i64(0)
        .unwrap_or(0);
    let id = top + 1;
    let uuid = uuid::Uuid::now_v7().to_string();
    tx.conn.execute(
        "INSERT INTO persons (id, uuid, name, document, email, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, uuid.as_str(), name, document, email, tx.now],
    )?;
    if let Some(k) = phone.and_then(phone_key) {
        tx.conn.execute(
            "INSERT INTO person_phone_keys (e164, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![k, id],
        )?;
    }
    if let Some(d) = document {
        tx.conn.execute(
            "INSERT INTO person_document_keys (document, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![d, id],
        )?;
    }
    Ok(id)
}

/// The stored remission template, or the locale's default (Spanish).
fn template_in(tx: &mut Tx<'_>) -> Result<String> {
    Ok(tx
        .conn
        .query_opt(
            "SELECT value FROM settings WHERE key = ?1",
            params![TEMPLATE_KEY],
        )?
        .map(|r| r.text(0))
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(default_template))
}

/// The remission template every new database starts with (Spanish: managers read Spanish).
pub fn default_template() -> String {
    with_lang(Lang::Es, || t("inbound.remission_template_default"))
}

/// The name the messages and lists give the acting user.
fn actor_name(tx: &mut Tx<'_>, actor: &Actor) -> Result<String> {
    Ok(match actor.user_id() {
        Some(id) => tx
            .conn
            .query_opt("SELECT name FROM users WHERE id = ?1", params![id])?
            .map_or_else(|| actor.audit_name(), |r| r.text(0)),
        None => actor.audit_name(),
    })
}

fn invalid(field: Field, key: &'static str) -> Error {
    Error::Invalid(FieldError::new(field, key))
}

impl Store {
    /// Registers an inbound call taken by the acting agent (now, a UUID v7), linked to the
    /// person its phone or document matches (a new person when none does). A remitted call
    /// queues, in the same transaction, the e-mail to the program's manager (kind remisión,
    /// from the template) and starts its follow-up as pendiente. Refused, field by field
    /// ([`Error::Invalid`]): what [`NewInbound::validate`] finds, an unknown or inactive
    /// program or department, a remission for a program without its manager's e-mail.
    pub fn inbound_register(&self, actor: &Actor, new: &NewInbound) -> Result<InboundCall> {
        require(actor, Action::RegisterInbound)?;
        if let Some(e) = new.validate().into_iter().next() {
            return Err(Error::Invalid(e));
        }
        let settings = self.settings()?;
        let name = new
            .caller_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let email = new.email.trim().to_lowercase();
        let email = (!email.is_empty()).then_some(email);
        let document = clean_document(&new.document);
        let document = (!document.is_empty()).then_some(document);
        let asked = new.asked_about.unwrap_or(AskedAbout::Programa);
        let result = new.result.unwrap_or(InboundResult::Informado);
        let (program_id, department_id) = match asked {
            AskedAbout::OtraDependencia => (None, new.department_id),
            _ => (new.program_id, new.department_id),
        };
        self.write(|tx| {
            let program = match program_id {
                Some(id) => {
                    let p = super::catalogs::program_in(tx, id)
                        .map_err(|_| invalid(Field::Program, "inbound.err_program"))?;
                    if !p.active {
                        return Err(invalid(Field::Program, "inbound.err_program_inactive"));
                    }
                    Some(p)
                }
                None => None,
            };
            // A transfer goes to the department asked for, else the program's.
            let department_id =
                department_id.or(match (result, &program) {
                    (InboundResult::Transferida, Some(p)) => p.department_id,
                    _ => None,
                });
            if let Some(id) = department_id {
                let d = super::catalogs::department_in(tx, id)
                    .map_err(|_| invalid(Field::Department, "inbound.err_department"))?;
                if !d.active {
                    return Err(invalid(Field::Department, "inbound.err_department_inactive"));
                }
            } else if result == InboundResult::Transferida {
                return Err(invalid(Field::Department, "inbound.err_department"));
            }
            if result == InboundResult::Remitido {
                let p = program
                    .as_ref()
                    .ok_or_else(|| invalid(Field::Program, "inbound.err_program"))?;
                if p.manager_email.trim().is_empty() {
                    return Err(Error::Invalid(FieldError::with(
                        Field::Program,
                        "inbound.err_no_manager",
                        &[("program", &p.name)],
                    )));
                }
            }
            let phone = new.phone.as_deref();
            let person_id = match find_person(tx, phone, document.as_deref())? {
                Some(id) => Some(id),
                None if phone.is_some() || document.is_some() => Some(new_person(
                    tx,
                    &name,
                    phone,
                    document.as_deref(),
                    email.as_deref(),
                )?),
                None => None,
            };
            let authorized_at = new.authorized.then_some(tx.now);
            let uuid = uuid::Uuid::now_v7().to_string();
            let followup = (result == InboundResult::Remitido).then_some(Followup::Pendiente.code());
            let id = tx.conn.insert(
                "INSERT INTO inbound_calls (uuid, received_at, taken_by, person_id, caller_name, phone, email, document, program_id, department_id, kind, notes, channel, authorized_at, result, followup_status, followup_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) RETURNING id",
                params![
                    uuid.as_str(),
                    tx.now,
                    actor.user_id(),
                    person_id,
                    name.as_str(),
                    phone,
                    email.as_deref(),
                    document.as_deref(),
                    program.as_ref().map(|p| p.id),
                    department_id,
                    asked.code(),
                    new.notes.trim(),
                    new.channel.code(),
                    authorized_at,
                    result.code(),
                    followup,
                    followup.map(|_| tx.now),
                ],
            )?;
            if result == InboundResult::Remitido
                && let Some(p) = &program
            {
                let template = template_in(tx)?;
                let agent = actor_name(tx, actor)?;
                let when = crate::domain::format::datetime(tx.now, &settings);
                let values = template_values(
                    &name,
                    phone,
                    email.as_deref().unwrap_or(""),
                    document.as_deref().unwrap_or(""),
                    &p.name,
                    new.notes.trim(),
                    &agent,
                    &when,
                );
                let (subject, body) = with_lang(Lang::Es, || {
                    (
                        fill(&t("inbound.remission_subject"), &values),
                        fill(&template, &values),
                    )
                });
                let outbox_id = enqueue(
                    tx,
                    &NewMessage {
                        to: p.manager_email.clone(),
                        subject,
                        body,
                        kind: Some(OutboxKind::Remision),
                        created_by: actor.audit_name(),
                        inbound_call_id: Some(id),
                        attachments: Vec::new(),
                    },
                )?;
                tx.conn.execute(
                    "UPDATE inbound_calls SET followup_outbox_id = ?1 WHERE id = ?2",
                    params![outbox_id, id],
                )?;
            }
            tx.audit(actor, "inbound.register", "inbound_call", Some(id), result.code())?;
            call_in(tx, id)
        })
    }

    /// The person a phone (E.164) or a document belongs to — a contact of any campaign or an
    /// earlier caller — with their campaign attempts and earlier inbound calls, newest first.
    /// `None` when nothing matches (or nothing was given).
    pub fn inbound_lookup(
        &self,
        actor: &Actor,
        phone_e164: Option<&str>,
        document: Option<&str>,
    ) -> Result<Option<KnownPerson>> {
        if !actor.can(Action::RegisterInbound) {
            require(actor, Action::ViewInbound)?;
        }
        let document = document.map(clean_document).filter(|d| !d.is_empty());
        let phone = phone_e164.filter(|p| phone_key(p).is_some());
        if phone.is_none() && document.is_none() {
            return Ok(None);
        }
        self.read(|tx| {
            let limit = KNOWN_CALLS_LIMIT as i64;
            match find_person(tx, phone, document.as_deref())? {
                Some(pid) => {
                    let p = tx.conn.query_one(
                        "SELECT name, email, document FROM persons WHERE id = ?1",
                        params![pid],
                    )?;
                    let attempts = super::card::history(tx, pid)?;
                    let calls: Vec<InboundCall> = tx
                        .conn
                        .query(
                            &format!("SELECT {CALL_COLS} FROM {CALL_FROM} WHERE ic.person_id = ?1 ORDER BY ic.received_at DESC, ic.id DESC LIMIT ?2"),
                            params![pid, limit],
                        )?
                        .iter()
                        .map(call_from_row)
                        .collect();
                    let name = calls
                        .first()
                        .map(|c| c.caller_name.clone())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| p.text(0));
                    Ok(Some(KnownPerson {
                        person_id: Some(pid),
                        name,
                        email: p
                            .opt_text(1)
                            .filter(|s| !s.is_empty())
                            .or_else(|| calls.iter().find_map(|c| c.email.clone())),
                        document: p.opt_text(2).filter(|s| !s.is_empty()),
                        attempts,
                        calls,
                    }))
                }
                None => {
                    // An earlier caller never linked to a person (registered before persons
                    // were made for callers): by the phone's index.
                    let Some(phone) = phone else {
                        return Ok(None);
                    };
                    let calls: Vec<InboundCall> = tx
                        .conn
                        .query(
                            &format!("SELECT {CALL_COLS} FROM {CALL_FROM} WHERE ic.phone = ?1 ORDER BY ic.received_at DESC, ic.id DESC LIMIT ?2"),
                            params![phone, limit],
                        )?
                        .iter()
                        .map(call_from_row)
                        .collect();
                    Ok(calls.first().cloned().map(|c| KnownPerson {
                        person_id: None,
                        name: c.caller_name,
                        email: c.email,
                        document: c.document,
                        attempts: Vec::new(),
                        calls,
                    }))
                }
            }
        })
    }

    /// One inbound call.
    pub fn inbound_call(&self, actor: &Actor, id: i64) -> Result<InboundCall> {
        if !actor.can(Action::RegisterInbound) {
            require(actor, Action::ViewInbound)?;
        }
        self.read(|tx| call_in(tx, id))
    }

    /// A page of the inbound calls that match `filter`, newest first, and how many match.
    pub fn inbound_list(
        &self,
        actor: &Actor,
        filter: &InboundFilter,
        offset: i64,
        limit: i64,
    ) -> Result<InboundPage> {
        if !actor.can(Action::RegisterInbound) {
            require(actor, Action::ViewInbound)?;
        }
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<super::db::Val> = Vec::new();
        // Each condition's `?` becomes the next numbered parameter.
        let mut arg = |sql: &str, vals: Vec<super::db::Val>| {
            let mut out = String::new();
            let mut vals = vals.into_iter();
            for part in sql.split_inclusive('?') {
                match part.strip_suffix('?') {
                    Some(head) => {
                        args.push(vals.next().unwrap_or(super::db::Val::Null));
                        out.push_str(&format!("{head}?{}", args.len()));
                    }
                    None => out.push_str(part),
                }
            }
            conds.push(out);
        };
        let search = filter.search.trim();
        if !search.is_empty() {
            let digits: String = search.chars().filter(char::is_ascii_digit).collect();
            let like = format!("%{}%", search.replace(['%', '_'], ""));
            if digits.len() >= 3 {
                arg(
                    "(ic.caller_name LIKE ? OR ic.phone LIKE ?)",
                    vec![like.as_str().into(), format!("%{digits}%").as_str().into()],
                );
            } else {
                arg("ic.caller_name LIKE ?", vec![like.as_str().into()]);
            }
        }
        if let Some(v) = filter.from {
            arg("ic.received_at >= ?", vec![v.into()]);
        }
        if let Some(v) = filter.to {
            arg("ic.received_at < ?", vec![v.into()]);
        }
        if let Some(v) = filter.agent_id {
            arg("ic.taken_by = ?", vec![v.into()]);
        }
        if let Some(v) = filter.channel {
            arg("ic.channel = ?", vec![v.code().into()]);
        }
        if let Some(v) = filter.program_id {
            arg("ic.program_id = ?", vec![v.into()]);
        }
        if let Some(v) = filter.result {
            arg("ic.result = ?", vec![v.code().into()]);
        }
        if let Some(v) = filter.followup {
            arg("ic.followup_status = ?", vec![v.code().into()]);
        }
        let wh = if conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conds.join(" AND "))
        };
        let n = args.len();
        self.read(|tx| {
            let total = tx
                .conn
                .query_one(
                    &format!("SELECT COUNT(*) FROM inbound_calls ic {wh}"),
                    &args,
                )?
                .i64(0);
            let mut page_args = args.clone();
            page_args.push(limit.clamp(1, 500).into());
            page_args.push(offset.max(0).into());
            let calls = tx
                .conn
                .query(
                    &format!(
                        "SELECT {CALL_COLS} FROM {CALL_FROM} {wh} ORDER BY ic.received_at DESC, ic.id DESC LIMIT ?{} OFFSET ?{}",
                        n + 1,
                        n + 2
                    ),
                    &page_args,
                )?
                .iter()
                .map(call_from_row)
                .collect();
            Ok(InboundPage { calls, total })
        })
    }

    /// The professional updates a remitted lead's follow-up (contactado por el gestor,
    /// inscrito, descartado, or back to pendiente).
    pub fn inbound_set_followup(
        &self,
        actor: &Actor,
        id: i64,
        followup: Followup,
    ) -> Result<InboundCall> {
        require(actor, Action::FollowUpInbound)?;
        self.write(|tx| {
            let call = call_in(tx, id)?;
            if call.result != InboundResult::Remitido {
                return Err(Error::Conflict(Msg::new("inbound.err_followup_not_remitted")));
            }
            tx.conn.execute(
                "UPDATE inbound_calls SET followup_status = ?1, followup_at = ?2, followup_by = ?3 WHERE id = ?4",
                params![followup.code(), tx.now, actor.audit_name(), id],
            )?;
            tx.audit(actor, "inbound.followup", "inbound_call", Some(id), followup.code())?;
            call_in(tx, id)
        })
    }

    /// "Enviar información": queues to the caller's e-mail the program's sheet, with its
    /// brochure attached. Needs the person's authorisation, an e-mail and a program. Returns
    /// the outbox message's id.
    pub fn inbound_send_info(&self, actor: &Actor, id: i64) -> Result<i64> {
        require(actor, Action::RegisterInbound)?;
        self.write(|tx| {
            let call = call_in(tx, id)?;
            if call.authorized_at.is_none() {
                return Err(invalid(
                    Field::Authorization,
                    "inbound.err_info_unauthorized",
                ));
            }
            let Some(to) = call.email.clone() else {
                return Err(invalid(Field::Email, "inbound.err_info_no_email"));
            };
            let Some(pid) = call.program_id else {
                return Err(invalid(Field::Program, "inbound.err_program"));
            };
            let p = super::catalogs::program_in(tx, pid)?;
            let outbox_id = queue_info(tx, actor, to, &call.caller_name, &p, Some(id))?;
            tx.audit(
                actor,
                "inbound.send_info",
                "inbound_call",
                Some(id),
                &p.name,
            )?;
            Ok(outbox_id)
        })
    }

    /// The remission e-mail's template (placeholders `{nombre} {telefono} {correo}
    /// {documento} {programa} {notas} {agente} {fecha}`): the one saved, else the default.
    pub fn remission_template(&self) -> Result<String> {
        self.read(template_in)
    }

    /// Saves the remission template (head only); an empty text puts back the default.
    pub fn set_remission_template(&self, actor: &Actor, template: &str) -> Result<()> {
        require(actor, Action::EditSettings)?;
        let template = template.trim();
        if !template.is_empty() {
            check_template(template)?;
        }
        self.write(|tx| {
            tx.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![TEMPLATE_KEY, template],
            )?;
            tx.audit(actor, "settings.remission_template", "settings", None, "")
        })
    }
}

impl Store {
    /// "Enviar información" from Mis llamadas, after an outcome that showed interest: the
    /// program's sheet and brochure to the contact's e-mail, queued in the outbox. Only the
    /// agent who recorded the contact's last call may send it (the person was just reached);
    /// the contact needs an e-mail.
    pub fn contact_send_info(
        &self,
        actor: &Actor,
        agent_login: &str,
        campaign_id: i64,
        contact_id: i64,
        program_id: i64,
    ) -> Result<i64> {
        self.write(|tx| {
            let agent = super::calls::agent_for(tx, actor, agent_login)?;
            let Some(r) = tx.conn.query_opt(
                "SELECT c.name, c.email, (SELECT a.agent_id FROM call_attempts a WHERE a.contact_id = c.id ORDER BY a.id DESC LIMIT 1) FROM campaign_contacts c WHERE c.id = ?1 AND c.campaign_id = ?2",
                params![contact_id, campaign_id],
            )?
            else {
                return Err(Error::Conflict(Msg::with(
                    "call_record.err_contact_unknown",
                    &[("contact", &contact_id)],
                )));
            };
            if r.opt_i64(2) != Some(agent.id) {
                return Err(Error::Conflict(Msg::new("calls.err_info_not_yours")));
            }
            let name = r.text(0);
            let Some(to) = r.opt_text(1).filter(|e| !e.trim().is_empty()) else {
                return Err(invalid(Field::Email, "inbound.err_info_no_email"));
            };
            let p = super::catalogs::program_in(tx, program_id)?;
            let outbox_id = queue_info(tx, actor, to, &name, &p, None)?;
            tx.audit(
                actor,
                "contact.send_info",
                "contact",
                Some(contact_id),
                &p.name,
            )?;
            Ok(outbox_id)
        })
    }
}

/// "Enviar información": the program's sheet (in the body) and brochure (attached) to `to`,
/// queued in the caller's transaction; the message is written in Spanish, the institution's
/// language, whatever the sender's screen shows.
fn queue_info(
    tx: &mut Tx<'_>,
    actor: &Actor,
    to: String,
    name: &str,
    p: &crate::domain::Program,
    inbound_call_id: Option<i64>,
) -> Result<i64> {
    let (subject, body) = with_lang(Lang::Es, || {
        let mut values = std::collections::BTreeMap::new();
        values.insert("programa".to_owned(), p.name.clone());
        values.insert("nombre".to_owned(), name.to_owned());
        values.insert("ficha".to_owned(), sheet_text(&p.name, &p.sheet));
        (
            fill(&t("inbound.info_subject"), &values),
            fill(&t("inbound.info_body"), &values),
        )
    });
    enqueue(
        tx,
        &NewMessage {
            to,
            subject,
            body,
            kind: Some(OutboxKind::Informacion),
            created_by: actor.audit_name(),
            inbound_call_id,
            attachments: p.brochure.iter().map(|b| b.blob_id).collect(),
        },
    )
}
