//! Distribution among agents, at the store: every contact ends with exactly one agent, equal
//! shares differ by at most one, weighted shares add up, redistribution moves only pending
//! contacts, and the shared queue never hands one contact to two agents.

use std::collections::BTreeMap;

use proptest::prelude::*;
use telemercadeo::domain::campaign::CampaignForm;
use telemercadeo::domain::contact::{ImportCounts, NewContact};
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
