//! The whole outbound workflow driven through the window, as the roles would:
//! solicitante → head → professional. egui_kittest, headless.

mod common;

use std::sync::Arc;

use common::{
    actor, app, choose, click, fill, log_in, store_with_people, visible, visible_containing,
    wait_until,
};
use egui::accesskit::Role as A11y;
use egui_kittest::kittest::{NodeT, Queryable};
use telemercadeo::domain::Actor;
use telemercadeo::domain::brief::BriefFilter;
use telemercadeo::domain::procedure::{BriefStatus, CampaignStatus};
use telemercadeo::ui::files::PathDrop;

#[test]
fn a_late_brief_becomes_a_campaign() {
    let store = store_with_people();
    let head = actor(&store, "mcastro");
    let mut h = app(store.clone());

    // 1. The department fills the brief, 3 days before the start (5 short of the 8 days).
    log_in(&mut h, "posgrados");
    assert!(!visible(&h, "Estrategias"));
    click(&mut h, "Nueva solicitud");
    fill(&mut h, "Correo de contacto", "posgrados@universidad.edu.co");
    fill(&mut h, "Nombre de la campaña", "Inscripciones 2027-1");
    choose(&mut h, "Tipo de campaña", "Inscripciones");
    fill(
        &mut h,
        "Objetivo",
        "Aumentar las inscripciones a especializaciones.",
    );
    fill(
        &mut h,
        "Público objetivo",
        "Egresados de los últimos cinco años.",
    );
    fill(
        &mut h,
        "Mensaje clave y datos que se deben dar",
        "Descuento del 10 % hasta el 15 de enero.",
    );
    fill(&mut h, "Fecha de inicio deseada", "02/12/2026");
    fill(&mut h, "Fecha de finalización deseada", "20/12/2026");
    fill(&mut h, "Resultado esperado", "80 inscritos.");
    fill(
        &mut h,
        "Campos de la base de datos",
        "Nombre, Celular, Correo, Programa de interés",
    );
    // The form warns before sending.
    assert!(visible_containing(&h, "llega 5 días tarde"));
    click(&mut h, "Guardar borrador");
    let briefs = store.briefs(&head, &BriefFilter::default()).expect("list");
    assert!(briefs.is_empty(), "a draft stays with its department");

    // The contact database travels with the brief: dropped onto the window.
    let fixture = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/contacts_utf8.csv"
    ));
    h.input_mut()
        .dropped_files
        .push(Arc::new(PathDrop(fixture.clone())));
    // The file is stored, then checked, in the background (a progress bar, a spinner).
    let t0 = std::time::Instant::now();
    while !visible(&h, "contacts_utf8.csv") {
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(60),
            "the attached file is listed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    click(&mut h, "Enviar solicitud");
    let brief = store
        .briefs(&head, &BriefFilter::default())
        .expect("list")
        .pop()
        .expect("submitted");
    assert_eq!(brief.status, BriefStatus::Enviada);
    assert_eq!(brief.late_days, Some(5));
    assert_eq!(store.brief_files(&head, brief.id).expect("files").len(), 1);

    // 2. The head sees the flag, accepts, writes the strategy and assigns a professional.
    log_in(&mut h, "mcastro");
    click(&mut h, "Estrategias");
    assert!(visible(&h, "Por decidir (1)"));
    assert!(visible(&h, "Extemporánea"));
    click(&mut h, "Inscripciones 2027-1");
    assert!(visible_containing(&h, "5 días menos de los 8"));
    click(&mut h, "Aceptar solicitud");
    assert_eq!(
        store.brief(&head, brief.id).expect("brief").status,
        BriefStatus::EnDefinicion
    );
    fill(
        &mut h,
        "Enfoque y argumentos clave",
        "Llamar primero a quienes pidieron información.",
    );
    fill(&mut h, "Contactabilidad (%)", "45");
    // Assigning without choosing a professional says so.
    click(&mut h, "Asignar a profesional");
    assert!(visible(
        &h,
        "Elija el (la) profesional que ejecutará la campaña."
    ));
    choose(&mut h, "Profesional asignado(a)", "Laura Gómez");
    click(&mut h, "Asignar a profesional");
    let strategy = store
        .strategy_for_brief(&head, brief.id)
        .expect("q")
        .expect("strategy");
    assert_eq!(strategy.assigned_name.as_deref(), Some("Laura Gómez"));
    assert_eq!(strategy.form.targets.get("contactabilidad"), Some(&45.0));
    assert_eq!(
        store.brief(&head, brief.id).expect("brief").status,
        BriefStatus::Asignada
    );

    // 3. The professional writes the script: an unknown placeholder is flagged while typing.
    log_in(&mut h, "lgomez");
    click(&mut h, "Guiones");
    click(&mut h, "Inscripciones 2027-1");
    let quitar: Vec<bool> = h
        .query_all_by_role_and_label(A11y::Button, "Quitar")
        .map(|n| n.accesskit_node().is_disabled())
        .collect();
    assert_eq!(
        quitar.first(),
        Some(&true),
        "the data-protection notice cannot be removed"
    );
    assert!(
        quitar.iter().skip(1).all(|d| !d),
        "other sections can be removed"
    );
    fill(
        &mut h,
        "Texto de «Mensaje central»",
        "Hola {nombre}: la {programa_de_interes} tiene descuento, {apodo}.",
    );
    assert!(visible(&h, "Campo desconocido: {apodo}"));
    click(&mut h, "Publicar versión 1");
    assert!(visible_containing(&h, "Campos desconocidos: {apodo}"));
    fill(
        &mut h,
        "Texto de «Mensaje central»",
        "Hola {nombre}: la {programa_de_interes} tiene 10 % de descuento.",
    );
    assert!(!visible_containing(&h, "Campo desconocido"));
    // The preview renders it for a sample contact.
    assert!(visible_containing(&h, "Hola María José Rojas Peña: la"));
    assert!(visible_containing(&h, "Le habla Laura Gómez"));
    click(&mut h, "Publicar versión 1");
    let script = store
        .script_of_brief(&head, brief.id)
        .expect("q")
        .expect("script");
    let v = store
        .script_latest(&head, script.id)
        .expect("q")
        .expect("published");
    assert_eq!(v.version, 1);
    assert!(
        v.content
            .sections
            .iter()
            .any(|s| s.text.contains("{programa_de_interes}"))
    );

    // 4. … and creates the campaign from the strategy.
    click(&mut h, "Estrategias");
    click(&mut h, "Inscripciones 2027-1");
    click(&mut h, "Crear campaña");
    let campaign = store
        .campaign_of_brief(&head, brief.id)
        .expect("q")
        .expect("campaign");
    assert_eq!(campaign.status, CampaignStatus::Planificada);
    assert_eq!(campaign.form.name, "Inscripciones 2027-1");
    assert_eq!(campaign.form.start_date, "02/12/2026");
    assert!(!campaign.form.dispositions.is_empty());
    assert!(visible(&h, "Ver en Campañas"));

    // 5. The base the department attached is loaded, distributed, and the campaign starts.
    click(&mut h, "Ver en Campañas");
    let start = h
        .query_by_role_and_label(A11y::Button, "Iniciar campaña")
        .expect("start button");
    assert!(start.accesskit_node().is_disabled(), "no contacts yet");
    assert!(visible_containing(&h, "no tiene contactos"));
    click(&mut h, "Cargar base");
    // The file is opened in the background (a spinner shows): step frames until the columns show.
    h.get_by_role_and_label(
        A11y::Button,
        "Usar «contacts_utf8.csv», adjunto a la solicitud",
    )
    .click();
    h.step();
    wait_until(&mut h, "the file's preview", |h| visible(h, "2. Columnas"));
    // The Ley 1581 facts are asked before importing.
    click(&mut h, "Importar");
    assert!(visible(
        &h,
        "Escriba el origen de la base y su finalidad (Ley 1581)."
    ));
    fill(
        &mut h,
        "Origen de la base",
        "Solicitudes de información 2026",
    );
    fill(&mut h, "Finalidad", "Inscripciones 2027-1");
    // The progress bar animates while the job runs: step frames instead of waiting for rest.
    h.get_by_role_and_label(A11y::Button, "Importar").click();
    h.step();
    // The import runs in the background; frames keep drawing until the result shows.
    wait_until(&mut h, "the import", |h| visible(h, "4. Resultado"));
    assert!(visible(&h, "1.728"), "imported count shown as a big number");
    assert_eq!(
        store
            .contacts_count(campaign.id, &Default::default())
            .expect("count"),
        1728
    );
    // On a desk where no file dialog can show, "Elegir archivo…" says so and takes a typed path.
    click(&mut h, "Cargar otra base");
    h.state_mut().dialog = telemercadeo::ui::files::unavailable;
    click(&mut h, "Elegir archivo…");
    assert!(visible(
        &h,
        "No se pudo abrir la ventana para elegir archivos en este equipo."
    ));
    fill(&mut h, "Elegir archivo…", &fixture.display().to_string());
    h.get_by_role_and_label(A11y::Button, "Abrir este archivo")
        .click();
    h.step();
    wait_until(&mut h, "the typed file's preview", |h| {
        visible(h, "2. Columnas")
    });
    assert!(visible_containing(&h, "contacts_utf8.csv"));
    click(&mut h, "Distribución");
    click(&mut h, "Distribuir");
    assert_eq!(
        store
            .contacts_count(
                campaign.id,
                &telemercadeo::domain::contact::ContactFilter {
                    agent_id: Some(0),
                    ..Default::default()
                }
            )
            .expect("count"),
        0,
        "every contact has an agent"
    );
    h.get_by_role_and_label(A11y::Button, "Contactos").click();
    h.step();
    // The count runs in the background.
    wait_until(&mut h, "the count", |h| !visible(h, "… contactos"));
    assert!(visible(&h, "1.728 contactos"));
    click(&mut h, "Datos y estado");
    click(&mut h, "Iniciar campaña");
    // It starts on 02/12/2026: starting today is 3 days early, which is asked first (issue 8).
    assert!(visible(&h, "¿Iniciar antes de la fecha de inicio?"));
    assert!(visible_containing(&h, "empezará 3 días antes"));
    assert_eq!(
        store.campaign(&head, campaign.id).expect("campaign").status,
        CampaignStatus::Planificada
    );
    click(&mut h, "Iniciar ahora");
    let campaign = store.campaign(&head, campaign.id).expect("campaign");
    assert_eq!(campaign.status, CampaignStatus::Activa);
    assert_eq!(
        store.brief(&head, brief.id).expect("brief").status,
        BriefStatus::EnEjecucion
    );
}

