//! The header row and what each column means: header detection below title rows, and the
//! column mapping by the words a header contains (Spanish or English vocabularies).

use std::collections::VecDeque;

use super::table::{RawRow, RawSource, raw_blank};
use super::{Field, HEADER_SEARCH_ROWS, ReadError};

const NEGATIVE: &[&str] = &[
    "tipo",
    "operador",
    "operadora",
    "compania",
    "fecha",
    "hora",
    "indicativo",
    "extension",
    "ext",
    "estado",
    "date",
    "type",
    "status",
    "carrier",
];
const PHONE: &[&str] = &[
    "tel",
    "tels",
    "telf",
    "tlf",
    "tfno",
    "telefono",
    "telefonos",
    "telephone",
    "phone",
    "phones",
    "celular",
    "celulares",
    "cel",
    "cell",
    "cellphone",
    "cellular",
    "movil",
    "moviles",
    "mobile",
    "fijo",
    "fija",
    "whatsapp",
    "whatsap",
    "wasap",
    "wsp",
];
const EMAIL: &[&str] = &["correo", "correos", "email", "emails", "mail", "mails"];
const DOCUMENT: &[&str] = &[
    "cedula",
    "cedulas",
    "documento",
    "documentos",
    "doc",
    "identificacion",
    "identification",
    "document",
    "id",
    "cc",
    "nit",
    "dni",
    "nuip",
    "pasaporte",
    "passport",
];
const PROGRAM: &[&str] = &[
    "programa",
    "programas",
    "carrera",
    "carreras",
    "program",
    "programme",
    "programs",
    "major",
    "curso",
];
const CITY: &[&str] = &[
    "ciudad",
    "ciudades",
    "municipio",
    "municipios",
    "city",
    "town",
];
const NOTES: &[&str] = &[
    "observaciones",
    "observacion",
    "obs",
    "notas",
    "nota",
    "comentarios",
    "comentario",
    "notes",
    "note",
    "comments",
    "comment",
    "remarks",
];
/// A name of someone else (guardian, adviser…) is not the contact's name.
const THIRD_PARTY: &[&str] = &[
    "acudiente",
    "padre",
    "madre",
    "asesor",
    "asesora",
    "referido",
    "referente",
    "responsable",
    "agente",
    "colegio",
    "institucion",
    "empresa",
    "universidad",
    "usuario",
];
const FIRST_NAME: &[&str] = &["nombre", "nombres", "firstname", "givenname"];
const LAST_NAME: &[&str] = &[
    "apellido",
    "apellidos",
    "lastname",
    "surname",
    "surnames",
    "familyname",
];

/// The words of a header: lower case, accents folded, digits and punctuation as spaces;
/// `camel` also splits `telefonoFijo` into two words.
fn header_words(header: &str, camel: bool) -> Vec<String> {
    let mut folded = String::with_capacity(header.len());
    let mut prev_lower = false;
    for c in header.chars() {
        if camel && c.is_uppercase() && prev_lower {
            folded.push(' ');
        }
        prev_lower = c.is_lowercase();
        for l in c.to_lowercase() {
            let l = crate::domain::text::fold_char(l);
            if l.is_alphabetic() && l != 'º' && l != 'ª' {
                folded.push(l);
            } else {
                folded.push(' ');
            }
        }
    }
    folded.split_whitespace().map(str::to_string).collect()
}

fn classify(words: &[String]) -> Option<Field> {
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let has = |word: &str| words.iter().any(|w| w == word);
    if words.is_empty() || any(NEGATIVE) {
        return None;
    }
    let phone_word = words
        .iter()
        .any(|w| w.starts_with("telef") || w.starts_with("celu"));
    if any(PHONE) || phone_word || (any(&["numero", "no", "nro", "num"]) && has("contacto")) {
        return Some(Field::Phone);
    }
    if any(EMAIL) {
        return Some(Field::Email);
    }
    if any(DOCUMENT) {
        return Some(Field::Document);
    }
    if any(PROGRAM) {
        return Some(Field::Program);
    }
    if any(CITY) {
        return Some(Field::City);
    }
    if any(NOTES) {
        return Some(Field::Notes);
    }
    if any(THIRD_PARTY) {
        return None;
    }
    let first = any(FIRST_NAME);
    let last = any(LAST_NAME);
    let english_name = has("name") || has("names");
    if (first && (last || any(&["completo", "completos"])))
        || has("fullname")
        || (english_name && has("full"))
        || (english_name && words.len() == 1)
    {
        return Some(Field::FullName);
    }
    if last || (english_name && any(&["last", "family", "sur"])) {
        return Some(Field::LastName);
    }
    if first || (english_name && any(&["first", "given", "middle", "second"])) {
        return Some(Field::FirstName);
    }
    None
}

/// What one header means (see [`map_columns`]).
fn map_header(header: &str) -> Field {
    let trimmed = header.trim();
    if trimmed.is_empty() {
        return Field::Ignore;
    }
    classify(&header_words(trimmed, false))
        .or_else(|| classify(&header_words(trimmed, true)))
        .unwrap_or_else(|| Field::Extra(trimmed.to_string()))
}

