//! Distribution among agents, at the store: every contact ends with exactly one agent, equal
//! shares differ by at most one, weighted shares add up, redistribution moves only pending
//! contacts, and the shared queue never hands one contact to two agents.

use std::collections::BTreeMap;

use proptest::prelude::*;
use telemercadeo::domain::campaign::{CampaignForm, StartBlocker};
use telemercadeo::domain::contact::{ContactFilter, ImportCounts, NewContact};
use telemercadeo::domain::distribution::DistributionPlan;
use telemercadeo::domain::distribution::Order;
use telemercadeo::domain::procedure::{CampaignKind, DistributionMode};
use telemercadeo::domain::{Actor, NewUser, Role, User};
use telemercadeo::store::{Store, Target};

const PW: &str = "clave-segura-1";

fn actor(u: &User) -> Actor {
    Actor::User {
        id: u.id,
        login: u.login.clone(),
        role: u.role,
        department_id: u.department_id,
    }
}

/// A campaign with `n` contacts and `agents` agents (logins a0, a1, …).
fn setup(store: &Store, n: usize, agents: usize) -> (i64, Vec<Actor>) {
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "D").expect("dept").id;
    let c = store
        .campaign_create_cli(&cli, "C", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    let mut actors = Vec::new();
    for i in 0..agents {
        let u = store
            .add_user(
                &cli,
                &NewUser {
                    login: format!("a{i}"),
                    name: format!("Auxiliar {i}"),
                    role: Some(Role::Auxiliar),
                    department_id: None,
                },
                PW,
                PW,
            )
            .expect("agent");
        actors.push(actor(&u));
    }
    let batch = store
        .import_begin(&cli, c, "x.csv", "csv", &Default::default())
        .expect("batch");
    let contacts: Vec<NewContact> = (0..n)
        .map(|i| NewContact {
            source_row: i as i64 + 2,
            name: format!("Persona {i}"),
            phone: 573_000_000_000 + i as u64,
            ..Default::default()
        })
        .collect();
    store.import_chunk(batch, c, &contacts, &[]).expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: n as i64,
                imported: n as i64,
                ..Default::default()
            },
            &[],
        )
        .expect("commit");
    (c, actors)
}

