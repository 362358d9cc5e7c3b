//! The outbox in the store: the claim (one conditional UPDATE, one winner), failures with
//! back-off until fallido, "Reenviar", the hand-overs, who sees which messages, the SMTP
//! settings (head only, checked), files stored once. No SMTP server here (see outbox_smtp.rs).

mod common;

use common::{NOW, actor, store_with_people_at};
use telemercadeo::domain::inbound::{OutboxKind, OutboxStatus};
use telemercadeo::domain::mail::{
    self, HandedOver, OutboxFilter, Security, SmtpSettings, after_failure, backoff_secs,
};
use telemercadeo::domain::{Actor, Clock, Field, TestClock};
use telemercadeo::store::Error;
use telemercadeo::store::outbox::NewMessage;

fn message(to: &str, by: &str) -> NewMessage {
    NewMessage {
        to: to.into(),
        subject: "Información: Maestría en Educación".into(),
        body: "Adjuntamos el folleto.".into(),
        kind: Some(OutboxKind::Informacion),
        created_by: by.into(),
        ..Default::default()
    }
}

#[test]
fn one_sender_wins_the_claim_and_the_lease_expires() {
    let clock = TestClock::at(NOW);
    let store = store_with_people_at(clock.clone());
    let id = store
        .outbox_queue(&Actor::cli(), &message("ana@correo.co", "aperez"), &[])
        .expect("queue");
    assert_eq!(store.outbox_due(10).expect("due"), [id]);
    let a = store.outbox_claim("equipo-a:1", id).expect("claim a");
    assert!(a.is_some());
    assert!(
        store
            .outbox_claim("equipo-b:2", id)
            .expect("claim b")
            .is_none()
    );
    assert!(store.outbox_due(10).expect("due").is_empty());
    let m = store.outbox_message(&Actor::cli(), id).expect("m");
    assert_eq!(m.lease_until, Some(NOW + mail::LEASE_SECS));
    assert!(m.leased_at(NOW));
    // Only the holder records a failure.
    assert_eq!(
        store
            .outbox_mark_failed("equipo-b:2", id, "x")
            .expect("not b"),
        None
    );
    clock.advance(mail::LEASE_SECS);
    assert_eq!(store.outbox_due(10).expect("due"), [id]);
    assert!(store.outbox_claim("equipo-b:2", id).expect("b").is_some());
    // The first sender's lease is gone: its failure is not recorded.
    assert_eq!(
        store.outbox_mark_failed("equipo-a:1", id, "x").expect("a"),
        None
    );
    assert!(store.outbox_mark_sent(id).expect("sent"));
    assert!(!store.outbox_mark_sent(id).expect("twice"));
    assert!(store.outbox_claim("equipo-c:3", id).expect("c").is_none());
}

#[test]
fn failures_back_off_until_failed_and_a_failed_message_can_be_resent() {
    let clock = TestClock::at(NOW);
    let store = store_with_people_at(clock.clone());
    let head = actor(&store, "mcastro");
    let id = store
        .outbox_queue(&head, &message("ana@correo.co", ""), &[])
        .expect("queue");
    for attempt in 1..=mail::MAX_ATTEMPTS {
        assert_eq!(
            store.outbox_due(10).expect("due"),
            [id],
            "attempt {attempt}"
        );
        store
            .outbox_claim("h:1", id)
            .expect("claim")
            .expect("claimed");
        let status = store
            .outbox_mark_failed(
                "h:1",
                id,
                "451 4.3.0 Mail server temporarily rejected message",
            )
            .expect("fail")
            .expect("held");
        assert_eq!(status, after_failure(attempt));
        let m = store.outbox_message(&head, id).expect("m");
        assert_eq!(m.attempts, attempt);
        assert_eq!(
            m.last_error.as_deref(),
            Some("451 4.3.0 Mail server temporarily rejected message")
        );
        assert_eq!(m.next_attempt_at, Some(clock.now() + backoff_secs(attempt)));
        if status == OutboxStatus::Pendiente {
            // Not due before its back-off.
            clock.advance(backoff_secs(attempt) - 1);
            assert!(store.outbox_due(10).expect("due").is_empty());
            clock.advance(1);
        }
    }
    let m = store.outbox_message(&head, id).expect("m");
    assert_eq!(m.status, OutboxStatus::Fallido);
    assert_eq!(
        m.created_by, "mcastro",
        "the actor when the message names no one"
    );
    clock.advance(24 * 3600);
    assert!(
        store.outbox_due(10).expect("due").is_empty(),
        "fallido is never due"
    );
    let failed = store
        .outbox_list(
            &head,
            &OutboxFilter {
                status: Some(OutboxStatus::Fallido),
            },
        )
        .expect("list");
    assert_eq!(failed.len(), 1);

    let m = store.outbox_resend(&head, id).expect("resend");
    assert_eq!(m.status, OutboxStatus::Pendiente);
    assert_eq!(m.attempts, 0);
    assert_eq!(m.next_attempt_at, Some(clock.now()));
    assert_eq!(store.outbox_due(10).expect("due"), [id]);
    // A message not failed cannot be resent.
    assert!(matches!(
        store.outbox_resend(&head, id),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.outbox_resend(&head, 999_999),
        Err(Error::NotFound(_))
    ));
    let log = store.audit_log(&head, 50).expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == "outbox.resend" && e.entity_id == Some(id))
    );
}

