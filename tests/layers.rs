//! The dependency direction of ARCHITECTURE.md, checked on the source: `ui` and `import` name
//! only `Store`, `Error` and `Target` from the store (every other type comes from `domain`), and
//! `domain` never touches SQL, egui or files.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources(dir: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (p.display().to_string(), text)
        })
        .collect()
}

/// Drops `//` comments so that prose about the store does not count.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| {
        let code = l.split("//").next().unwrap_or("");
        (i + 1, code)
    })
}

/// The names a line takes from the store: `store::X` and `store::{X, Y}`.
fn store_names(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("store::") {
        let before = &rest[..at];
        rest = &rest[at + "store::".len()..];
        // `crate::store::`, `telemercadeo::store::` or a bare `store::` after `use crate::{…`.
        if before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or("");
            names.extend(group.split(',').map(|s| s.trim().to_owned()));
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

#[test]
fn ui_and_import_take_only_store_error_and_target_from_the_store() {
    const ALLOWED: [&str; 3] = ["Store", "Error", "Target"];
    let mut offences = Vec::new();
    for dir in ["src/ui", "src/import"] {
        for (path, text) in sources(dir) {
            for (n, line) in code_lines(&text) {
                for name in store_names(line) {
                    if !ALLOWED.contains(&name.as_str()) {
                        offences.push(format!("{path}:{n}: store::{name}"));
                    }
                }
                if line.contains("params!") || line.contains("db::Val") {
                    offences.push(format!("{path}:{n}: SQL values outside the store"));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "ui/ and import/ may name only Store, Error and Target from the store; the rest lives in domain:\n{}",
        offences.join("\n")
    );
}

#[test]
fn domain_has_no_sql_no_egui_and_no_files() {
    const FORBIDDEN: [&str; 7] = [
        "rusqlite",
        "egui",
        "crate::store",
        "crate::ui",
        "std::fs",
        "std::net",
        "calamine",
    ];
    let mut offences = Vec::new();
    for (path, text) in sources("src/domain") {
        for (n, line) in code_lines(&text) {
            for word in FORBIDDEN {
                if line.contains(word) {
                    offences.push(format!("{path}:{n}: {word}"));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "domain/ holds types and rules only:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_scanner_sees_what_it_must() {
    assert_eq!(
        store_names("use crate::store::contacts::ContactFilter;"),
        ["contacts"]
    );
    assert_eq!(
        store_names("use crate::store::{Error, Store, briefs};"),
        ["Error", "Store", "briefs"]
    );
    assert_eq!(
        store_names("let x = telemercadeo::store::name_key(&s);"),
        ["name_key"]
    );
    assert!(store_names("let restore::x = 1;").is_empty());
}