fn assignment(store: &Store, c: i64) -> BTreeMap<Option<String>, i64> {
    let mut out = BTreeMap::new();
    let mut after = None;
    loop {
        let page = store
            .contacts_page(c, &Default::default(), after, 0, 500)
            .expect("page");
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| r.id);
        for r in page {
            *out.entry(r.agent).or_default() += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_contact_gets_exactly_one_agent(
        n in 0usize..400,
        agents in 1usize..7,
        weighted in any::<bool>(),
        interleaved in any::<bool>(),
        seed in 1u32..1000,
    ) {
        let store = Store::memory().expect("store");
        let (c, _) = setup(&store, n, agents);
        let cli = Actor::cli();
        let weights: Vec<f64> = if weighted {
            (0..agents).map(|i| f64::from((seed + i as u32 * 7) % 50 + 1)).collect()
        } else {
            Vec::new()
        };
        let plan = DistributionPlan {
            agents: Vec::new(),
            weights: weights.clone(),
            order: if interleaved { Order::Interleaved } else { Order::Blocks },
        };
        let preview = store.distribution_preview(&cli, c, &plan).expect("preview");
        let d = store.distribute(&cli, c, &plan).expect("distribute");
        prop_assert_eq!(&preview.assigned, &d.assigned, "the preview is what happens");
        prop_assert_eq!(d.unassigned, 0);
        prop_assert_eq!(d.assigned.values().sum::<i64>(), n as i64);
        let by_agent = assignment(&store, c);
        prop_assert!(!by_agent.contains_key(&None), "nobody is left without an agent");
        prop_assert_eq!(by_agent.values().sum::<i64>(), n as i64);
        if !weighted {
            let counts: Vec<i64> = d.assigned.values().copied().collect();
            let (min, max) = (counts.iter().min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
            prop_assert!(max - min <= 1, "equal shares differ by at most one: {:?}", counts);
        }
        // Running it again assigns nothing new.
        let again = store.distribute(&cli, c, &plan).expect("again");
        prop_assert_eq!(again.assigned.values().sum::<i64>(), 0);

        // Redistributing an agent's pending contacts keeps every contact with exactly one agent.
        if agents > 1 {
            let moved = store.redistribute(&cli, c, "a0", &[], false).expect("redistribute");
            let after = assignment(&store, c);
            prop_assert_eq!(after.values().sum::<i64>(), n as i64);
            prop_assert!(!after.contains_key(&Some("Auxiliar 0".to_owned())));
            prop_assert_eq!(
                moved.assigned.values().sum::<i64>(),
                by_agent.get(&Some("Auxiliar 0".to_owned())).copied().unwrap_or(0)
            );
            if !weighted {
                let pending = store.pending_counts(c).expect("pending");
                let counts: Vec<i64> = pending.values().copied().collect();
                let (min, max) = (counts.iter().min().copied().unwrap_or(0), counts.iter().max().copied().unwrap_or(0));
                prop_assert!(max - min <= 1, "pending evened out: {:?}", counts);
            }
        }
    }
}

#[test]
fn weights_must_match_the_agents_and_nothing_is_written_on_error() {
    let store = Store::memory().expect("store");
    let (c, _) = setup(&store, 10, 3);
    let cli = Actor::cli();
    let e = store
        .distribute(
            &cli,
            c,
            &DistributionPlan {
                weights: vec![50.0, 50.0],
                ..Default::default()
            },
        )
        .expect_err("2 weights for 3 agents");
    assert!(e.to_string().contains("uno por auxiliar"), "{e}");
    let e = store
        .distribute(
            &cli,
            c,
            &DistributionPlan {
                agents: vec!["a0".into(), "nadie".into()],
                ..Default::default()
            },
        )
        .expect_err("unknown agent");
    assert!(e.to_string().contains("nadie"), "{e}");
    assert_eq!(assignment(&store, c).get(&None), Some(&10));
    let d = store
        .distribute(
            &cli,
            c,
            &DistributionPlan {
                weights: vec![50.0, 30.0, 20.0],
                ..Default::default()
            },
        )
        .expect("weighted");
    assert_eq!(
        d.assigned.values().copied().collect::<Vec<_>>(),
        vec![5, 3, 2]
    );
}

#[test]
fn a_new_agent_mid_campaign_gets_an_even_share_of_pending_contacts() {
    let store = Store::memory().expect("store");
    let (c, _) = setup(&store, 12, 3);
    let cli = Actor::cli();
    store
        .distribute(
            &cli,
            c,
            &DistributionPlan {
                agents: vec!["a0".into(), "a1".into()],
                ..Default::default()
            },
        )
        .expect("two agents");
    let d = store
        .rebalance(&cli, c, &["a0".into(), "a1".into(), "a2".into()])
        .expect("rebalance");
    assert_eq!(d.assigned.get("a2"), Some(&4));
    let pending = store.pending_counts(c).expect("pending");
    assert_eq!(pending.values().copied().collect::<Vec<_>>(), vec![4, 4, 4]);
}

#[test]
fn the_shared_queue_never_gives_one_contact_to_two_agents() {
    let dir = tempfile::tempdir().expect("dir");
    let target = Target::Sqlite(dir.path().join("q.sqlite3"));
    let store = Store::open(&target).expect("store");
    let (c, agents) = setup(&store, 60, 6);
    let cli = Actor::cli();
    let mut form: CampaignForm = store.campaign(&cli, c).expect("campaign").form;
    form.distribution_mode = DistributionMode::ColaCompartida;
    form.start_date = "01/12/2026".into();
    form.end_date = "20/12/2026".into();
    form.dispositions = store
        .dispositions()
        .expect("dispositions")
        .iter()
        .map(|d| d.id)
        .collect();
    store.campaign_update(&cli, c, &form).expect("shared queue");
    assert!(
        store.distribute(&cli, c, &Default::default()).is_err(),
        "a shared queue is not distributed"
    );
    // Six desks claim at the same time, each from its own connection.
    let handles: Vec<_> = agents
        .into_iter()
        .map(|a| {
            let t = target.clone();
            std::thread::spawn(move || {
                let s = Store::open(&t).expect("desk");
                let mut got = Vec::new();
                for _ in 0..5 {
                    if let Some(id) = s.claim_next_shared(&a, c).expect("claim") {
                        got.push(id);
                    }
                }
                // Each desk holds one contact at a time: the last claimed.
                got.last().copied()
            })
        })
        .collect();
    let held: Vec<i64> = handles
        .into_iter()
        .filter_map(|h| h.join().expect("join"))
        .collect();
    let mut unique = held.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        held.len(),
        "no contact is held by two agents: {held:?}"
    );
    assert_eq!(held.len(), 6);
}

/// `n` more contacts in a new batch (phones after the first `from`).
fn import_more(store: &Store, c: i64, from: usize, n: usize) {
    let cli = Actor::cli();
    let batch = store
        .import_begin(&cli, c, "mas.csv", "csv", &Default::default())
        .expect("batch");
    let contacts: Vec<NewContact> = (from..from + n)
        .map(|i| NewContact {
            source_row: i as i64 + 2,
            name: format!("Persona {i}"),
            phone: 573_000_000_000 + i as u64,
            ..Default::default()
        })
        .collect();
    store.import_chunk(batch, c, &contacts, &[]).expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: n as i64,
                imported: n as i64,
                ..Default::default()
            },
            &[],
        )
        .expect("commit");
}