#[test]
fn a_message_handed_over_is_sent_that_way_once_and_never_while_a_sender_holds_it() {
    let clock = TestClock::at(NOW);
    let store = store_with_people_at(clock.clone());
    let agent = actor(&store, "aperez");
    let a = store
        .outbox_queue(&agent, &message("ana@correo.co", ""), &[])
        .expect("a");
    let b = store
        .outbox_queue(&agent, &message("luis@correo.co", ""), &[])
        .expect("b");
    let m = store
        .outbox_hand_over(&agent, a, HandedOver::Mailto)
        .expect("mailto");
    assert_eq!(m.status, OutboxStatus::Enviado);
    assert_eq!(m.handed_over, Some(HandedOver::Mailto));
    assert_eq!(m.sent_at, Some(NOW));
    assert!(matches!(
        store.outbox_hand_over(&agent, a, HandedOver::AMano),
        Err(Error::Conflict(_))
    ));
    assert!(!store.outbox_due(10).expect("due").contains(&a));
    // Being sent: not handed over meanwhile.
    store
        .outbox_claim("h:1", b)
        .expect("claim")
        .expect("claimed");
    assert!(matches!(
        store.outbox_hand_over(&agent, b, HandedOver::AMano),
        Err(Error::Conflict(_))
    ));
    clock.advance(mail::LEASE_SECS);
    let m = store
        .outbox_hand_over(&agent, b, HandedOver::AMano)
        .expect("by hand");
    assert_eq!(m.handed_over, Some(HandedOver::AMano));
    assert_eq!(m.lease_until, None);
    // The sender that held it finds it sent.
    assert!(!store.outbox_mark_sent(b).expect("late"));
    assert_eq!(store.outbox_mark_failed("h:1", b, "x").expect("late"), None);
    let link = m.mailto();
    assert!(
        link.starts_with("mailto:luis@correo.co?subject=Informaci%C3%B3n"),
        "{link}"
    );
}

