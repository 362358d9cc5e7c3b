//! Every write the GUI makes is a [`Command`], applied in one place ([`Cx::apply`]) through the
//! store, which checks permissions and audits it. The result goes back to the tab (to show a
//! field's error under the field) and, when it matters, to a toast. Moving to another tab is a
//! command too ([`Command::Open`]): `apply` records the [`Nav`] and the shell carries it out
//! after the frame's tab is drawn. Before login there is no actor: the first-run and login
//! screens send an [`Entry`], applied in one place ([`Entry::apply`]) by the app.

use super::tabs::Tab;
use super::widgets::Toasts;
use crate::domain::campaign::{Campaign, CampaignForm};
use crate::domain::procedure::CampaignStatus;
use crate::domain::script::ScriptContent;
use crate::domain::strategy::StrategyForm;
use crate::domain::{
    Actor, Brief, BriefForm, Department, FieldError, NewUser, Program, ProgramKind, Role, Settings,
    User,
};
use crate::i18n::{t, tf};
use crate::store::{Error, Store};

mod background;
mod call;

pub use background::{AttachFrom, spawn_archive_verify, spawn_attach, spawn_restore};
pub use call::{CallApplied, CallCommand, spawn_call};

/// Where a tab asks the shell to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// A campaign's page in Campañas.
    Campaign(i64),
    /// A campaign's published script in Guiones.
    CampaignScript(i64),
    /// A brief's strategy in Estrategias (the head's next step after accepting it).
    Strategy(i64),
    /// A campaign's distribution in Campañas (the next step after loading its base).
    Distribution(i64),
}

impl Nav {
    /// The tab that shows it.
    pub fn tab(self) -> Tab {
        match self {
            Nav::Campaign(_) | Nav::Distribution(_) => Tab::Campanas,
            Nav::CampaignScript(_) => Tab::Guiones,
            Nav::Strategy(_) => Tab::Estrategias,
        }
    }
}

