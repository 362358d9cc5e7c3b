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
        // Per thread: other tests of this binary read Spanish at the same time.
        i18n::with_lang(lang, || {
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
        });
    }
    let broken: Vec<_> = labels.iter().filter(|l| l.contains("[[")).collect();
    assert!(broken.is_empty(), "{broken:?}");
    assert_eq!(i18n::t_in(Lang::En, "role.jefe"), "Marketing head");
    assert_eq!(i18n::t_in(Lang::Es, "role.jefe"), "Jefe de marketing");
}

#[test]
fn every_audit_action_has_a_description_and_every_written_one_is_listed() {
    use telemercadeo::domain::audit::{ACTIONS, action_label};
    for lang in Lang::ALL {
        for a in ACTIONS {
            let key = format!("audit_action.{}", a.replace('.', "_"));
            assert!(
                !i18n::t_in(lang, &key).starts_with("[["),
                "{key} in {lang:?}"
            );
        }
    }
    assert_eq!(
        i18n::with_lang(Lang::Es, || action_label("user.add")),
        "Creó un usuario"
    );
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

/// The string literals of Rust source that a user could read, with their line: comments,
/// `#[cfg(test)]` items and the arguments of `log::` macros are left out.
fn message_literals(src: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = src.chars().collect();
    // The code with comments and literals blanked (same length), and the literals found.
    let mut code = chars.clone();
    let mut literals: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let start = i;
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // A char literal ('x', '\n', '"'), or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                continue;
            }
        } else if c == '"' || (c == 'r' && matches!(next, Some('"' | '#')) && !ident(&chars, i)) {
            let mut hashes = 0;
            let raw = c == 'r';
            if raw {
                i += 1;
                while chars.get(i) == Some(&'#') {
                    hashes += 1;
                    i += 1;
                }
                if chars.get(i) != Some(&'"') {
                    continue;
                }
            }
            i += 1;
            let mut text = String::new();
            while i < chars.len() {
                if !raw && chars[i] == '\\' {
                    text.push(chars[i]);
                    text.extend(chars.get(i + 1));
                    i += 2;
                    continue;
                }
                if chars[i] == '"' && (0..hashes).all(|h| chars.get(i + 1 + h) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                text.push(chars[i]);
                i += 1;
            }
            literals.push((start, i.min(chars.len()), text));
        } else {
            i += 1;
            continue;
        }
        for ch in &mut code[start..i.min(chars.len())] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    }
    let mut line_of = Vec::with_capacity(chars.len());
    let mut line = 1;
    for c in &chars {
        line_of.push(line);
        if *c == '\n' {
            line += 1;
        }
    }
    // `#[cfg(test)]` items: from the attribute to the end of the braces that follow it.
    let text: String = code.iter().collect();
    let mut skipped: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("#[cfg(test)]") {
        let at_byte = from + at;
        let at = text[..at_byte].chars().count();
        let mut j = at;
        while j < code.len() && code[j] != '{' && code[j] != ';' {
            j += 1;
        }
        let mut depth = 0usize;
        while j < code.len() {
            match code[j] {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ';' if depth == 0 => break,
                _ => {}
            }
            j += 1;
        }
        skipped.push((at, j));
        from = at_byte + "#[cfg(test)]".len();
    }
    literals
        .into_iter()
        .filter(|(start, _, _)| !skipped.iter().any(|(a, b)| a <= start && start <= b))
        .filter(|(start, _, _)| {
            // The statement the literal is part of, back to the last `;`, `{` or `}`.
            let mut k = *start;
            while k > 0 && !matches!(code[k - 1], ';' | '{' | '}') {
                k -= 1;
            }
            let statement: String = code[k..*start].iter().collect();
            !["log::", "debug!(", "info!(", "warn!(", "trace!(", "error!("]
                .iter()
                .any(|m| statement.contains(m))
        })
        .map(|(start, _, text)| (line_of[start], text))
        .collect()
}

/// Whether the char at `i` continues an identifier (`for"` is not a raw string).
fn ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// Whether a literal reads as Spanish words: a non-ASCII letter (á, ñ, º…), Spanish
/// punctuation, or a common Spanish word of messages.
fn looks_spanish(literal: &str) -> bool {
    const WORDS: &[&str] = &[
        " que ",
        " el ",
        " los ",
        " las ",
        " del ",
        " una ",
        "no se ",
        "vuelva",
        "archivo",
        "Revise",
        "Verifique",
        "Elija",
        "Seleccione",
    ];
    let padded = format!(" {literal} ");
    literal
        .chars()
        .any(|c| (c.is_alphabetic() && !c.is_ascii()) || "¿¡«»".contains(c))
        || WORDS.iter().any(|w| padded.contains(w))
}

