//! The campaign script (guion, procedure 4.4): sections with placeholders, the data-protection
//! notice that cannot be removed, survey questions, and the diff between published versions.

use std::collections::BTreeMap;

use super::{Field, FieldError};
use crate::i18n::t;

/// What a section is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Data-protection notice (Ley 1581 de 2012, art. 12). Always present.
    AvisoDatos,
    /// Greeting.
    Saludo,
    /// Who is calling and why.
    Presentacion,
    /// The key message.
    MensajeCentral,
    /// Questions to ask.
    Preguntas,
    /// Handling objections.
    Objeciones,
    /// Closing.
    Cierre,
    /// Anything else.
    Otra,
}

impl SectionKind {
    /// Kinds a user may add (every one but the notice, which is always there).
    pub const ADDABLE: [SectionKind; 7] = [
        SectionKind::Saludo,
        SectionKind::Presentacion,
        SectionKind::MensajeCentral,
        SectionKind::Preguntas,
        SectionKind::Objeciones,
        SectionKind::Cierre,
        SectionKind::Otra,
    ];
    /// ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            Self::AvisoDatos => "aviso_datos",
            Self::Saludo => "saludo",
            Self::Presentacion => "presentacion",
            Self::MensajeCentral => "mensaje_central",
            Self::Preguntas => "preguntas",
            Self::Objeciones => "objeciones",
            Self::Cierre => "cierre",
            Self::Otra => "otra",
        }
    }
    /// Default title for the user.
    pub fn label(self) -> String {
        t(&format!("script.section_{}", self.code()))
    }
}

/// One section of the script.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    /// What it is for.
    pub kind: SectionKind,
    /// Title shown to the agent.
    pub title: String,
    /// Text with `{placeholders}`.
    pub text: String,
}

/// How a survey question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One option.
    Unica,
    /// Several options.
    Multiple,
    /// Yes / no.
    SiNo,
    /// 1 to 5.
    Escala,
    /// A number.
    Numero,
    /// Free text.
    Texto,
}

impl QuestionKind {
    /// Every kind.
    pub const ALL: [QuestionKind; 6] = [
        QuestionKind::Unica,
        QuestionKind::Multiple,
        QuestionKind::SiNo,
        QuestionKind::Escala,
        QuestionKind::Numero,
        QuestionKind::Texto,
    ];
    /// ASCII code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Unica => "unica",
            Self::Multiple => "multiple",
            Self::SiNo => "si_no",
            Self::Escala => "escala",
            Self::Numero => "numero",
            Self::Texto => "texto",
        }
    }
    /// Name for the user.
    pub fn label(self) -> String {
        t(&format!("script.qkind_{}", self.code()))
    }
    /// Whether the question needs a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, Self::Unica | Self::Multiple)
    }
}

/// A survey question.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Question {
    /// Stable id within the script (answers refer to it).
    pub id: u32,
    /// The question.
    pub text: String,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Options for single and multiple choice.
    pub options: Vec<String>,
    /// Must be answered before saving the call.
    pub required: bool,
    /// Sensitive data (health, beliefs, …): always optional, whatever `required` says.
    pub sensitive: bool,
}

impl Question {
    /// Required in practice: sensitive questions never are.
    pub fn is_required(&self) -> bool {
        self.required && !self.sensitive
    }
}

/// The whole script.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ScriptContent {
    /// Sections in order (the data-protection notice first by default).
    pub sections: Vec<Section>,
    /// Survey questions.
    pub questions: Vec<Question>,
}

/// Placeholders every script may use.
pub const BASE_PLACEHOLDERS: [&str; 10] = [
    "nombre",
    "programa",
    "ciudad",
    "correo",
    "telefono",
    "documento",
    "agente",
    "campaña",
    "dependencia",
    "institucion",
];

impl Default for ScriptContent {
    fn default() -> Self {
        let s = |kind: SectionKind, key: &str| Section {
            kind,
            title: kind.label(),
            text: t(key),
        };
        Self {
            sections: vec![
                s(SectionKind::AvisoDatos, "script.default_notice"),
                s(SectionKind::Saludo, "script.default_greeting"),
                s(SectionKind::Presentacion, "script.default_intro"),
                s(SectionKind::MensajeCentral, "script.default_message"),
                s(SectionKind::Objeciones, "script.default_objections"),
                s(SectionKind::Cierre, "script.default_closing"),
            ],
            questions: Vec::new(),
        }
    }
}

/// The `{placeholders}` in a text, in order, without braces.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        match rest.find(['}', '{', '\n']) {
            Some(close) if rest[close..].starts_with('}') => {
                let name = rest[..close].trim();
                if !name.is_empty() {
                    out.push(name.to_owned());
                }
                rest = &rest[close + 1..];
            }
            _ => {}
        }
    }
    out
}

