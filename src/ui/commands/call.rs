//! The call tally's commands ([`CallCommand`]), run off the UI thread ([`spawn_call`]).

use crate::domain::Actor;
use crate::store::{Error, Store};

/// What the call tally asks of the store. Unlike a [`Command`], it runs off the UI thread
/// ([`spawn_call`]): an agent's screen never freezes while another desk holds the database's
/// write lock (an import). Each one ends with what the screen shows next.
#[derive(Debug, Clone)]
pub enum CallCommand {
    /// The agent's next contact in a campaign (claimed for them).
    Next {
        /// The campaign.
        campaign_id: i64,
    },
    /// Record an outcome, then take the next contact: one round trip.
    Record {
        /// The campaign.
        campaign_id: i64,
        /// The contact.
        contact_id: i64,
        /// The outcome's code.
        outcome: String,
        /// A coded reason ("No interesado").
        reason: Option<String>,
        /// Notes.
        notes: String,
        /// When to call back (UTC seconds).
        callback_at: Option<i64>,
        /// How long the call took.
        duration_secs: i64,
        /// The survey's answers (a JSON object by question id).
        answers: Option<String>,
    },
    /// Undo an outcome just recorded: the contact comes back to the screen as it was.
    Undo {
        /// The campaign.
        campaign_id: i64,
        /// The contact.
        contact_id: i64,
        /// The attempt to undo.
        attempt_uuid: String,
    },
    /// Correct the phone or e-mail of the contact on screen, then read its card again.
    Correct {
        /// The campaign.
        campaign_id: i64,
        /// The contact.
        contact_id: i64,
        /// The new phone, E.164 (normalised by the import's phone module).
        phone: Option<String>,
        /// The new e-mail.
        email: Option<String>,
    },
}

/// What a [`CallCommand`] produced.
#[derive(Debug, Clone)]
pub struct CallApplied {
    /// The outcome recorded, if the command recorded one.
    pub recorded: Option<crate::domain::call::Recorded>,
    /// What to call next (or why nothing).
    pub next: crate::domain::call::Next,
    /// The card of the contact to call.
    pub card: Option<Box<crate::domain::card::Card>>,
    /// The agent's progress in the campaign.
    pub progress: Option<crate::domain::card::Progress>,
    /// The agent's campaigns with their counts, read again after a change.
    pub campaigns: Option<Vec<crate::domain::campaign::AgentCampaign>>,
}

impl CallCommand {
    /// Carries it out through the store, as `actor` acting as the agent `agent_login`.
    pub fn run(
        &self,
        store: &Store,
        actor: &Actor,
        agent_login: &str,
    ) -> Result<CallApplied, Error> {
        let (campaign_id, recorded, next) = match self {
            CallCommand::Next { campaign_id } => (
                *campaign_id,
                None,
                store.call_next(actor, *campaign_id, agent_login)?,
            ),
            CallCommand::Record {
                campaign_id,
                contact_id,
                outcome,
                reason,
                notes,
                callback_at,
                duration_secs,
                answers,
            } => {
                let recorded = store.call_record(
                    actor,
                    agent_login,
                    *campaign_id,
                    *contact_id,
                    &crate::domain::call::Outcome {
                        key_or_code: outcome,
                        reason: reason.as_deref(),
                        notes,
                        callback_at: *callback_at,
                        duration_secs: *duration_secs,
                        answers: answers.as_deref(),
                    },
                )?;
                (
                    *campaign_id,
                    Some(recorded),
                    store.call_next(actor, *campaign_id, agent_login)?,
                )
            }
            CallCommand::Undo {
                campaign_id,
                contact_id,
                attempt_uuid,
            } => {
                store.call_undo(actor, agent_login, attempt_uuid)?;
                // The contact undone comes back to the screen (another one the agent was
                // handed meanwhile stays theirs and comes next).
                let card = store.call_card(actor, *campaign_id, *contact_id)?;
                let next = crate::domain::call::Next::Contact(card.as_next());
                let progress = store.agent_progress(actor, *campaign_id, agent_login).ok();
                return Ok(CallApplied {
                    recorded: None,
                    next,
                    card: Some(Box::new(card)),
                    progress,
                    campaigns: store.agent_campaigns(actor).ok(),
                });
            }
            CallCommand::Correct {
                campaign_id,
                contact_id,
                phone,
                email,
            } => {
                store.contact_correct(
                    actor,
                    agent_login,
                    *contact_id,
                    phone.as_deref(),
                    email.as_deref(),
                )?;
                // The same contact, held: `call next` gives it back.
                (
                    *campaign_id,
                    None,
                    store.call_next(actor, *campaign_id, agent_login)?,
                )
            }
        };
        let card = match &next {
            crate::domain::call::Next::Contact(c) => Some(Box::new(store.call_card(
                actor,
                campaign_id,
                c.contact_id,
            )?)),
            crate::domain::call::Next::Nothing { .. } => None,
        };
        let progress = store.agent_progress(actor, campaign_id, agent_login).ok();
        Ok(CallApplied {
            recorded,
            next,
            card,
            progress,
            campaigns: store.agent_campaigns(actor).ok(),
        })
    }
}

/// Runs a [`CallCommand`] on a background thread over `store` (a second connection); the
/// window polls the job and repaints when it ends.
pub fn spawn_call(
    store: Store,
    actor: Actor,
    agent_login: String,
    cmd: CallCommand,
    repaint: impl Fn() + Send + 'static,
) -> crate::jobs::Job<CallApplied, Error> {
    crate::jobs::Job::spawn("call", String::new(), repaint, move |_, _| {
        cmd.run(&store, &actor, &agent_login)
    })
}
