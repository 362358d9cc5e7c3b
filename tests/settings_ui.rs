//! Configuración, driven headless with egui_kittest: how "Llamar" dials and the reasons of
//! "No interesado", edited with their validation messages and previews.

mod common;

use common::{click, fill, log_in, store_with_people, visible, visible_containing};

const DIAL: &str = "Cómo se marca al pulsar «Llamar»";
const REASONS: &str = "Motivos de «No interesado» (un código por línea)";

#[test]
fn the_head_edits_the_dialling_and_the_no_interest_reasons() {
    let store = store_with_people();
    let mut h = common::app_sized(store.clone(), 1366.0, 2200.0);
    log_in(&mut h, "mcastro");
    click(&mut h, "Configuración");
    // Folded until opened.
    assert!(!visible(&h, "Abre el enlace: tel:+573001234567"));
    click(&mut h, "Llamadas");
    // The defaults, with their previews.
    assert!(visible(&h, "Abre el enlace: tel:+573001234567"));
    assert!(visible_containing(
        &h,
        "Se verán así: Precio · Financiación"
    ));

    // An unknown placeholder: the message under the field, nothing saved.
    fill(&mut h, DIAL, "tel:{tel}");
    assert!(!visible_containing(&h, "Abre el enlace"), "no preview");
    click(&mut h, "Guardar cambios");
    assert!(visible(
        &h,
        "No se conoce «{tel}»: use «{telefono}» o «{numero}»."
    ));
    assert_eq!(
        store.settings().expect("settings").click_to_call,
        "tel:{telefono}"
    );
    // Without the number, then a quote left open: each says so once saved.
    fill(&mut h, DIAL, "sip:central");
    click(&mut h, "Guardar cambios");
    assert!(visible(
        &h,
        "Falta el número: incluya «{telefono}» o «{numero}»."
    ));
    fill(
        &mut h,
        DIAL,
        r#""C:\Program Files\MicroSIP\microsip.exe {numero}"#,
    );
    click(&mut h, "Guardar cambios");
    assert!(visible(&h, "Hay unas comillas sin cerrar."));

    // A softphone's command line: the preview shows what runs.
    fill(
        &mut h,
        DIAL,
        r#""C:\Program Files\MicroSIP\microsip.exe" {numero}"#,
    );
    assert!(!visible(&h, "Hay unas comillas sin cerrar."), "fixed, gone");
    assert!(visible(
        &h,
        r#"Ejecuta: "C:\Program Files\MicroSIP\microsip.exe" 3001234567"#
    ));

    // Reasons: a repeated code is refused; a custom one is shown as typed.
    fill(&mut h, REASONS, "precio\nPRECIO");
    click(&mut h, "Guardar cambios");
    assert!(visible(&h, "El motivo «PRECIO» está repetido."));
    assert_eq!(
        store
            .settings()
            .expect("settings")
            .no_interest_reasons
            .len(),
        6
    );
    fill(&mut h, REASONS, "precio\n\n  Vive lejos  \notro");
    assert!(!visible_containing(&h, "está repetido"));
    assert!(visible(
        &h,
        "Se verán así: Precio · Vive lejos · Otro motivo"
    ));
    click(&mut h, "Guardar cambios");
    let s = store.settings().expect("settings");
    assert_eq!(s.no_interest_reasons, ["precio", "Vive lejos", "otro"]);
    assert_eq!(
        s.click_to_call,
        r#""C:\Program Files\MicroSIP\microsip.exe" {numero}"#
    );
    // Emptied: refused.
    common::input(&h, REASONS).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    click(&mut h, "Guardar cambios");
    assert!(visible(&h, "Escriba al menos un motivo."));
    assert_eq!(
        store
            .settings()
            .expect("settings")
            .no_interest_reasons
            .len(),
        3
    );
}

#[test]
fn the_head_edits_the_calling_hours_and_the_holidays() {
    use chrono::{NaiveDate, Weekday};
    let store = store_with_people();
    let mut h = common::app_sized(store.clone(), 1366.0, 2600.0);
    log_in(&mut h, "mcastro");
    click(&mut h, "Configuración");
    click(&mut h, "Llamadas");
    // The law's hours and the year's holidays, computed.
    assert!(visible(&h, "Horario permitido para llamar"));
    assert!(visible(&h, "Festivos de 2026 en que no se llama: 18 días"));
    assert!(visible(&h, "La Inmaculada Concepción"));
    // A typo in a time says which day, and changes nothing.
    fill(&mut h, "lunes, hasta", "7 de la noche");
    assert!(visible_containing(&h, "El horario del lunes: se escribe"));
    fill(&mut h, "lunes, hasta", "18:00");
    assert!(!visible_containing(&h, "El horario del lunes: se escribe"));
    // No calls on Saturdays; an institutional holiday added; one of the law's removed.
    click(&mut h, "sábado");
    fill(&mut h, "Agregar el día", "31/02/2026");
    click(&mut h, "Agregar festivo");
    assert!(visible(&h, "Escriba la fecha del festivo como DD/MM/AAAA."));
    fill(&mut h, "Agregar el día", "13/03/2026");
    fill(&mut h, "Nombre", "Aniversario de la universidad");
    click(&mut h, "Agregar festivo");
    assert!(visible(&h, "Aniversario de la universidad"));
    assert!(visible(&h, "Festivos de 2026 en que no se llama: 19 días"));
    click(&mut h, "Guardar cambios");
    let s = store.settings().expect("settings");
    assert!(s.call_windows.of(Weekday::Sat).is_empty(), "no Saturday");
    assert_eq!(
        s.call_windows.of(Weekday::Mon)[0].end,
        chrono::NaiveTime::from_hms_opt(18, 0, 0).expect("time")
    );
    let day = NaiveDate::from_ymd_opt(2026, 3, 13).expect("date");
    assert_eq!(
        s.holidays.on(day).map(|h| h.name()),
        Some("Aniversario de la universidad".to_owned())
    );
}