/// Where users read text; every literal there that reads as Spanish must come from the locale
/// files, or be listed in [`SPANISH_ON_PURPOSE`].
const SCANNED: &[&str] = &[
    "src/import",
    "src/store",
    "src/ui",
    "src/cli",
    "src/jobs.rs",
];

/// Literals that are Spanish on purpose: (file, literal or `*` for the whole file, reason).
/// The PDF/XLSX record templates of `src/report` (Spanish institutional forms) are not scanned.
const SPANISH_ON_PURPOSE: &[(&str, &str, &str)] = &[
    (
        "src/import/synthetic.rs",
        "*",
        "generated test data: Colombian names, programmes and cities",
    ),
    (
        "src/import/phone/mod.rs",
        "extensión",
        "a word found in phone cells before an extension number (data, not a message)",
    ),
    (
        "src/ui/tabs/scripts.rs",
        "María José Rojas Peña",
        "sample contact of the script preview (data)",
    ),
    (
        "src/ui/tabs/scripts.rs",
        "Psicología",
        "sample programme of the script preview (data)",
    ),
    (
        "src/ui/tabs/scripts.rs",
        "campaña",
        "name of a script placeholder ({campaña}) that scripts contain (data)",
    ),
    (
        "src/store/db.rs",
        "la consulta no devolvió ninguna fila",
        "detail of an internal invariant (a bug, like SQLite's own messages)",
    ),
];

fn spanish_literals(file: &str, src: &str) -> Vec<String> {
    message_literals(src)
        .into_iter()
        .filter(|(_, lit)| looks_spanish(lit))
        .filter(|(_, lit)| {
            !SPANISH_ON_PURPOSE
                .iter()
                .any(|(f, allowed, _)| file.ends_with(f) && (*allowed == "*" || allowed == lit))
        })
        .map(|(line, lit)| format!("{file}:{line}: \"{lit}\""))
        .collect()
}

#[test]
fn the_source_scan_finds_spanish_literals() {
    let src = r#"
        //! Lee «archivos».
        fn f(x: char) -> String {
            log::debug!("{}: no se abrió", x);
            let _ = 'ñ';
            let _ = '"';
            let a = r"sin tilde pero Elija";
            format!("El archivo no es válido: {x}")
        }
        #[cfg(test)]
        mod tests {
            const X: &str = "también";
        }
        const AFTER: &str = "Teléfono";
    "#;
    let found = spanish_literals("src/ui/x.rs", src);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("sin tilde pero Elija"), "{found:#?}");
    assert!(found[1].starts_with("src/ui/x.rs:8:"), "{found:#?}");
    assert!(found[2].contains("Teléfono"), "{found:#?}");
    assert!(spanish_literals("src/import/synthetic.rs", src).is_empty());
    assert!(!looks_spanish("{} · {} – {}") && !looks_spanish("Nothing was imported"));
}

