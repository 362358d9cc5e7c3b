//! User-facing text in Spanish (default) and English.
//!
//! Every string a user reads goes through [`t`] or [`tf`] with a key of the locale files
//! `assets/locales/es.toml` and `assets/locales/en.toml` (embedded at compile time).
//! A test checks that both files hold the same keys and that every key used in the source
//! exists. We use our own ~100 lines rather than `rust-i18n` because that crate silently prints
//! the key when one is missing, and we want the missing key to fail a test instead.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language of the user interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// Español (Colombia) — the default.
    Es,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    /// The ISO code (`es`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// The language's own name, as shown in the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Es => "Español",
            Lang::En => "English",
        }
    }

    /// Parses `es` / `en` (case-insensitive).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of the whole program.
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

thread_local! {
    /// A language for the current thread only, set by [`with_lang`].
    static THREAD_LANG: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Runs `f` with the texts of the current thread in `lang`, whatever the program's language;
/// other threads are not affected. For tests that check a language while other tests of the
/// same binary run in parallel (and [`set_lang`] would change their texts too).
pub fn with_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            THREAD_LANG.with(|l| l.set(self.0));
        }
    }
    let _restore = Restore(THREAD_LANG.with(|l| l.replace(Some(lang))));
    f()
}

/// The language in use (on this thread, see [`with_lang`]).
pub fn lang() -> Lang {
    if let Some(lang) = THREAD_LANG.with(Cell::get) {
        return lang;
    }
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::En,
        _ => Lang::Es,
    }
}

const ES: &str = include_str!("../assets/locales/es.toml");
const EN: &str = include_str!("../assets/locales/en.toml");

/// The raw text of a language's locale file.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Es => ES,
        Lang::En => EN,
    }
}

/// Flattens a locale file into `section.key -> text`.
pub fn parse_catalog(text: &str) -> Result<HashMap<String, String>, String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = HashMap::new();
    flatten("", &table, &mut out)?;
    Ok(out)
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut HashMap<String, String>,
) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(format!("{key}: only text and tables are allowed")),
        }
    }
    Ok(())
}

fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    static CATS: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let cats = CATS.get_or_init(|| {
        // The files are part of the binary and checked by tests: a parse error is a build defect.
        [
            parse_catalog(ES).unwrap_or_default(),
            parse_catalog(EN).unwrap_or_default(),
        ]
    });
    &cats[lang as usize]
}

/// The text of `key` in the given language; the key itself (visibly wrong) when missing.
pub fn t_in(lang: Lang, key: &str) -> String {
    catalog(lang)
        .get(key)
        .cloned()
        .unwrap_or_else(|| format!("[[{key}]]"))
}

/// The text of `key` in the current language.
pub fn t(key: &str) -> String {
    t_in(lang(), key)
}

/// The text of `key` with `{name}` placeholders replaced (and counted nouns, see [`fill`]).
pub fn tf(key: &str, args: &[(&str, &dyn Display)]) -> String {
    let args: Vec<(&str, String)> = args.iter().map(|(n, v)| (*n, v.to_string())).collect();
    fill(t(key), &args)
}

/// Whether a count takes the singular: exactly one (Spanish and English agree: "0 solicitudes",
/// "1 solicitud", "2 solicitudes"). `count` is the number as shown (`1`, `1.234`, `1,234`);
/// anything that is not a whole number (`…`) takes the plural.
pub fn is_singular(count: &str) -> bool {
    let digits: String = count
        .trim()
        .trim_start_matches('-')
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | '\u{a0}' | ' '))
        .collect();
    digits.parse::<u64>() == Ok(1)
}

/// The one rule for counted nouns: `one` for a single thing, `other` otherwise.
pub fn plural<'a>(count: &str, one: &'a str, other: &'a str) -> &'a str {
    if is_singular(count) { one } else { other }
}

/// Fills a locale text: `{name}` is the argument's value, and `{name:one|other}` is the form
/// of the words that agree with the count `name` ([`plural`]): `"{n} {n:solicitud|solicitudes}"`
/// reads "1 solicitud", "2 solicitudes". Every count shown next to a noun uses it (a test
/// scans the locale files for a count followed by a word without it).
pub fn fill(template: String, args: &[(&str, String)]) -> String {
    let mut s = template;
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    // The forms after every value: a form may hold another argument (`{n:esa fila|esas {n} filas}`).
    for (name, value) in args {
        let open = format!("{{{name}:");
        while let Some(at) = s.find(&open) {
            let body_from = at + open.len();
            let Some(len) = s[body_from..].find('}') else {
                break;
            };
            let body = &s[body_from..body_from + len];
            let (one, other) = body.split_once('|').unwrap_or((body, body));
            let form = plural(value, one, other).to_owned();
            s.replace_range(at..body_from + len + 1, &form);
        }
    }
    s
}

/// A message to be translated when it is shown: a locale key and its named arguments.
/// Made on one thread in one language, it reads in the language current when displayed
/// (rendered once per language, on first use, so it can be borrowed as `&str`).
#[derive(Clone, Debug)]
pub struct Msg {
    /// The locale key (`section.key`).
    pub key: &'static str,
    /// The `{name}` placeholders' values, already formatted.
    pub args: Vec<(&'static str, String)>,
    rendered: [OnceLock<String>; 2],
}

impl PartialEq for Msg {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.args == other.args
    }
}

impl Eq for Msg {}

impl Msg {
    /// A message without arguments.
    pub fn new(key: &'static str) -> Self {
        Self::from_parts(key, Vec::new())
    }

    /// A message with named arguments.
    pub fn with(key: &'static str, args: &[(&'static str, &dyn Display)]) -> Self {
        Self::from_parts(key, args.iter().map(|(n, v)| (*n, v.to_string())).collect())
    }

    /// Text that is already in the user's words (a file's own problem text, a foreign
    /// library's message); shown as it is.
    pub fn text(text: impl Into<String>) -> Self {
        Self::from_parts("store_err.text", vec![("text", text.into())])
    }

    fn from_parts(key: &'static str, args: Vec<(&'static str, String)>) -> Self {
        Self {
            key,
            args,
            rendered: Default::default(),
        }
    }

    /// The text in `lang`.
    pub fn render_in(&self, lang: Lang) -> String {
        fill(t_in(lang, self.key), &self.args)
    }

    /// The text in the current language.
    pub fn render(&self) -> String {
        self.as_str().to_owned()
    }

    /// The text in the current language, borrowed.
    pub fn as_str(&self) -> &str {
        let lang = lang();
        self.rendered[lang as usize].get_or_init(|| self.render_in(lang))
    }
}

impl std::ops::Deref for Msg {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<Msg> for String {
    fn from(m: Msg) -> String {
        m.render()
    }
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