#[test]
fn the_head_returns_a_brief_and_the_department_resubmits_it() {
    let store = store_with_people();
    let mut h = app(store.clone());
    log_in(&mut h, "posgrados");
    click(&mut h, "Nueva solicitud");
    fill(&mut h, "Correo de contacto", "posgrados@universidad.edu.co");
    fill(&mut h, "Nombre de la campaña", "Reingresos 2027-1");
    choose(&mut h, "Tipo de campaña", "Reingresos");
    fill(&mut h, "Objetivo", "Recuperar estudiantes retirados.");
    fill(&mut h, "Público objetivo", "Retirados en 2025 y 2026.");
    fill(
        &mut h,
        "Mensaje clave y datos que se deben dar",
        "Beca de reingreso.",
    );
    fill(&mut h, "Fecha de inicio deseada", "15/12/2026");
    fill(&mut h, "Fecha de finalización deseada", "30/12/2026");
    fill(&mut h, "Resultado esperado", "40 reingresos.");
    // Submitting from the form saves and sends in one step; without its contact base it asks
    // first, and nothing is sent until the user says so.
    click(&mut h, "Enviar solicitud");
    assert!(visible(&h, "¿Enviar sin la base de contactos?"));
    assert!(
        store
            .briefs(&Actor::cli(), &BriefFilter::default())
            .expect("list")
            .is_empty()
    );
    click(&mut h, "Enviar sin base");

    log_in(&mut h, "mcastro");
    click(&mut h, "Reingresos 2027-1");
    // Returning without a comment is refused under the comment, before any dialog.
    click(&mut h, "Devolver con comentarios");
    assert!(visible(&h, "Escriba el motivo: la dependencia lo verá."));
    assert!(!visible(&h, "¿Devolver la solicitud?"));
    fill(
        &mut h,
        "Comentario para la dependencia (obligatorio al devolver o rechazar)",
        "Adjunte la base de retirados.",
    );
    click(&mut h, "Devolver con comentarios");
    // The confirmation dialog says what will happen; confirm it.
    assert!(visible(&h, "¿Devolver la solicitud?"));
    let buttons: Vec<_> = h
        .query_all_by_role_and_label(A11y::Button, "Devolver con comentarios")
        .collect();
    buttons.last().expect("dialog button").click();
    h.run();

    log_in(&mut h, "posgrados");
    click(&mut h, "Reingresos 2027-1");
    assert!(visible(&h, "Adjunte la base de retirados."));
    fill(&mut h, "Resultado esperado", "45 reingresos.");
    click(&mut h, "Enviar solicitud");
    click(&mut h, "Enviar sin base");
    let cli = Actor::cli();
    let b = store
        .briefs(&cli, &BriefFilter::default())
        .expect("list")
        .pop()
        .expect("brief");
    assert_eq!(b.status, BriefStatus::Enviada);
    assert_eq!(b.form.expected_result, "45 reingresos.");
    let steps: Vec<_> = store
        .brief_history(&cli, b.id)
        .expect("history")
        .into_iter()
        .map(|e| e.to)
        .collect();
    assert_eq!(
        steps,
        vec![
            BriefStatus::Borrador,
            BriefStatus::Enviada,
            BriefStatus::Devuelta,
            BriefStatus::Enviada
        ]
    );
}