/// The contacts the table shows under an agent filter (`Some(0)`: unassigned), with the agent
/// column, paging by key in small pages; and the count the table shows for it.
fn filtered(store: &Store, c: i64, agent: Option<i64>) -> (Vec<(i64, Option<String>)>, i64) {
    let filter = ContactFilter {
        agent_id: agent,
        ..Default::default()
    };
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = store.contacts_page(c, &filter, after, 0, 3).expect("page");
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| r.id);
        out.extend(page.into_iter().map(|r| (r.id, r.agent)));
    }
    let count = store.contacts_count(c, &filter).expect("count");
    assert_eq!(count, out.len() as i64, "the count is what the pages show");
    (out, count)
}

fn id_of(a: &Actor) -> i64 {
    a.user_id().expect("user")
}

#[test]
fn a_database_assigned_contact_by_contact_keeps_its_assignments_when_migrated() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("old.sqlite3");
    let target = Target::Sqlite(db.clone());
    let (c, agents) = {
        let store = Store::open(&target).expect("store");
        setup(&store, 12, 3)
    };
    // Back to schema 4 (before the assignment rules), where each contact carried its agent: a0 the first four, a1 the next
    // four (in two runs), four left unassigned.
    let ids: Vec<i64> = {
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.execute_batch(
            "DROP INDEX IF EXISTS call_attempts_campaign_contact; DROP INDEX IF EXISTS call_attempts_campaign_outcome; DROP INDEX IF EXISTS call_attempts_answered; DROP INDEX IF EXISTS call_attempts_campaign_agent_outcome; DROP INDEX IF EXISTS campaign_contacts_breakdown;
             DROP INDEX campaign_contacts_queue; DROP INDEX campaign_contacts_claimed; DROP TABLE contact_assignments; DROP INDEX persons_last_reached; ALTER TABLE persons DROP COLUMN last_reached_at; DROP TABLE call_undo; DROP TABLE results_reports; DROP TABLE attempt_hours; DROP TABLE contact_counts; DROP TABLE agent_hours; DROP TABLE attempt_outcomes; DROP TABLE answer_counts; DROP TABLE reached_days; DELETE FROM schema_version WHERE version > 4;
             DROP INDEX enrolments_person; DROP TABLE enrolments; DROP TABLE enrolment_lists; DROP INDEX nonconformities_found; DROP TABLE nonconformities;
             DROP INDEX call_attempts_agent_day; DROP TABLE contact_changes; ALTER TABLE import_batches DROP COLUMN extra_columns;
             DROP TABLE outbox_attachments; DROP INDEX outbox_due; DROP INDEX inbound_calls_phone; DROP INDEX inbound_calls_person; DROP INDEX inbound_calls_taken;
             ALTER TABLE departments DROP COLUMN extension;
             ALTER TABLE programs DROP COLUMN manager_name; ALTER TABLE programs DROP COLUMN manager_email; ALTER TABLE programs DROP COLUMN sheet; ALTER TABLE programs DROP COLUMN brochure_blob_id;
             ALTER TABLE inbound_calls DROP COLUMN channel; ALTER TABLE inbound_calls DROP COLUMN authorized_at; ALTER TABLE inbound_calls DROP COLUMN result; ALTER TABLE inbound_calls DROP COLUMN followup_status; ALTER TABLE inbound_calls DROP COLUMN followup_at; ALTER TABLE inbound_calls DROP COLUMN followup_by;
             ALTER TABLE outbox DROP COLUMN status; ALTER TABLE outbox DROP COLUMN kind; ALTER TABLE outbox DROP COLUMN lease_owner; ALTER TABLE outbox DROP COLUMN lease_until; ALTER TABLE outbox DROP COLUMN next_attempt_at; ALTER TABLE outbox DROP COLUMN created_by; ALTER TABLE outbox DROP COLUMN handed_over; ALTER TABLE outbox DROP COLUMN inbound_call_id;
             DROP TABLE blobs;
             DROP INDEX archived_records_period; DROP INDEX call_attempts_started; ALTER TABLE archived_records DROP COLUMN delivery; ALTER TABLE archived_records DROP COLUMN recipient; ALTER TABLE archived_records DROP COLUMN outbox_id;
             DROP TABLE desks; DROP INDEX archived_records_created; ALTER TABLE archived_records DROP COLUMN sha256; ALTER TABLE archived_records DROP COLUMN record_type_id; ALTER TABLE archived_records DROP COLUMN record_code; ALTER TABLE archived_records DROP COLUMN department_id; ALTER TABLE archived_records DROP COLUMN central_at; ALTER TABLE archived_records DROP COLUMN disposition_at; ALTER TABLE archived_records DROP COLUMN disposition; ALTER TABLE archived_records DROP COLUMN transferred_at; ALTER TABLE archived_records DROP COLUMN verified; ALTER TABLE archived_records DROP COLUMN verified_at; DROP TABLE record_types;",
        )
        .expect("schema 4");
        let ids: Vec<i64> = raw
            .prepare("SELECT id FROM campaign_contacts ORDER BY id")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("ids")
            .collect::<Result<_, _>>()
            .expect("ids");
        for (i, id) in ids.iter().enumerate() {
            let agent = match i {
                0..=3 => Some(id_of(&agents[0])),
                4 | 5 | 8 | 9 => Some(id_of(&agents[1])),
                _ => None,
            };
            raw.execute(
                "UPDATE campaign_contacts SET agent_id = ?1 WHERE id = ?2",
                rusqlite::params![agent, id],
            )
            .expect("legacy assignment");
        }
        ids
    };
    let store = Store::open(&target).expect("migrated");
    // The dashboards' counts were filled from the rows already there (migration 0022's step).
    let check = store.check().expect("check");
    assert!(check.count_mismatches.is_empty(), "{check:?}");
    assert_eq!(
        store
            .indicators(&Actor::cli(), c, None, None)
            .expect("indicators")
            .registros_validos,
        12
    );
    let (a0, n0) = filtered(&store, c, Some(id_of(&agents[0])));
    assert_eq!(
        a0,
        ids[0..4]
            .iter()
            .map(|id| (*id, Some("Auxiliar 0".to_owned())))
            .collect::<Vec<_>>()
    );
    assert_eq!(n0, 4);
    let (a1, n1) = filtered(&store, c, Some(id_of(&agents[1])));
    assert_eq!(
        a1.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![ids[4], ids[5], ids[8], ids[9]]
    );
    assert_eq!(n1, 4);
    let (none, n) = filtered(&store, c, Some(0));
    assert_eq!(
        none.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        vec![ids[6], ids[7], ids[10], ids[11]]
    );
    assert_eq!(n, 4);
    let pending = store.pending_counts(c).expect("pending");
    assert_eq!(pending.get("a0"), Some(&4));
    assert_eq!(pending.get("a1"), Some(&4));
    let cli = Actor::cli();
    let blockers = store.campaign_start_blockers(&cli, c).expect("blockers");
    assert!(
        blockers.contains(&StartBlocker::Undistributed(4)),
        "{blockers:?}"
    );
    // A distribution now deals only the four left, in rules; the old ones stay where they were.
    let d = store
        .distribute(
            &cli,
            c,
            &DistributionPlan {
                agents: vec!["a2".into()],
                ..Default::default()
            },
        )
        .expect("distribute");
    assert_eq!(d.assigned.get("a2"), Some(&4));
    assert_eq!(d.unassigned, 0);
    assert_eq!(filtered(&store, c, Some(id_of(&agents[0]))).0, a0);
    assert_eq!(filtered(&store, c, Some(id_of(&agents[2]))).1, 4);
    assert_eq!(filtered(&store, c, Some(0)).1, 0);
}