/// A change a tab asks for.
#[derive(Debug, Clone)]
pub enum Command {
    /// Add a user.
    AddUser {
        /// The new user's fields.
        new: NewUser,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// Change a user's name, role and department.
    UpdateUser {
        /// Which user.
        id: i64,
        /// New name.
        name: String,
        /// New role.
        role: Role,
        /// New department.
        department_id: Option<i64>,
    },
    /// Activate or deactivate a user.
    SetUserActive {
        /// Which user.
        id: i64,
        /// Active or not.
        active: bool,
    },
    /// Set a new password for a user.
    ResetPassword {
        /// Which user.
        id: i64,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// The logged-in user changes their own password.
    ChangeOwnPassword {
        /// The current password.
        current: String,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// Add a department.
    AddDepartment {
        /// Its name.
        name: String,
    },
    /// Rename a department.
    RenameDepartment {
        /// Which department.
        id: i64,
        /// Its new name.
        name: String,
    },
    /// Activate or deactivate a department.
    SetDepartmentActive {
        /// Which department.
        id: i64,
        /// Active or not.
        active: bool,
    },
    /// Add a program or service.
    AddProgram {
        /// Its name.
        name: String,
        /// Program or service.
        kind: ProgramKind,
        /// Responsible department.
        department_id: Option<i64>,
    },
    /// Activate or deactivate a program or service.
    SetProgramActive {
        /// Which one.
        id: i64,
        /// Active or not.
        active: bool,
    },
    /// Save the institution settings.
    SaveSettings(Settings),
    /// Save a new draft brief.
    CreateBrief(BriefForm),
    /// Save changes to a draft brief.
    UpdateBrief(i64, BriefForm),
    /// Save a brief (new when the id is `None`) and submit it: one transaction.
    SaveAndSubmitBrief(Option<i64>, BriefForm),
    /// Start a new draft from an existing brief.
    DuplicateBrief(i64),
    /// Import a filled XLSX template as a draft.
    ImportBriefXlsx {
        /// The file's bytes.
        bytes: Vec<u8>,
    },
    /// Attach a file to a brief.
    AttachToBrief {
        /// Which brief.
        id: i64,
        /// The file's name.
        file_name: String,
        /// Its bytes.
        content: Vec<u8>,
    },
    /// The head accepts a brief (optional comment).
    AcceptBrief(i64, String),
    /// The head returns a brief with comments.
    ReturnBrief(i64, String),
    /// The head rejects a brief with a reason.
    RejectBrief(i64, String),
    /// The head saves a strategy; `assign` hands it to the professional.
    SaveStrategy {
        /// The brief.
        brief_id: i64,
        /// The strategy.
        form: StrategyForm,
        /// Assign it now.
        assign: bool,
    },
    /// Create a brief's script with the default sections (the professional's first look).
    CreateScript(i64),
    /// Save a script's draft.
    SaveScript(i64, ScriptContent),
    /// Publish a script's new version.
    PublishScript(i64, ScriptContent),
    /// Create the campaign of a brief.
    CreateCampaign(i64, CampaignForm),
    /// Change a campaign's fields.
    UpdateCampaign(i64, CampaignForm),
    /// Start, pause, resume or close a campaign.
    SetCampaignStatus(i64, CampaignStatus),
    /// Assign a campaign's unassigned contacts.
    Distribute(i64, crate::domain::distribution::DistributionPlan),
    /// Move an agent's pending contacts to others: (campaign, from login, to logins).
    Redistribute(i64, String, Vec<String>),
    /// Go to another tab and show something there (nothing is written).
    Open(Nav),
    /// The head amends a frozen strategy (its campaign has run), saying why.
    AmendStrategy {
        /// The brief.
        brief_id: i64,
        /// The strategy as amended.
        form: StrategyForm,
        /// Why (required).
        why: String,
    },
    /// Record a weekly report that leaves the program (exported, sent to the head through the
    /// outbox, or delivered by hand) with its XLSX.
    RecordWeekly {
        /// The report.
        report: Box<crate::domain::weekly::Weekly>,
        /// How it left.
        delivery: crate::domain::weekly::Delivery,
        /// To whom (an address, a name; empty for a file saved).
        recipient: String,
        /// The XLSX bytes.
        content: Vec<u8>,
    },
    /// Save a results report's narrative and due date (`None`: the default).
    SaveResults {
        /// The campaign.
        campaign_id: i64,
        /// Conclusions and recommendations.
        narrative: String,
        /// The due date.
        due_date: Option<chrono::NaiveDate>,
    },
    /// Keep a generated results report (XLSX, PDF, CSV) in the archive.
    ArchiveResults {
        /// The campaign.
        campaign_id: i64,
        /// The file's name.
        file_name: String,
        /// Its MIME type.
        mime: String,
        /// Its bytes.
        content: Vec<u8>,
    },
    /// Deliver a results report: by e-mail through the outbox, or by hand to `received_by`.
    DeliverResults {
        /// The campaign.
        campaign_id: i64,
        /// How.
        how: crate::domain::weekly::Delivery,
        /// Who received it (by hand).
        received_by: String,
        /// The file's name.
        file_name: String,
        /// Its MIME type.
        mime: String,
        /// Its bytes.
        content: Vec<u8>,
    },
    /// The department's satisfaction with a delivered report (1–5 and a comment).
    RecordSatisfaction {
        /// The campaign.
        campaign_id: i64,
        /// 1 to 5.
        score: i64,
        /// What they said.
        comment: String,
    },
    /// The head saves the SMTP server's settings; the password, when typed, goes to the
    /// operating system's keyring (or, without one, is kept for this session only).
    SaveSmtpSettings {
        /// The server's settings.
        settings: crate::domain::mail::SmtpSettings,
        /// The password, when typed (never stored in the database).
        password: Option<String>,
    },
    /// "Reenviar": a failed message goes back to the queue, due now.
    ResendMessage(i64),
    /// "Abrir en el correo" / "Entregado a mano": a message recorded as handed over that way.
    HandOverMessage(i64, crate::domain::mail::HandedOver),
    /// Set a department's phone extension.
    SetDepartmentExtension {
        /// Which department.
        id: i64,
        /// The extension.
        extension: String,
    },
    /// Set a program's responsible manager and sheet.
    SetProgramDetails {
        /// Which program or service.
        id: i64,
        /// Manager and sheet.
        details: crate::domain::catalog::ProgramDetails,
    },
    /// Attach a brochure to a program (`None` removes it).
    SetProgramBrochure {
        /// Which program or service.
        id: i64,
        /// The file's name and bytes.
        file: Option<(String, Vec<u8>)>,
    },
    /// Register an inbound call (a remission queues its e-mail in the same transaction).
    RegisterInbound(crate::domain::inbound_call::NewInbound),
    /// The professional updates a remitted lead's follow-up.
    SetInboundFollowup {
        /// The inbound call.
        id: i64,
        /// Where it stands.
        followup: crate::domain::inbound::Followup,
    },
    /// "Enviar información": the program's sheet and brochure to the caller's e-mail.
    SendInboundInfo(i64),
    /// Save the remission e-mail's template (empty: the default).
    SaveRemissionTemplate(String),
    /// Write down or change a non-conformity of the process (the head).
    SaveNonConformity {
        /// Which one (`None`: a new one).
        id: Option<i64>,
        /// Its fields as typed.
        form: crate::domain::process::NonConformityForm,
    },
    /// Keep a brief's PDF, as printed, in the archive (record GF-MK-PR-01-01).
    ArchiveBriefPdf {
        /// The brief.
        brief_id: i64,
        /// The file's name.
        file_name: String,
        /// The PDF's bytes.
        content: Vec<u8>,
    },
    /// The head edits an entry of the records registry.
    SaveRecordType {
        /// Which entry.
        id: i64,
        /// Its fields.
        form: crate::domain::archive::RecordTypeForm,
    },
    /// The head records an archived record's transfer to the central archive.
    TransferRecord(i64),
    /// The head removes an archived record (after confirming it in a dialog).
    RemoveRecord(i64),
    /// The head saves the automatic backup's settings.
    SaveBackupSettings(crate::domain::archive::BackupSettings),
    /// "Enviar información" from Mis llamadas: the program's sheet and brochure to a contact
    /// the agent just reached.
    SendContactInfo {
        /// The campaign.
        campaign_id: i64,
        /// The contact.
        contact_id: i64,
        /// The program or service.
        program_id: i64,
    },
}

/// What a command produced.
#[derive(Debug, Clone)]
pub enum Applied {
    /// A user (added or changed).
    User(User),
    /// A department.
    Department(Department),
    /// A program or service.
    Program(Program),
    /// A brief, with problems to show (from an XLSX import).
    Brief(Box<Brief>, Vec<String>),
    /// A brief saved; submitted when the list of problems (one per field) is empty.
    Submitted(Box<Brief>, Vec<FieldError>),
    /// A campaign.
    Campaign(Box<Campaign>),
    /// A script's draft.
    Script(Box<crate::domain::script::ScriptDraft>),
    /// A published script version.
    ScriptVersion(i64),
    /// Done, nothing to show.
    Done,
    /// An inbound call registered or changed.
    Inbound(Box<crate::domain::inbound_call::InboundCall>),
}

/// What a tab may use while drawing.
pub struct Cx<'a> {
    /// The data.
    pub store: &'a Store,
    /// Who acts.
    pub actor: &'a Actor,
    /// The logged-in user (updated when they change themselves).
    pub user: &'a mut User,
    /// Institution settings.
    pub settings: &'a Settings,
    /// Messages in the corner.
    pub toasts: &'a mut Toasts,
    /// Set when the settings were saved.
    pub settings_changed: bool,
    /// Set by [`Command::Open`]: where the shell goes once the tab is drawn.
    pub nav: Option<Nav>,
    /// The file dialog ([`super::files::native`]; tests set another).
    pub dialog: super::files::Dialog,
    /// How "Llamar" dials ([`super::dial::native`]; tests set another).
    pub dial: super::dial::Dialer,
    /// Set when the database was replaced (a backup restored): the shell logs out, since the
    /// user and everything on screen may no longer be what the database holds.
    pub logout: bool,
}

impl Cx<'_> {
    /// A read's value, or `None` with its error shown to the user (what failed, in words that
    /// say what to do). Reads are never swallowed into an empty default.
    pub fn shown<T>(&mut self, r: Result<T, Error>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.toasts
                    .error(tf("common.load_failed", &[("error", &e)]));
                None
            }
        }
    }

    /// A second connection for a tab's background reads and jobs, opened once into `slot` (the
    /// same store when another cannot be opened, e.g. in memory).
    pub fn background(&self, slot: &mut Option<Store>) -> Store {
        slot.get_or_insert_with(|| {
            self.store
                .connect_again()
                .unwrap_or_else(|_| self.store.clone())
        })
        .clone()
    }

    /// Applies a command. Field errors are returned for the form to show; other failures
    /// also go to a toast that stays until read.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, Error> {
        let store = self.store;
        let actor = self.actor;
        let result = match cmd {
            Command::AddUser {
                new,
                password,
                password2,
            } => store.add_user(actor, &new, &password, &password2).map(|u| {
                self.toasts
                    .success(tf("user.added", &[("name", &u.name), ("login", &u.login)]));
                Applied::User(u)
            }),
            Command::UpdateUser {
                id,
                name,
                role,
                department_id,
            } => store
                .update_user(actor, id, &name, role, department_id)
                .map(|u| {
                    self.toasts.success(t("common.saved"));
                    Applied::User(u)
                }),
            Command::SetUserActive { id, active } => {
                store.set_user_active(actor, id, active).map(|u| {
                    let key = if active {
                        "user.activated"
                    } else {
                        "user.deactivated"
                    };
                    self.toasts.success(tf(key, &[("name", &u.name)]));
                    Applied::User(u)
                })
            }
            Command::ResetPassword {
                id,
                password,
                password2,
            } => store
                .reset_password(actor, id, &password, &password2)
                .map(|()| {
                    self.toasts.success(t("user.password_reset"));
                    Applied::Done
                }),
            Command::ChangeOwnPassword {
                current,
                password,
                password2,
            } => store
                .change_own_password(actor, &current, &password, &password2)
                .map(|()| {
                    self.toasts.success(t("account.password_changed"));
                    Applied::Done
                }),
            Command::AddDepartment { name } => store.add_department(actor, &name).map(|d| {
                self.toasts
                    .success(tf("department.added", &[("name", &d.name)]));
                Applied::Department(d)
            }),
            Command::RenameDepartment { id, name } => {
                store.rename_department(actor, id, &name).map(|()| {
                    self.toasts.success(t("common.saved"));
                    Applied::Done
                })
            }
            Command::SetDepartmentActive { id, active } => store
                .set_department_active(actor, id, active)
                .map(|()| Applied::Done),
            Command::AddProgram {
                name,
                kind,
                department_id,
            } => store
                .add_program(actor, &name, kind, department_id)
                .map(|p| {
                    self.toasts
                        .success(tf("program.added", &[("name", &p.name)]));
                    Applied::Program(p)
                }),
            Command::SetProgramActive { id, active } => store
                .set_program_active(actor, id, active)
                .map(|()| Applied::Done),
            Command::SaveSettings(s) => store.save_settings(actor, &s).map(|()| {
                self.settings_changed = true;
                self.toasts.success(t("common.saved"));
                Applied::Done
            }),
            Command::CreateBrief(form) => store.brief_create(actor, &form).map(|b| {
                self.toasts.success(t("brief.draft_saved"));
                Applied::Brief(Box::new(b), Vec::new())
            }),
            Command::UpdateBrief(id, form) => store.brief_update(actor, id, &form).map(|b| {
                self.toasts.success(t("brief.draft_saved"));
                Applied::Brief(Box::new(b), Vec::new())
            }),
            Command::SaveAndSubmitBrief(id, form) => store
                .brief_save_and_submit(actor, id, &form)
                .map(|(b, errors)| {
                    self.toasts.success(if !errors.is_empty() {
                        t("brief.draft_saved")
                    } else if b.is_late() {
                        tf(
                            "brief.submitted_late",
                            &[("days", &b.late_days.unwrap_or(0))],
                        )
                    } else {
                        t("brief.submitted")
                    });
                    Applied::Submitted(Box::new(b), errors)
                }),
            Command::DuplicateBrief(id) => store.brief_duplicate(actor, id).map(|b| {
                self.toasts.success(t("brief.duplicated"));
                Applied::Brief(Box::new(b), Vec::new())
            }),
            Command::ImportBriefXlsx { bytes } => {
                crate::report::import_brief_xlsx(store, actor, &bytes).map(|(b, problems)| {
                    self.toasts.success(t("brief.imported"));
                    Applied::Brief(Box::new(b), problems)
                })
            }
            Command::AttachToBrief {
                id,
                file_name,
                content,
            } => store
                .brief_attach(actor, id, &file_name, &content)
                .map(|f| {
                    self.toasts
                        .success(tf("brief.attached", &[("name", &f.file_name)]));
                    Applied::Done
                }),
            Command::AcceptBrief(id, c) => store.brief_accept(actor, id, &c).map(|b| {
                self.toasts.success_with_link(
                    t("brief.accepted"),
                    t("brief.go_strategy"),
                    Nav::Strategy(b.id),
                );
                Applied::Brief(Box::new(b), Vec::new())
            }),
            Command::ReturnBrief(id, c) => store.brief_return(actor, id, &c).map(|b| {
                self.toasts.success(t("brief.returned"));
                Applied::Brief(Box::new(b), Vec::new())
            }),
            Command::RejectBrief(id, c) => store.brief_reject(actor, id, &c).map(|b| {
                self.toasts.success(t("brief.rejected"));
                Applied::Brief(Box::new(b), Vec::new())
            }),
            Command::SaveStrategy {
                brief_id,
                form,
                assign,
            } => store
                .strategy_save(actor, brief_id, &form, assign)
                .map(|s| {
                    self.toasts.success(if assign {
                        tf(
                            "strategy.assigned_toast",
                            &[("name", &s.assigned_name.unwrap_or_default())],
                        )
                    } else {
                        t("common.saved")
                    });
                    Applied::Done
                }),
            Command::CreateScript(brief_id) => store
                .script_create(actor, brief_id)
                .map(|d| Applied::Script(Box::new(d))),
            Command::SaveScript(id, content) => store.script_save(actor, id, &content).map(|()| {
                self.toasts.success(t("script.saved"));
                Applied::Done
            }),
            Command::PublishScript(id, content) => {
                store.script_publish(actor, id, &content).map(|v| {
                    self.toasts
                        .success(tf("script.published", &[("version", &v.version)]));
                    Applied::ScriptVersion(v.version)
                })
            }
            Command::CreateCampaign(brief_id, form) => {
                store.campaign_create(actor, brief_id, &form).map(|c| {
                    self.toasts.success_with_link(
                        tf("campaign.created", &[("name", &c.form.name)]),
                        t("campaign.go_to"),
                        Nav::Campaign(c.id),
                    );
                    Applied::Campaign(Box::new(c))
                })
            }
            Command::UpdateCampaign(id, form) => store.campaign_update(actor, id, &form).map(|c| {
                self.toasts.success(t("common.saved"));
                Applied::Campaign(Box::new(c))
            }),
            Command::Distribute(id, plan) => store.distribute(actor, id, &plan).map(|d| {
                let n: i64 = d.assigned.values().sum();
                self.toasts.success(tf(
                    "distribution.done",
                    &[
                        ("n", &crate::domain::format::int(n)),
                        ("k", &d.assigned.len()),
                    ],
                ));
                Applied::Done
            }),
            Command::Redistribute(id, from, to) => {
                store.redistribute(actor, id, &from, &to, false).map(|d| {
                    let n: i64 = d.assigned.values().sum();
                    // The agent by name (the login when the name cannot be read).
                    let from = store
                        .user_by_login(&from)
                        .ok()
                        .flatten()
                        .map_or(from, |u| u.name);
                    self.toasts.success(tf(
                        "distribution.moved",
                        &[("n", &crate::domain::format::int(n)), ("from", &from)],
                    ));
                    Applied::Done
                })
            }
            Command::SetCampaignStatus(id, to) => {
                store.campaign_set_status(actor, id, to).map(|c| {
                    self.toasts.success(tf(
                        "campaign.status_changed",
                        &[("name", &c.form.name), ("status", &c.status.label())],
                    ));
                    Applied::Campaign(Box::new(c))
                })
            }
            Command::Open(nav) => {
                self.nav = Some(nav);
                Ok(Applied::Done)
            }
            Command::AmendStrategy {
                brief_id,
                form,
                why,
            } => store.strategy_amend(actor, brief_id, &form, &why).map(|_| {
                self.toasts.success(t("strategy.amended"));
                Applied::Done
            }),
            Command::RecordWeekly {
                report,
                delivery,
                recipient,
                content,
            } => store
                .weekly_record(actor, &report, delivery, &recipient, &content)
                .map(|r| {
                    use crate::domain::weekly::Delivery;
                    match delivery {
                        Delivery::Exportado => {}
                        Delivery::Correo => self
                            .toasts
                            .success(tf("weekly.sent", &[("to", &r.recipient)])),
                        Delivery::AMano => self
                            .toasts
                            .success(tf("weekly.handed", &[("to", &r.recipient)])),
                    }
                    Applied::Done
                }),
            Command::SaveResults {
                campaign_id,
                narrative,
                due_date,
            } => store
                .results_save(actor, campaign_id, &narrative, due_date)
                .map(|_| {
                    self.toasts.success(t("common.saved"));
                    Applied::Done
                }),
            Command::ArchiveResults {
                campaign_id,
                file_name,
                mime,
                content,
            } => store
                .results_archive(actor, campaign_id, &file_name, &mime, &content)
                .map(|_| Applied::Done),
            Command::DeliverResults {
                campaign_id,
                how,
                received_by,
                file_name,
                mime,
                content,
            } => store
                .results_deliver(
                    actor,
                    campaign_id,
                    how,
                    &received_by,
                    &file_name,
                    &mime,
                    &content,
                )
                .map(|r| {
                    let to = r.delivered.map(|d| d.to).unwrap_or_default();
                    self.toasts
                        .success(tf("results.delivered_toast", &[("to", &to)]));
                    crate::mail::background::wake();
                    Applied::Done
                }),
            Command::RecordSatisfaction {
                campaign_id,
                score,
                comment,
            } => store
                .results_satisfaction(actor, campaign_id, score, &comment)
                .map(|_| {
                    self.toasts.success(t("results.satisfaction_saved"));
                    Applied::Done
                }),
            Command::SaveSmtpSettings { settings, password } => {
                store.save_smtp_settings(actor, &settings).map(|()| {
                    use crate::mail::secret::{Kept, remember};
                    match password.filter(|p| !p.is_empty()) {
                        Some(p) => match remember(&settings.account(), &p) {
                            Kept::Keyring => self.toasts.success(t("smtp.saved_keyring")),
                            Kept::Session(_) => self.toasts.success(t("smtp.saved_session")),
                        },
                        None => self.toasts.success(t("common.saved")),
                    }
                    crate::mail::background::wake();
                    Applied::Done
                })
            }
            Command::ResendMessage(id) => store.outbox_resend(actor, id).map(|m| {
                self.toasts.success(tf("outbox.resent", &[("to", &m.to)]));
                crate::mail::background::wake();
                Applied::Done
            }),
            Command::HandOverMessage(id, how) => store.outbox_hand_over(actor, id, how).map(|m| {
                self.toasts
                    .success(tf("outbox.handed", &[("to", &m.to), ("how", &how.label())]));
                Applied::Done
            }),
            Command::SetDepartmentExtension { id, extension } => store
                .set_department_extension(actor, id, &extension)
                .map(|()| {
                    self.toasts.success(t("department.extension_saved"));
                    Applied::Done
                }),
            Command::SetProgramDetails { id, details } => {
                store.program_set_details(actor, id, &details).map(|p| {
                    self.toasts
                        .success(tf("program.details_saved", &[("name", &p.name)]));
                    Applied::Program(p)
                })
            }
            Command::SetProgramBrochure { id, file } => store
                .program_set_brochure(
                    actor,
                    id,
                    file.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
                )
                .map(|p| {
                    match &p.brochure {
                        Some(b) => self
                            .toasts
                            .success(tf("program.brochure_saved", &[("name", &b.file_name)])),
                        None => self.toasts.success(t("program.brochure_removed")),
                    }
                    Applied::Program(p)
                }),
            Command::RegisterInbound(new) => store.inbound_register(actor, &new).map(|c| {
                let manager = c
                    .program_id
                    .filter(|_| c.outbox_id.is_some())
                    .and_then(|id| store.program(id).ok())
                    .map(|p| p.manager_email);
                let msg = match (c.result, manager) {
                    (crate::domain::inbound::InboundResult::Remitido, Some(email)) => tf(
                        "inbound.registered_remitted",
                        &[("name", &c.caller_name), ("email", &email)],
                    ),
                    _ => tf(
                        "inbound.registered",
                        &[("name", &c.caller_name), ("result", &c.result.label())],
                    ),
                };
                self.toasts.success(msg);
                Applied::Inbound(Box::new(c))
            }),
            Command::SetInboundFollowup { id, followup } => {
                store.inbound_set_followup(actor, id, followup).map(|c| {
                    self.toasts.success(tf(
                        "inbound.followup_saved",
                        &[("status", &followup.label())],
                    ));
                    Applied::Inbound(Box::new(c))
                })
            }
            Command::SendInboundInfo(id) => store.inbound_send_info(actor, id).and_then(|_| {
                let c = store.inbound_call(actor, id)?;
                self.toasts.success(tf(
                    "inbound.info_queued",
                    &[("email", &c.email.clone().unwrap_or_default())],
                ));
                Ok(Applied::Inbound(Box::new(c)))
            }),
            Command::SaveNonConformity { id, form } => {
                store.nonconformity_save(actor, id, &form).map(|_| {
                    self.toasts.success(t("common.saved"));
                    Applied::Done
                })
            }
            Command::SendContactInfo {
                campaign_id,
                contact_id,
                program_id,
            } => store
                .contact_send_info(actor, &self.user.login, campaign_id, contact_id, program_id)
                .map(|_| {
                    self.toasts.success(t("calls.info_queued"));
                    Applied::Done
                }),
            Command::ArchiveBriefPdf {
                brief_id,
                file_name,
                content,
            } => store
                .archive_brief_pdf(actor, brief_id, &file_name, &content)
                .map(|_| Applied::Done),
            Command::SaveRecordType { id, form } => {
                store.record_type_save(actor, id, &form).map(|_| {
                    self.toasts.success(t("common.saved"));
                    Applied::Done
                })
            }
            Command::TransferRecord(id) => store.archive_transfer(actor, id).map(|r| {
                self.toasts
                    .success(tf("archive.transferred", &[("title", &r.title)]));
                Applied::Done
            }),
            Command::RemoveRecord(id) => store.archive_remove(actor, id, true).map(|()| {
                self.toasts.success(t("archive.removed"));
                Applied::Done
            }),
            Command::SaveBackupSettings(s) => store.save_backup_settings(actor, &s).map(|()| {
                self.toasts.success(t("common.saved"));
                Applied::Done
            }),
            Command::SaveRemissionTemplate(text) => {
                store.set_remission_template(actor, &text).map(|()| {
                    self.toasts.success(t("inbound.template_saved"));
                    Applied::Done
                })
            }
        };
        if let Err(e) = &result
            && !matches!(e, Error::Invalid(_))
        {
            self.toasts.error(e.to_string());
        }
        if let Ok(Applied::User(u)) = &result
            && u.id == self.user.id
        {
            *self.user = u.clone();
        }
        result
    }
}

/// What the screens before login ask for (there is no actor yet).
#[derive(Debug, Clone)]
pub enum Entry {
    /// Create the marketing head on an empty database.
    CreateFirstHead {
        /// Full name.
        name: String,
        /// User name.
        login: String,
        /// Password.
        password: String,
        /// Password, repeated.
        password2: String,
    },
    /// Log in.
    LogIn {
        /// User name.
        login: String,
        /// Password.
        password: String,
    },
}

/// Why an [`Entry`] was refused, for its screen to show.
#[derive(Debug)]
pub enum EntryRefused {
    /// The first head was not created.
    FirstHead(Error),
    /// The login failed (or is held back).
    LogIn(Error),
}

impl Entry {
    /// Applies it: the user who enters, or why not.
    pub fn apply(self, store: &Store, toasts: &mut Toasts) -> Result<User, EntryRefused> {
        match self {
            Entry::CreateFirstHead {
                name,
                login,
                password,
                password2,
            } => store
                .create_first_head(&name, &login, &password, &password2)
                .inspect(|_| toasts.success(t("first_run.created")))
                .map_err(EntryRefused::FirstHead),
            Entry::LogIn { login, password } => {
                store.login(&login, &password).map_err(EntryRefused::LogIn)
            }
        }
    }
}