#[test]
fn no_user_visible_spanish_literal_bypasses_the_locale_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for scanned in SCANNED {
        let path = root.join(scanned);
        if path.is_dir() {
            rust_files(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    assert!(
        files.len() > 20,
        "the scan found the files ({})",
        files.len()
    );
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let name = f
            .strip_prefix(root)
            .unwrap_or(f)
            .to_string_lossy()
            .replace('\\', "/");
        found.extend(spanish_literals(&name, &text));
    }
    assert!(
        found.is_empty(),
        "Spanish text a user may read, not from the locale files (use t/tf with a key of \
         assets/locales/*.toml, or list it in SPANISH_ON_PURPOSE with a reason): {found:#?}"
    );
}

#[test]
fn counted_nouns_agree_with_their_count() {
    use telemercadeo::i18n::{fill, is_singular, plural};
    assert!(is_singular("1") && is_singular("-1"));
    assert!(!is_singular("0") && !is_singular("2") && !is_singular("1.000"));
    assert!(!is_singular("…"), "a count not known yet reads as plural");
    assert_eq!(plural("1", "solicitud", "solicitudes"), "solicitud");
    let n = |v: &str| fill("{n} {n:campaña|campañas}".into(), &[("n", v.to_owned())]);
    assert_eq!(n("1"), "1 campaña");
    assert_eq!(n("0"), "0 campañas");
    assert_eq!(n("1.728"), "1.728 campañas");
    // A form may hold other arguments, whatever their order.
    let t =
        "{count} {count:fila (la fila {first}) tiene|filas (la primera, la fila {first}) tienen}";
    assert_eq!(
        fill(t.into(), &[("count", "1".into()), ("first", "7".into())]),
        "1 fila (la fila 7) tiene"
    );
    i18n::with_lang(Lang::Es, || {
        assert_eq!(i18n::tf("brief.count", &[("n", &1)]), "1 solicitud");
        assert_eq!(i18n::tf("brief.count", &[("n", &2)]), "2 solicitudes");
        assert_eq!(i18n::tf("campaign.count", &[("n", &1)]), "1 campaña");
        assert_eq!(i18n::tf("contacts.count", &[("n", &1)]), "1 contacto");
        assert_eq!(
            i18n::tf("distribution.done", &[("n", &1), ("k", &1)]),
            "1 contacto repartido entre 1 auxiliar."
        );
    });
    i18n::with_lang(Lang::En, || {
        assert_eq!(i18n::tf("brief.count", &[("n", &1)]), "1 brief");
        assert_eq!(i18n::tf("user.count", &[("n", &3)]), "3 users");
    });
}

/// Placeholders that hold a name, a number that counts nothing (a row, a version) or a text:
/// the word after them does not agree with them.
const NOT_COUNTS: &[&str] = &[
    "name",
    "start",
    "path",
    "detail",
    "version",
    "old",
    "new",
    "row",
    "first",
    "line",
    "from",
    "department",
    "when",
    "agente",
    "institucion",
    "dependencia",
    "campaña",
    "column",
    "mb",
    "mark",
    "rate",
    "date",
    "month",
    "value",
    "indicator",
];

/// Words that read the same after 1 and after 2: units and invariant words.
const INVARIANT: &[(Lang, &[&str])] = &[
    (Lang::Es, &["s", "MB", "pp", "en", "sin", "de", "ya", "se"]),
    (
        Lang::En,
        &[
            "s", "MB", "pp", "read", "imported", "rejected", "opted", "added", "already", "would",
            "in", "without", "pending", "new", "of", "more",
        ],
    ),
];

/// A count followed by a noun that does not follow the count: `{n} solicitudes` reads
/// "1 solicitudes". Every count next to words must use the plural rule (`{n:solicitud|solicitudes}`).
fn counts_without_plural(lang: Lang) -> Vec<String> {
    let invariant = INVARIANT
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, w)| *w)
        .unwrap_or_default();
    let mut found = Vec::new();
    let catalog = parse_catalog(i18n::source(lang)).expect("parses");
    for (key, value) in &catalog {
        let mut rest = value.as_str();
        while let Some(open) = rest.find('{') {
            rest = &rest[open + 1..];
            let Some(close) = rest.find('}') else { break };
            let name = &rest[..close];
            if let Some(colon) = rest.find(':')
                && colon < close
            {
                // A plural form `{n:one|other}`, which may hold other arguments: skip it whole.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|(_, c)| {
                        depth += match c {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        depth == 0
                    })
                    .map_or(rest.len(), |(i, _)| i + 1);
                rest = &rest[end..];
                continue;
            }
            let after = &rest[close + 1..];
            if NOT_COUNTS.contains(&name) {
                continue;
            }
            let Some(word) = after.strip_prefix(' ') else {
                continue;
            };
            let word: String = word.chars().take_while(|c| c.is_alphabetic()).collect();
            if !word.is_empty() && !invariant.contains(&word.as_str()) {
                found.push(format!("{lang:?} {key}: «{{{name}}} {word}» in {value:?}"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn no_count_is_shown_next_to_a_noun_without_the_plural_rule() {
    let found: Vec<String> = Lang::ALL
        .into_iter()
        .flat_map(counts_without_plural)
        .collect();
    assert!(
        found.is_empty(),
        "a count next to a noun must use the plural rule ({{n}} {{n:solicitud|solicitudes}}): {found:#?}"
    );
    // The scan catches what it is meant to.
    assert!(
        !counts_without_plural(Lang::Es)
            .iter()
            .any(|f| f.contains("brief.count"))
    );
}

#[test]
fn no_count_is_formatted_next_to_a_word_in_the_source() {
    // `format!("{} bytes", n)` bypasses both the locale files and the plural rule.
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui")),
        &mut files,
    );
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for (line, lit) in message_literals(&text) {
            let words_after_count = lit.match_indices("{}").any(|(i, _)| {
                lit[i + 2..]
                    .strip_prefix(' ')
                    .is_some_and(|w| w.starts_with(|c: char| c.is_alphabetic()))
            });
            if words_after_count {
                found.push(format!("{}:{line}: \"{lit}\"", f.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