#[test]
fn moved_and_claimed_contacts_read_back_through_the_agent_filter() {
    let store = Store::memory().expect("store");
    let (c, agents) = setup(&store, 20, 4);
    let cli = Actor::cli();
    let d = store
        .distribute(
            &cli,
            c,
            &DistributionPlan {
                agents: vec!["a0".into(), "a1".into()],
                weights: Vec::new(),
                order: Order::Interleaved,
            },
        )
        .expect("distribute");
    assert_eq!(
        d.assigned.values().copied().collect::<Vec<_>>(),
        vec![10, 10]
    );
    let (a0_before, _) = filtered(&store, c, Some(id_of(&agents[0])));
    let (a1_before, _) = filtered(&store, c, Some(id_of(&agents[1])));
    assert_eq!(a0_before.len(), 10);
    // Dealt in turn: a0 has every other contact.
    assert!(
        a0_before.windows(2).all(|w| w[1].0 - w[0].0 == 2),
        "{a0_before:?}"
    );

    // a0 leaves: its contacts move to a2, one by one, and read back as a2's.
    let moved = store
        .redistribute(&cli, c, "a0", &["a2".into()], false)
        .expect("redistribute");
    assert_eq!(moved.assigned.get("a2"), Some(&10));
    let (a0_after, n0) = filtered(&store, c, Some(id_of(&agents[0])));
    assert!(a0_after.is_empty());
    assert_eq!(n0, 0);
    let (a2, n2) = filtered(&store, c, Some(id_of(&agents[2])));
    assert_eq!(
        a2,
        a0_before
            .iter()
            .map(|(id, _)| (*id, Some("Auxiliar 2".to_owned())))
            .collect::<Vec<_>>()
    );
    assert_eq!(n2, 10);
    assert_eq!(filtered(&store, c, Some(id_of(&agents[1]))).0, a1_before);
    let pending = store.pending_counts(c).expect("pending");
    assert_eq!(pending.get("a0"), None);
    assert_eq!(pending.get("a2"), Some(&10));

    // Imported after the distribution: unassigned until the next one.
    import_more(&store, c, 20, 5);
    let (none, n) = filtered(&store, c, Some(0));
    assert_eq!(n, 5);
    assert!(
        none.iter()
            .all(|(id, agent)| *id > a1_before[9].0 && agent.is_none())
    );

    // a3, who has no contacts, claims from the shared queue: the first contact nobody has, shown
    // as a3's while held; the next claim gives it back.
    let first = store
        .claim_next_shared(&agents[3], c)
        .expect("claim")
        .expect("a free contact");
    assert_eq!(first, none[0].0);
    let (a3, n3) = filtered(&store, c, Some(id_of(&agents[3])));
    assert_eq!(a3, vec![(first, Some("Auxiliar 3".to_owned()))]);
    assert_eq!(n3, 1);
    assert_eq!(filtered(&store, c, Some(0)).1, 4);
    // a0 (whose contacts all moved) claims the next one nobody has or holds.
    let second = store
        .claim_next_shared(&agents[0], c)
        .expect("claim")
        .expect("another");
    assert_eq!(second, none[1].0);
    assert_eq!(
        filtered(&store, c, Some(id_of(&agents[0]))).0,
        vec![(second, Some("Auxiliar 0".to_owned()))]
    );
    assert_eq!(filtered(&store, c, Some(0)).1, 3);
    // Claiming again gives back what the desk held first (here it takes it again: no outcome).
    assert_eq!(
        store.claim_next_shared(&agents[3], c).expect("again"),
        Some(first)
    );
    assert_eq!(filtered(&store, c, Some(id_of(&agents[3]))).1, 1);

    // An agent with contacts claims its own first (by file order), and keeps the rest.
    let own = store
        .claim_next_shared(&agents[2], c)
        .expect("claim")
        .expect("own");
    assert_eq!(own, a2[0].0);
    assert_eq!(filtered(&store, c, Some(id_of(&agents[2]))).1, 10);
    // Every contact still has at most one agent, and the columns add up.
    let all = assignment(&store, c);
    assert_eq!(all.values().sum::<i64>(), 25);
    assert_eq!(all.get(&None), Some(&3));
}