/// Normalises a column header into a placeholder name: lower case, no accents but ñ, `_` for spaces.
pub fn placeholder_name(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().to_lowercase().chars() {
        let c = match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Whether `name` is a placeholder the script may use, given the extra columns of the contact file.
pub fn is_known(name: &str, extra: &[String]) -> bool {
    let n = placeholder_name(name);
    let base_folded = |b: &str| placeholder_name(b) == n;
    BASE_PLACEHOLDERS.iter().any(|b| base_folded(b))
        || extra.iter().any(|e| placeholder_name(e) == n)
}

/// The unknown placeholders of a text.
pub fn unknown_placeholders(text: &str, extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = placeholders(text)
        .into_iter()
        .filter(|p| !is_known(p, extra))
        .collect();
    out.dedup();
    out
}

/// Replaces the placeholders with values (keys normalised with [`placeholder_name`]);
/// a placeholder without a value stays visible as `{name}`.
pub fn render(text: &str, values: &BTreeMap<String, String>) -> String {
    let folded: BTreeMap<String, &String> = values
        .iter()
        .map(|(k, v)| (placeholder_name(k), v))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(['}', '{', '\n']) {
            Some(close) if after[close..].starts_with('}') => {
                let name = placeholder_name(&after[..close]);
                match folded.get(&name) {
                    Some(v) if !v.is_empty() => out.push_str(v),
                    _ => {
                        out.push('{');
                        out.push_str(&after[..close]);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl ScriptContent {
    /// Adds the data-protection notice back at the top if it is missing (it cannot be removed).
    pub fn ensure_notice(&mut self) {
        if !self
            .sections
            .iter()
            .any(|s| s.kind == SectionKind::AvisoDatos)
        {
            self.sections.insert(
                0,
                Section {
                    kind: SectionKind::AvisoDatos,
                    title: SectionKind::AvisoDatos.label(),
                    text: t("script.default_notice"),
                },
            );
        }
    }

    /// Removes section `i` unless it is the data-protection notice. Returns whether it was removed.
    pub fn remove_section(&mut self, i: usize) -> bool {
        match self.sections.get(i) {
            Some(s) if s.kind != SectionKind::AvisoDatos => {
                self.sections.remove(i);
                true
            }
            _ => false,
        }
    }

    /// Moves section `i` up (`-1`) or down (`+1`).
    pub fn move_section(&mut self, i: usize, delta: isize) {
        let j = i as isize + delta;
        if j >= 0 && (j as usize) < self.sections.len() && i < self.sections.len() {
            self.sections.swap(i, j as usize);
        }
    }

    /// A new question id.
    pub fn next_question_id(&self) -> u32 {
        self.questions.iter().map(|q| q.id).max().unwrap_or(0) + 1
    }

    /// Every unknown placeholder, with where it is ("Saludo", "Pregunta 2").
    pub fn unknown_placeholders(&self, extra: &[String]) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for s in &self.sections {
            for p in unknown_placeholders(&s.text, extra) {
                out.push((s.title.clone(), p));
            }
        }
        for (i, q) in self.questions.iter().enumerate() {
            for p in unknown_placeholders(&q.text, extra) {
                out.push((format!("{} {}", t("script.question"), i + 1), p));
            }
        }
        out
    }

    /// What publishing needs: a non-empty notice, texts in every section and question,
    /// at least two options for choice questions, no unknown placeholder.
    pub fn validate_for_publish(&self, extra: &[String]) -> Vec<FieldError> {
        let mut errs = Vec::new();
        match self
            .sections
            .iter()
            .find(|s| s.kind == SectionKind::AvisoDatos)
        {
            Some(n) if !n.text.trim().is_empty() => {}
            _ => errs.push(FieldError::new(Field::Notice, "script.err_notice")),
        }
        if self.sections.iter().any(|s| s.text.trim().is_empty()) {
            errs.push(FieldError::new(Field::Sections, "script.err_empty_section"));
        }
        if self.questions.iter().any(|q| q.text.trim().is_empty()) {
            errs.push(FieldError::new(
                Field::Questions,
                "script.err_empty_question",
            ));
        }
        if self.questions.iter().any(|q| {
            q.kind.has_options() && q.options.iter().filter(|o| !o.trim().is_empty()).count() < 2
        }) {
            errs.push(FieldError::new(Field::Questions, "script.err_options"));
        }
        let unknown = self.unknown_placeholders(extra);
        if !unknown.is_empty() {
            errs.push(FieldError::with(
                Field::Placeholders,
                "script.err_unknown_placeholders",
                &[(
                    "list",
                    &unknown
                        .iter()
                        .map(|(w, p)| format!("{{{p}}} ({w})"))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            ));
        }
        errs
    }

    /// The script as plain lines, for comparing versions.
    pub fn as_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for s in &self.sections {
            lines.push(format!("## {}", s.title));
            lines.extend(s.text.lines().map(str::to_owned));
        }
        for (i, q) in self.questions.iter().enumerate() {
            let flags = match (q.is_required(), q.sensitive) {
                (_, true) => format!(" [{}]", t("script.sensitive")),
                (true, _) => format!(" [{}]", t("script.required")),
                _ => String::new(),
            };
            lines.push(format!(
                "? {}. {} ({}){flags}",
                i + 1,
                q.text,
                q.kind.label()
            ));
            for o in &q.options {
                lines.push(format!("  - {o}"));
            }
        }
        lines
    }
}

/// One line of a comparison between two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the newer version.
    Added(String),
    /// Only in the older version.
    Removed(String),
}

/// What changed from `old` to `new`, line by line.
pub fn diff(old: &ScriptContent, new: &ScriptContent) -> Vec<DiffLine> {
    let a = old.as_lines().join("\n");
    let b = new.as_lines().join("\n");
    similar::TextDiff::from_lines(&a, &b)
        .iter_all_changes()
        .map(|c| {
            let text = c.value().trim_end_matches('\n').to_owned();
            match c.tag() {
                similar::ChangeTag::Equal => DiffLine::Same(text),
                similar::ChangeTag::Insert => DiffLine::Added(text),
                similar::ChangeTag::Delete => DiffLine::Removed(text),
            }
        })
        .collect()
}

/// The editable draft of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptDraft {
    /// Key.
    pub id: i64,
    /// The brief it belongs to.
    pub brief_id: Option<i64>,
    /// The draft content.
    pub content: ScriptContent,
    /// Last saved, UTC seconds.
    pub updated_at: i64,
}

/// A published, immutable version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptVersion {
    /// Key (call attempts record it).
    pub id: i64,
    /// 1, 2, 3…
    pub version: i64,
    /// The content as published.
    pub content: ScriptContent,
    /// When, UTC seconds.
    pub published_at: i64,
    /// Who (login).
    pub published_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_renders_placeholders() {
        let text = "Buenos días, {nombre}. Le habla {agente}, de {Campaña}. {sin cerrar";
        assert_eq!(placeholders(text), vec!["nombre", "agente", "Campaña"]);
        let mut v = BTreeMap::new();
        v.insert("nombre".to_owned(), "María José".to_owned());
        v.insert("agente".to_owned(), "Laura".to_owned());
        assert_eq!(
            render(text, &v),
            "Buenos días, María José. Le habla Laura, de {Campaña}. {sin cerrar"
        );
    }

    #[test]
    fn unknown_placeholders_are_flagged_and_file_columns_are_known() {
        let extra = vec!["Fecha de registro".to_owned()];
        assert_eq!(
            unknown_placeholders("{nombre} {fecha_de_registro} {apodo}", &extra),
            vec!["apodo"]
        );
        assert!(is_known("Campaña", &[]));
        assert!(is_known("programa", &[]));
    }

    #[test]
    fn the_notice_cannot_be_removed() {
        let mut s = ScriptContent::default();
        let n = s.sections.len();
        assert_eq!(s.sections[0].kind, SectionKind::AvisoDatos);
        assert!(!s.remove_section(0));
        assert_eq!(s.sections.len(), n);
        assert!(s.remove_section(1));
        s.sections.retain(|x| x.kind != SectionKind::AvisoDatos);
        s.ensure_notice();
        assert_eq!(s.sections[0].kind, SectionKind::AvisoDatos);
    }

    #[test]
    fn sensitive_questions_are_never_required() {
        let q = Question {
            id: 1,
            text: "¿Tiene alguna condición de salud?".into(),
            kind: QuestionKind::SiNo,
            options: vec![],
            required: true,
            sensitive: true,
        };
        assert!(!q.is_required());
    }

    #[test]
    fn diff_shows_what_changed() {
        let a = ScriptContent::default();
        let mut b = a.clone();
        b.sections[1].text = "Hola, {nombre}.".into();
        let d = diff(&a, &b);
        assert!(
            d.iter()
                .any(|l| matches!(l, DiffLine::Added(t) if t == "Hola, {nombre}."))
        );
        assert!(d.iter().any(|l| matches!(l, DiffLine::Removed(_))));
    }
}
