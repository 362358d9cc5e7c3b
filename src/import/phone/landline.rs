//! Old 7-digit landlines: the area code (indicativo) of the row's city, and the completed number
//! (offered to the user, never applied silently).

use super::{E164, PhoneParser};

/// Area codes (indicativos) of Colombia's landlines since 2021, by city or department as
/// people write them in a base.
pub const AREA_CODES: [(&str, u64); 40] = [
    ("bogota", 601),
    ("cundinamarca", 601),
    ("soacha", 601),
    ("chia", 601),
    ("zipaquira", 601),
    ("cali", 602),
    ("valle", 602),
    ("palmira", 602),
    ("popayan", 602),
    ("cauca", 602),
    ("pasto", 602),
    ("narino", 602),
    ("medellin", 604),
    ("antioquia", 604),
    ("bello", 604),
    ("envigado", 604),
    ("itagui", 604),
    ("monteria", 604),
    ("cordoba", 604),
    ("quibdo", 604),
    ("barranquilla", 605),
    ("atlantico", 605),
    ("cartagena", 605),
    ("bolivar", 605),
    ("santa marta", 605),
    ("magdalena", 605),
    ("valledupar", 605),
    ("sincelejo", 605),
    ("pereira", 606),
    ("risaralda", 606),
    ("manizales", 606),
    ("caldas", 606),
    ("armenia", 606),
    ("quindio", 606),
    ("bucaramanga", 607),
    ("santander", 607),
    ("cucuta", 607),
    ("ibague", 608),
    ("tunja", 608),
    ("villavicencio", 608),
];

/// The landline area code of a city or department as written in a base ("Bogotá D.C." →
/// 601, "NARIÑO" → 602), compared with the program's one text fold.
pub fn area_code(city: &str) -> Option<u64> {
    let city = crate::domain::text::fold(city);
    AREA_CODES
        .iter()
        .find(|(name, _)| city == *name || city.starts_with(&format!("{name} ")))
        .map(|(_, code)| *code)
}

/// A 7-digit landline completed with the area code of `city`, when both are known and the
/// result is a valid number.
pub fn complete_landline(parser: &PhoneParser, cell: &str, city: Option<&str>) -> Option<E164> {
    let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 7 {
        return None;
    }
    let code = area_code(city?)?;
    parser.parse_one(&format!("{code}{digits}"))
}
