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

/// The placeholders the editor offers: the base ones, then the contact file's extra fields
/// that are not base ones (each once, normalised with [`placeholder_name`]).
pub fn offered_placeholders(extra: &[String]) -> Vec<String> {
    let mut all: Vec<String> = BASE_PLACEHOLDERS.iter().map(|p| (*p).to_owned()).collect();
    for e in extra {
        let e = placeholder_name(e);
        if !e.is_empty() && !all.contains(&e) {
            all.push(e);
        }
    }
    all
}

/// The values a script is read with: who calls (`agent`), for which campaign, department and
/// institution, and, for the preview (`sample_contact`), an example contact. Without a contact
/// (an agent reading the script before a call) the contact's fields have no value and
/// [`render`] shows their names.
pub fn reading_values(
    agent: &str,
    campaign: &str,
    department: &str,
    institution: &str,
    sample_contact: bool,
) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    if sample_contact {
        for (k, val) in [
            ("nombre", "María José Rojas Peña"),
            ("programa", "Psicología"),
            ("ciudad", "Pereira"),
            ("correo", "mjrojas@example.com"),
            ("telefono", "300 123 4567"),
            ("documento", "1.088.123.456"),
        ] {
            v.insert(k.to_owned(), val.to_owned());
        }
    }
    for (k, val) in [
        ("agente", agent),
        ("campaña", campaign),
        ("dependencia", department),
        ("institucion", institution),
    ] {
        v.insert(k.to_owned(), val.to_owned());
    }
    v
}

/// Replaces the placeholders with values (keys normalised with [`placeholder_name`]). A
/// placeholder without a value (an extra field of the contact file in the preview, the
/// contact's data before a call) shows as its name in words, «programa de interes»: raw
/// braces never reach the reader.
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
                    _ if name.is_empty() => {
                        out.push('{');
                        out.push_str(&after[..close]);
                        out.push('}');
                    }
                    _ => {
                        out.push('«');
                        out.push_str(&name.replace('_', " "));
                        out.push('»');
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

    /// The titles of the sections that still hold the template's "write here" text (the
    /// default text that asks to be replaced, in any language, even with words added).
    pub fn template_leftovers(&self) -> Vec<String> {
        let stems: Vec<String> = crate::i18n::Lang::ALL
            .iter()
            .map(|lang| {
                let prompt = crate::i18n::t_in(*lang, "script.default_message");
                let stem = prompt.split('{').next().unwrap_or_default();
                super::text::fold(stem.trim().trim_end_matches(['.', ':', ',']))
            })
            .filter(|s| !s.is_empty())
            .collect();
        self.sections
            .iter()
            .filter(|s| {
                let text = super::text::fold(&s.text);
                stems.iter().any(|stem| text.contains(stem.as_str()))
            })
            .map(|s| s.title.clone())
            .collect()
    }

    /// What publishing needs: a non-empty notice, texts in every section and question, none
    /// left with the template's "write here" text, at least two options for choice questions,
    /// no unknown placeholder.
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
        let leftovers = self.template_leftovers();
        if !leftovers.is_empty() {
            errs.push(FieldError::with(
                Field::Sections,
                "script.err_template_text",
                &[("list", &leftovers.join(", "))],
            ));
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
        // A placeholder without a value shows its name, never its braces (issue 8).
        assert_eq!(
            render(text, &v),
            "Buenos días, María José. Le habla Laura, de «campaña». {sin cerrar"
        );
    }

    #[test]
    fn every_offered_placeholder_is_filled_in_the_preview_and_for_the_agent() {
        // The brief's database brings extra fields; one repeats a base placeholder.
        let extra = vec![
            "programa_de_interes".to_owned(),
            "Fecha de registro".to_owned(),
            "Ciudad".to_owned(),
        ];
        let offered = offered_placeholders(&extra);
        assert_eq!(offered.len(), BASE_PLACEHOLDERS.len() + 2, "{offered:?}");
        assert!(offered.contains(&"programa_de_interes".to_owned()));
        let preview = reading_values("Laura Gómez", "Inscripciones", "Posgrados", "la U", true);
        let agent = reading_values("Andrés Pérez", "Inscripciones", "Posgrados", "la U", false);
        for p in &offered {
            // Every offered placeholder is known to the editor, so it may be published…
            assert!(is_known(p, &extra), "{p}");
            // …and whoever reads it sees words, never `{…}`.
            for (who, values) in [("preview", &preview), ("agent", &agent)] {
                let shown = render(&format!("Dato: {{{p}}}."), values);
                assert!(
                    !shown.contains('{') && !shown.contains('}'),
                    "{who}: {{{p}}} -> {shown}"
                );
                assert_ne!(shown, "Dato: .", "{who}: {{{p}}} is not blank");
            }
        }
        // The sample contact fills every base placeholder with a value, not a name.
        for p in BASE_PLACEHOLDERS {
            assert!(!render(&format!("{{{p}}}"), &preview).contains('«'), "{p}");
        }
        assert_eq!(
            render("{programa_de_interes}", &preview),
            "«programa de interes»"
        );
        assert_eq!(render("{nombre}", &agent), "«nombre»");
        assert_eq!(
            render("{agente}, {Campaña}", &agent),
            "Andrés Pérez, Inscripciones"
        );
    }

    #[test]
    fn the_template_text_blocks_publishing() {
        let mut s = ScriptContent::default();
        let message = SectionKind::MensajeCentral.label();
        assert_eq!(s.template_leftovers(), vec![message.clone()]);
        let errs = s.validate_for_publish(&[]);
        assert!(
            errs.iter()
                .any(|e| e.field == Field::Sections && e.message.to_string().contains(&message)),
            "{errs:?}"
        );
        // Words added to the prompt do not make it a message.
        s.sections[3].text = format!("{} Hay becas.", s.sections[3].text);
        assert_eq!(s.template_leftovers(), vec![message.clone()]);
        // The English template's prompt counts too.
        s.sections[3].text = crate::i18n::t_in(crate::i18n::Lang::En, "script.default_message");
        assert_eq!(s.template_leftovers(), vec![message]);
        s.sections[3].text = "Hay inscripciones abiertas para {programa}.".into();
        assert!(s.template_leftovers().is_empty());
        assert!(s.validate_for_publish(&[]).is_empty());
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