/// Proposes what each column means from the words its header contains (Spanish or English;
/// case, accents, punctuation, underscores and digits ignored): `Tel. móvil`, `telefono_2`,
/// `TEL FIJO`, `WhatsApp` → [`Field::Phone`]; `No. de documento`, `Cédula`, `CC` →
/// [`Field::Document`]; `Nombres y apellidos`, `APELLIDO, NOMBRE` → [`Field::FullName`];
/// `E-mail` → [`Field::Email`]; `Programa de interés` → [`Field::Program`]; `Municipio` →
/// [`Field::City`]; `Observaciones` → [`Field::Notes`]; anything else →
/// [`Field::Extra`] with the trimmed header; an empty header → [`Field::Ignore`].
pub fn map_columns(headers: &[String]) -> Vec<Field> {
    headers.iter().map(|h| map_header(h)).collect()
}

/// Whether a cell looks like a column name (not data) and what it means.
fn header_cell_field(cell: &str) -> Option<Field> {
    let cell = cell.trim();
    if cell.is_empty()
        || cell.chars().count() > 60
        || cell.chars().filter(char::is_ascii_digit).count() > 2
    {
        return None;
    }
    match map_header(cell) {
        Field::Extra(_) | Field::Ignore => None,
        known => Some(known),
    }
}

/// How header-like a row is: (recognised phone columns, recognised columns, non-empty cells).
fn header_score(cells: &[String]) -> (usize, usize, usize) {
    let mut phones = 0;
    let mut known = 0;
    let mut filled = 0;
    for cell in cells {
        if !cell.trim().is_empty() {
            filled += 1;
        }
        if let Some(field) = header_cell_field(cell) {
            known += 1;
            if field == Field::Phone {
                phones += 1;
            }
        }
    }
    (phones, known, filled)
}

/// A header: one phone column among several cells, or two known columns.
pub(super) fn is_header(cells: &[String]) -> bool {
    let (phones, known, filled) = header_score(cells);
    (phones >= 1 && filled >= 2) || known >= 2
}

/// The header row and the rows read after it.
pub(super) struct Found {
    /// The header row.
    pub(super) header: RawRow,
    /// Rows read after the header while searching (title rows above it are dropped).
    pub(super) rest: VecDeque<RawRow>,
    /// No row looked like a header: the first non-blank row was taken.
    pub(super) guessed: bool,
}

/// Finds the header among the first [`HEADER_SEARCH_ROWS`] non-blank rows (it may sit below
/// title rows): the first row that [`is_header`], else the first with a phone-like cell, else
/// the first non-blank row. An error if every row is blank.
pub(super) fn find_header(
    source: &mut RawSource,
    sheet: Option<&str>,
    name: &str,
) -> Result<Found, ReadError> {
    let mut seen: Vec<RawRow> = Vec::new();
    let mut non_blank = 0usize;
    let mut header_at: Option<usize> = None;
    let mut weak_at: Option<usize> = None;
    while non_blank < HEADER_SEARCH_ROWS {
        match source.next_raw() {
            None => break,
            Some(Err(e)) => return Err(e),
            Some(Ok(row)) => {
                if raw_blank(&row.cells) {
                    continue;
                }
                non_blank += 1;
                seen.push(row);
                let cells = &seen[seen.len() - 1].cells;
                if is_header(cells) {
                    header_at = Some(seen.len() - 1);
                    break;
                }
                if weak_at.is_none() && header_score(cells).0 >= 1 {
                    weak_at = Some(seen.len() - 1);
                }
            }
        }
    }
    let (index, guessed) = match header_at.or(weak_at) {
        Some(i) => (i, false),
        None if seen.is_empty() => {
            let name = name.to_string();
            return Err(match sheet {
                Some(sheet) => ReadError::SheetEmpty {
                    name,
                    sheet: sheet.to_string(),
                },
                None => ReadError::AllRowsBlank { name },
            });
        }
        None => (0, true),
    };
    let mut rest: VecDeque<RawRow> = seen.drain(index..).collect();
    let Some(header) = rest.pop_front() else {
        return Err(ReadError::NoHeader {
            name: name.to_string(),
        });
    };
    Ok(Found {
        header,
        rest,
        guessed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(headers: &[&str]) -> Vec<Field> {
        map_columns(&headers.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>())
    }

    #[test]
    fn every_name_column_is_a_name() {
        use Field::*;
        assert_eq!(
            fields(&[
                "Primer apellido",
                "Segundo apellido",
                "Primer nombre",
                "Segundo nombre"
            ]),
            [LastName, LastName, FirstName, FirstName]
        );
        assert_eq!(fields(&["Nombres", "Apellidos"]), [FirstName, LastName]);
        assert_eq!(
            fields(&["Nombre completo", "NOMBRES Y APELLIDOS"]),
            [FullName, FullName]
        );
        assert_eq!(
            fields(&["First name", "Middle name", "Last name", "Second last name"]),
            [FirstName, FirstName, LastName, LastName]
        );
        // Someone else's name is not the contact's.
        assert_eq!(
            fields(&["Nombre del acudiente", "Colegio"]),
            [
                Extra("Nombre del acudiente".into()),
                Extra("Colegio".into())
            ]
        );
    }
}
