//! The interested contacts of a campaign (`domain::interested`), for those who run it and for
//! the requesting department (its own campaigns only).

use super::{Error, Result, Store, Tx};
use crate::domain::interested::{Interested, InterestedContact};
use crate::domain::{Action, Actor};
use crate::i18n::Msg;
use crate::params;

/// Those who run or decide campaigns see any; a department's user only its department's.
fn may_see(actor: &Actor, department_id: i64) -> Result<()> {
    if actor.can(Action::ViewAllBriefs) {
        return Ok(());
    }
    match actor {
        Actor::User {
            department_id: Some(d),
            ..
        } if *d == department_id && actor.can(Action::SubmitBriefs) => Ok(()),
        _ => Err(Error::Forbidden(Msg::new("perm.forbidden"))),
    }
}

fn read(tx: &mut Tx<'_>, actor: &Actor, campaign_id: i64) -> Result<Interested> {
    let c = super::campaigns::get(tx, campaign_id)?;
    may_see(actor, c.department_id)?;
    // The contacts whose best outcome is positive, with the latest attempt that recorded it
    // (its time, agent and notes). Unconfirmed imports never show.
    let contacts = tx
        .conn
        .query(
            "SELECT cc.id, cc.name, cc.phone, COALESCE(cc.email, ''), COALESCE(cc.program, ''), COALESCE(cc.city, ''),
                    d.name, a.started_at, COALESCE(u.name, ''), a.notes
             FROM campaign_contacts cc
             JOIN dispositions d ON d.id = cc.best_disposition_id AND d.category = 'positivo'
             LEFT JOIN import_batches ib ON ib.id = cc.batch_id
             JOIN call_attempts a ON a.id = (
                 SELECT a2.id FROM call_attempts a2
                 WHERE a2.contact_id = cc.id AND a2.disposition_id = cc.best_disposition_id
                 ORDER BY a2.started_at DESC, a2.id DESC LIMIT 1)
             LEFT JOIN users u ON u.id = a.agent_id
             WHERE cc.campaign_id = ?1 AND (cc.batch_id IS NULL OR ib.status = 'confirmada')
             ORDER BY a.started_at DESC, cc.id",
            params![campaign_id],
        )?
        .iter()
        .map(|r| InterestedContact {
            contact_id: r.i64(0),
            name: r.text(1),
            phone: r.text(2),
            email: r.text(3),
            program: r.text(4),
            city: r.text(5),
            outcome: r.text(6),
            at: r.i64(7),
            agent: r.text(8),
            notes: r.text(9),
        })
        .collect();
    Ok(Interested {
        campaign_id,
        campaign: c.form.name.clone(),
        status: c.status.code().to_owned(),
        contacts,
    })
}

impl Store {
    /// A campaign's interested contacts.
    pub fn interested(&self, actor: &Actor, campaign_id: i64) -> Result<Interested> {
        self.read(|tx| read(tx, actor, campaign_id))
    }

    /// The interested contacts of a brief's campaign; `None` while the brief has no campaign.
    pub fn interested_of_brief(&self, actor: &Actor, brief_id: i64) -> Result<Option<Interested>> {
        self.read(|tx| {
            let id = tx
                .conn
                .query_opt(
                    "SELECT id FROM campaigns WHERE brief_id = ?1 ORDER BY id DESC LIMIT 1",
                    params![brief_id],
                )?
                .map(|r| r.i64(0));
            id.map(|id| read(tx, actor, id)).transpose()
        })
    }
}
