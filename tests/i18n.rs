//! Every text has both languages, and every key the code uses exists.

use std::collections::BTreeSet;
use std::path::Path;

use telemercadeo::domain::procedure::{
    BriefStatus, CampaignKind, CampaignStatus, DistributionMode,
};
use telemercadeo::domain::{DispositionCategory, ProgramKind, Role};
use telemercadeo::i18n::{self, Lang, parse_catalog};

fn keys(lang: Lang) -> BTreeSet<String> {
    parse_catalog(i18n::source(lang))
        .expect("locale file parses")
        .into_keys()
        .collect()
}

#[test]
fn both_languages_have_the_same_keys() {
    let es = keys(Lang::Es);
    let en = keys(Lang::En);
    let only_es: Vec<_> = es.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&es).collect();
    assert!(only_es.is_empty(), "missing in en.toml: {only_es:?}");
    assert!(only_en.is_empty(), "missing in es.toml: {only_en:?}");
    assert!(es.len() > 100);
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The string literals passed as keys: `t("k")`, `tf("k", …)`, `t_in(lang, "k")`,
/// `FieldError::new("f", "k")` — also when rustfmt puts the key on the next line.
fn used_keys(src: &str) -> Vec<String> {
    let mut found = Vec::new();
    for pat in ["t(", "tf(", "t_in(lang,"] {
        let mut rest = src;
        while let Some(i) = rest.find(pat) {
            let before = rest[..i].chars().last();
            rest = &rest[i + pat.len()..];
            // `t(` must be the function, not the end of another name (`print(`, `.t(`).
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let arg = rest.trim_start();
            if let Some(arg) = arg.strip_prefix('"')
                && let Some(end) = arg.find('"')
            {
                found.push(arg[..end].to_owned());
            }
        }
    }
    // Messages translated when shown: `Msg::new("k")`, `Msg::with("k", …)`,
    // `FieldError::new(Field::X, "k")`, `FieldError::with(Field::X, "k", …)`.
    for pat in [
        "Msg::new(",
        "Msg::with(",
        "FieldError::new(Field::",
        "FieldError::with(Field::",
        "FieldError::new(crate::domain::Field::",
        "FieldError::with(crate::domain::Field::",
    ] {
        let mut rest = src;
        while let Some(i) = rest.find(pat) {
            rest = &rest[i + pat.len()..];
            let head = rest.split(')').next().unwrap_or_default();
            if let Some((_, tail)) = head.split_once('"')
                && let Some((key, _)) = tail.split_once('"')
            {
                found.push(key.to_owned());
            }
        }
    }
    let mut rest = src;
    while let Some(i) = rest.find("FieldError::new(") {
        rest = &rest[i + 16..];
        let args: Vec<&str> = rest.splitn(5, '"').collect();
        if args.len() == 5 && args[2].trim() == "," {
            found.push(args[3].to_owned());
        }
    }
    found
}

#[test]
fn every_key_used_in_the_source_exists() {
    let es = keys(Lang::Es);
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    let mut missing = Vec::new();
    let mut count = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for key in used_keys(&text) {
            count += 1;
            if !es.contains(&key) {
                missing.push(format!("{}: {key}", f.display()));
            }
        }
    }
    assert!(count > 100, "the scan found the keys ({count})");
    assert!(
        missing.is_empty(),
        "keys used but not in the locale files: {missing:#?}"
    );
}

#[test]
fn every_enum_has_a_label_in_both_languages() {
    let mut labels = Vec::new();
    for lang in Lang::ALL {
        i18n::set_lang(lang);
        labels.extend(Role::ALL.map(Role::label));
        labels.extend([ProgramKind::Programa, ProgramKind::Servicio].map(ProgramKind::label));
        labels.extend(
            [
                DispositionCategory::Positivo,
                DispositionCategory::Negativo,
                DispositionCategory::Agendado,
                DispositionCategory::NoContactado,
                DispositionCategory::Tercero,
                DispositionCategory::NumeroInvalido,
                DispositionCategory::Exclusion,
            ]
            .map(DispositionCategory::label),
        );
        labels.extend(CampaignKind::ALL.iter().map(|k| k.label()));
        labels.extend(CampaignStatus::ALL.iter().map(|k| k.label()));
        labels.extend(BriefStatus::ALL.iter().map(|k| k.label()));
        labels.extend(DistributionMode::ALL.iter().map(|k| k.label()));
    }
    i18n::set_lang(Lang::Es);
    let broken: Vec<_> = labels.iter().filter(|l| l.contains("[[")).collect();
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(i18n::t_in(Lang::En, "role.jefe"), "Marketing head");
    assert_eq!(i18n::t_in(Lang::Es, "role.jefe"), "Jefe de marketing");
}

#[test]
fn every_audit_action_has_a_description_and_every_written_one_is_listed() {
    use telemercadeo::store::audit::{ACTIONS, action_label};
    for lang in Lang::ALL {
        for a in ACTIONS {
            let key = format!("audit_action.{}", a.replace('.', "_"));
            assert!(
                !i18n::t_in(lang, &key).starts_with("[["),
                "{key} in {lang:?}"
            );
        }
    }
    assert_eq!(action_label("user.add"), "Creó un usuario");
    assert_eq!(action_label("algo.nuevo"), "algo.nuevo");
    // Every literal action the store writes is in the list.
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/store")),
        &mut files,
    );
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for (i, _) in text.match_indices('"') {
            let rest = &text[i + 1..];
            let Some(end) = rest.find('"') else { continue };
            let lit = &rest[..end];
            let looks_like_action = lit.split_once('.').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && lit
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            });
            let mut from = i.saturating_sub(200);
            while !text.is_char_boundary(from) {
                from += 1;
            }
            let context = &text[from..i];
            // The literal is an argument of `audit(…)` / `audit_as(…)`, or the value of `let action`.
            let is_argument = ["audit(", "audit_as(", "let action"].iter().any(|call| {
                context
                    .rfind(call)
                    .is_some_and(|at| !context[at..].contains([';', ')']))
            });
            if looks_like_action && is_argument {
                assert!(
                    ACTIONS.contains(&lit),
                    "{lit} is written to the audit log but not in ACTIONS"
                );
            }
        }
    }
}
