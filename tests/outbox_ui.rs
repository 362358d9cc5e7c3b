//! Correo saliente and the SMTP section of Configuración, driven headless with egui_kittest.
//! No keyring is ever touched: the password stays in memory for the session.

mod common;

use common::{actor, choose, click, fill, log_in, store_with_people, visible, visible_containing};
use telemercadeo::domain::inbound::{OutboxKind, OutboxStatus};
use telemercadeo::domain::mail::{HandedOver, Security};
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::outbox::NewMessage;

fn message(to: &str, subject: &str) -> NewMessage {
    NewMessage {
        to: to.into(),
        subject: subject.into(),
        body: "Datos de la persona interesada.".into(),
        kind: Some(OutboxKind::Remision),
        ..Default::default()
    }
}

#[test]
fn the_head_configures_the_server_and_without_a_keyring_the_password_is_for_the_session() {
    telemercadeo::mail::secret::disable_keyring();
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let store = common::store_with_people_in(
        &telemercadeo::store::Target::Sqlite(db.clone()),
        TestClock::at(common::NOW),
    );
    let mut h = common::app_sized(store.clone(), 1366.0, 2400.0);
    log_in(&mut h, "mcastro");
    click(&mut h, "Configuración");
    assert!(!visible(&h, "Servidor SMTP"), "folded until opened");
    click(&mut h, "Correo saliente (SMTP)");
    assert!(visible_containing(
        &h,
        "Este equipo no tiene llavero del sistema"
    ));
    fill(&mut h, "Servidor SMTP", "smtp.universidad.edu.co");
    fill(&mut h, "Puerto", "0");
    click(&mut h, "Guardar servidor de correo");
    assert!(visible_containing(&h, "Escriba un puerto entre 1 y 65535"));
    fill(&mut h, "Puerto", "2525");
    choose(&mut h, "Seguridad de la conexión", "Sin cifrado");
    fill(
        &mut h,
        "Usuario del servidor (vacío si no pide autenticación)",
        "mercadeo",
    );
    fill(&mut h, "Contraseña del servidor", "clave-smtp");
    fill(&mut h, "Correo del remitente", "mercadeo");
    click(&mut h, "Guardar servidor de correo");
    assert!(visible_containing(&h, "Escriba un correo válido"));
    assert!(
        !store.smtp_settings().expect("smtp").is_configured(),
        "nothing saved"
    );
    fill(
        &mut h,
        "Correo del remitente",
        "mercadeo@universidad.edu.co",
    );
    fill(&mut h, "Nombre del remitente", "Mercadeo");
    click(&mut h, "Guardar servidor de correo");
    assert!(visible_containing(&h, "solo durante esta sesión"));
    let s = store.smtp_settings().expect("smtp");
    assert_eq!(s.host, "smtp.universidad.edu.co");
    assert_eq!(s.port, 2525);
    assert_eq!(s.security, Security::Ninguna);
    assert_eq!(s.user, "mercadeo");
    // Kept for the session, never in the database.
    assert_eq!(
        telemercadeo::mail::secret::password(&s.account()).as_deref(),
        Some("clave-smtp")
    );
    let raw = rusqlite::Connection::open(&db).expect("open");
    let found: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM settings WHERE value LIKE '%clave-smtp%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(found, 0, "the password is not in the database");
    let saved: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM settings WHERE key LIKE 'smtp_%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(saved, 6);
}

#[test]
fn an_agent_sees_its_message_and_hands_it_over_without_a_server() {
    telemercadeo::mail::secret::disable_keyring();
    let store = store_with_people();
    let agent = actor(&store, "aperez");
    let mine = store
        .outbox_queue(
            &agent,
            &message("gestor@universidad.edu.co", "Remisión: Ana Ríos"),
            &[],
        )
        .expect("queue");
    let prof = actor(&store, "lgomez");
    store
        .outbox_queue(
            &prof,
            &message("otro@universidad.edu.co", "Remisión de Laura"),
            &[],
        )
        .expect("queue");
    let mut h = common::app(store.clone());
    log_in(&mut h, "aperez");
    click(&mut h, "Correo");
    assert!(visible(&h, "Sin servidor de correo"));
    assert!(visible(&h, "Remisión: Ana Ríos"));
    assert!(visible(&h, "gestor@universidad.edu.co"));
    assert!(!visible(&h, "Remisión de Laura"), "another user's message");
    click(&mut h, "Entregado a mano");
    let m = store.outbox_message(&agent, mine).expect("m");
    assert_eq!(m.status, OutboxStatus::Enviado);
    assert_eq!(m.handed_over, Some(HandedOver::AMano));
    assert!(visible(&h, "Enviado (a mano)"));
    assert!(
        !visible(&h, "Entregado a mano"),
        "nothing left to hand over"
    );

    // "Abrir en el correo": recorded as handed over that way.
    let second = store
        .outbox_queue(
            &agent,
            &message("gestor@universidad.edu.co", "Remisión: Luis"),
            &[],
        )
        .expect("queue");
    click(&mut h, "Actualizar");
    click(&mut h, "Abrir en el correo");
    let m = store.outbox_message(&agent, second).expect("m");
    assert_eq!(m.handed_over, Some(HandedOver::Mailto));
    assert_eq!(m.status, OutboxStatus::Enviado);
}

#[test]
fn the_head_filters_by_status_sees_the_servers_error_and_resends() {
    telemercadeo::mail::secret::disable_keyring();
    let clock = TestClock::at(common::NOW);
    let store = common::store_with_people_at(clock.clone());
    let cli = Actor::cli();
    let failed = store
        .outbox_queue(
            &cli,
            &message("malo@universidad.edu.co", "Consolidado semana 48"),
            &[],
        )
        .expect("queue");
    for _ in 0..telemercadeo::domain::mail::MAX_ATTEMPTS {
        clock.advance(24 * 3600);
        store
            .outbox_claim("h:1", failed)
            .expect("claim")
            .expect("claimed");
        store
            .outbox_mark_failed("h:1", failed, "550 5.1.1 User unknown")
            .expect("fail");
    }
    store
        .outbox_queue(
            &cli,
            &message("bien@universidad.edu.co", "Remisión: Pedro"),
            &[],
        )
        .expect("queue");
    let mut h = common::app(store.clone());
    log_in(&mut h, "mcastro");
    click(&mut h, "Correo");
    assert!(visible(&h, "Consolidado semana 48"));
    assert!(visible(&h, "Remisión: Pedro"));
    click(&mut h, "Fallido");
    assert!(visible(&h, "Consolidado semana 48"));
    assert!(!visible(&h, "Remisión: Pedro"));
    // The whole message, with its Message-ID.
    click(&mut h, "Consolidado semana 48");
    let uuid = store.outbox_message(&cli, failed).expect("m").uuid;
    assert!(visible(&h, &format!("Message-ID: <{uuid}@telemercadeo>")));
    click(&mut h, "Reenviar");
    let m = store.outbox_message(&cli, failed).expect("m");
    assert_eq!(m.status, OutboxStatus::Pendiente);
    assert_eq!(m.attempts, 0);
    assert_eq!(m.last_error.as_deref(), Some("550 5.1.1 User unknown"));
    assert!(visible_containing(
        &h,
        "Volvió a la cola el mensaje a malo@universidad.edu.co"
    ));
    assert!(!visible(&h, "Consolidado semana 48"), "no longer failed");
    click(&mut h, "Todos");
    assert!(visible(&h, "Remisión: Pedro"));
}