#[test]
fn an_agent_sees_its_own_messages_the_head_and_professional_all_a_solicitante_none() {
    let store = store_with_people_at(TestClock::at(NOW));
    let agent = actor(&store, "aperez");
    let head = actor(&store, "mcastro");
    let prof = actor(&store, "lgomez");
    let own = store
        .outbox_queue(&agent, &message("ana@correo.co", ""), &[])
        .expect("own");
    let other = store
        .outbox_queue(&prof, &message("luis@correo.co", ""), &[])
        .expect("other");
    let ids = |a: &Actor| -> Vec<i64> {
        store
            .outbox_list(a, &OutboxFilter::default())
            .expect("list")
            .iter()
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(ids(&agent), [own]);
    assert_eq!(ids(&head), [other, own], "newest first");
    assert_eq!(ids(&prof), [other, own]);
    assert_eq!(store.outbox_counts(&agent).expect("counts"), (1, 0));
    assert_eq!(store.outbox_counts(&head).expect("counts"), (2, 0));
    assert!(matches!(
        store.outbox_hand_over(&agent, other, HandedOver::AMano),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        store.outbox_message(&agent, other),
        Err(Error::NotFound(_))
    ));
    let sol = actor(&store, "posgrados");
    assert!(matches!(
        store.outbox_list(&sol, &OutboxFilter::default()),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        store.outbox_queue(&sol, &message("x@correo.co", ""), &[]),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn files_are_stored_once_and_listed_with_their_message() {
    let store = store_with_people_at(TestClock::at(NOW));
    let prof = actor(&store, "lgomez");
    let pdf = b"%PDF-1.4 folleto".to_vec();
    let file = |name: &str| (name.to_owned(), "application/pdf".to_owned(), pdf.clone());
    let a = store
        .outbox_queue(&prof, &message("ana@correo.co", ""), &[file("folleto.pdf")])
        .expect("a");
    let b = store
        .outbox_queue(
            &prof,
            &message("luis@correo.co", ""),
            &[file("otro nombre.pdf")],
        )
        .expect("b");
    let ma = store.outbox_message(&prof, a).expect("a");
    let mb = store.outbox_message(&prof, b).expect("b");
    assert_eq!(ma.attachments.len(), 1);
    assert_eq!(ma.attachments[0].blob_id, mb.attachments[0].blob_id);
    assert_eq!(
        mb.attachments[0].file_name, "folleto.pdf",
        "stored once, first name kept"
    );
    assert_eq!(ma.attachments[0].size, pdf.len() as i64);
    let out = store
        .outbox_claim("h:1", b)
        .expect("claim")
        .expect("claimed");
    assert_eq!(
        out.files,
        [("folleto.pdf".to_owned(), "application/pdf".to_owned(), pdf)]
    );
}

#[test]
fn smtp_settings_are_the_heads_checked_and_kept_without_a_password() {
    let store = store_with_people_at(TestClock::at(NOW));
    let head = actor(&store, "mcastro");
    let prof = actor(&store, "lgomez");
    assert_eq!(
        store.smtp_settings().expect("read"),
        SmtpSettings::default()
    );
    let s = SmtpSettings {
        host: " smtp.universidad.edu.co ".into(),
        port: 465,
        security: Security::Tls,
        user: "mercadeo".into(),
        from_address: "mercadeo@universidad.edu.co".into(),
        from_name: "Mercadeo".into(),
    };
    assert!(matches!(
        store.save_smtp_settings(&prof, &s),
        Err(Error::Forbidden(_))
    ));
    let bad = SmtpSettings {
        from_address: "mercadeo".into(),
        ..s.clone()
    };
    match store.save_smtp_settings(&head, &bad) {
        Err(Error::Invalid(e)) => assert_eq!(e.field, Field::SmtpFrom),
        other => panic!("{other:?}"),
    }
    store.save_smtp_settings(&head, &s).expect("save");
    let back = store.smtp_settings().expect("read");
    assert_eq!(back.host, "smtp.universidad.edu.co");
    assert_eq!(back.port, 465);
    assert_eq!(back.security, Security::Tls);
    assert_eq!(back.account(), "mercadeo@smtp.universidad.edu.co:465");
    assert!(back.is_configured() && back.needs_password());
    let log = store.audit_log(&head, 10).expect("audit");
    assert!(log.iter().any(|e| e.action == "smtp.save"));
    // Not configured: a round sends nothing and claims nothing.
    let id = store
        .outbox_queue(&head, &message("ana@correo.co", ""), &[])
        .expect("queue");
    let none = telemercadeo::mail::send_due(&store, &SmtpSettings::default(), None).expect("round");
    assert_eq!(none, mail::SendSummary::default());
    assert_eq!(
        store.outbox_message(&head, id).expect("m").lease_until,
        None
    );
}

#[test]
fn the_background_round_waits_without_a_server_or_a_password() {
    use telemercadeo::mail::background::{Round, round};
    telemercadeo::mail::secret::disable_keyring();
    let store = store_with_people_at(TestClock::at(NOW));
    let head = actor(&store, "mcastro");
    let id = store
        .outbox_queue(&head, &message("ana@correo.co", ""), &[])
        .expect("queue");
    assert_eq!(round(&store), Round::NotConfigured);
    let s = SmtpSettings {
        host: "127.0.0.1".into(),
        // A port nobody listens on.
        port: std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port(),
        security: Security::Ninguna,
        user: "sin-clave-en-esta-prueba".into(),
        from_address: "mercadeo@universidad.edu.co".into(),
        from_name: String::new(),
    };
    store.save_smtp_settings(&head, &s).expect("save");
    if std::env::var_os(telemercadeo::mail::secret::ENV_PASSWORD).is_none() {
        assert_eq!(round(&store), Round::NoPassword);
        let m = store.outbox_message(&head, id).expect("m");
        assert_eq!((m.attempts, m.lease_until), (0, None), "nothing tried");
    }
    // Without a user no password is needed: the round tries, and the refused connection is
    // recorded on the message.
    store
        .save_smtp_settings(
            &head,
            &SmtpSettings {
                user: String::new(),
                ..s
            },
        )
        .expect("save");
    match round(&store) {
        Round::Sent(at, summary) => {
            assert_eq!(at, NOW);
            assert_eq!((summary.due, summary.sent, summary.retry), (1, 0, 1));
        }
        other => panic!("{other:?}"),
    }
    let m = store.outbox_message(&head, id).expect("m");
    assert_eq!(m.attempts, 1);
    assert!(m.last_error.is_some());
}
