//! Deterministic, realistic contact files for the demo, the tests and the benchmarks:
//! Colombian names, messy phone formats, ~3 % duplicates in another format, ~5 % invalid
//! phones, ~15 % rows whose phone is only in the second column.

use std::io::Write;

const FIRST: [&str; 24] = [
    "María José",
    "Juan Camilo",
    "Laura",
    "Andrés Felipe",
    "Valentina",
    "Santiago",
    "Daniela",
    "Carlos",
    "Ana María",
    "Sebastián",
    "Paula Andrea",
    "Jorge",
    "Natalia",
    "Luis Fernando",
    "Camila",
    "Diego",
    "Sara",
    "Mateo",
    "Isabella",
    "Julián",
    "Manuela",
    "Alejandro",
    "Luisa",
    "Esteban",
];
const LAST: [&str; 24] = [
    "Rojas",
    "Gómez",
    "Rodríguez",
    "Martínez",
    "García",
    "López",
    "Hernández",
    "Díaz",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Torres",
    "Flórez",
    "Vargas",
    "Castro",
    "Ortiz",
    "Muñoz",
    "Jiménez",
    "Moreno",
    "Quintero",
    "Cárdenas",
    "Beltrán",
    "Ospina",
    "Peña",
];
const PROGRAMS: [&str; 8] = [
    "Psicología",
    "Derecho",
    "Ingeniería de Sistemas",
    "Medicina",
    "Enfermería",
    "Administración de Empresas",
    "Especialización en Seguridad y Salud en el Trabajo",
    "Maestría en Educación",
];
const CITIES: [&str; 10] = [
    "Bogotá",
    "Medellín",
    "Cali",
    "Barranquilla",
    "Pereira",
    "Manizales",
    "Bucaramanga",
    "Cartagena",
    "Ibagué",
    "Tunja",
];
const MOBILE_PREFIXES: [u64; 12] = [300, 301, 302, 304, 310, 311, 312, 313, 315, 316, 318, 320];

/// A small xorshift generator: the same seed gives the same file everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn mobile(rng: &mut Rng) -> u64 {
    let prefix = MOBILE_PREFIXES[rng.below(MOBILE_PREFIXES.len() as u64) as usize];
    prefix * 10_000_000 + 2_000_000 + rng.below(7_999_999)
}

/// A national number (10 digits) written the way people write it.
fn write_phone(rng: &mut Rng, n: u64) -> String {
    let s = n.to_string();
    let (a, b, c) = (&s[0..3], &s[3..6], &s[6..]);
    match rng.below(8) {
        0 => s.clone(),
        1 => format!("{a} {b} {c}"),
        2 => format!("{a}-{b}-{c}"),
        3 => format!("({a}) {b} {c}"),
        4 => format!("+57 {a} {b} {c}"),
        5 => format!("+57{s}"),
        6 => format!("57{s}"),
        _ => format!("{a}.{b}.{c}"),
    }
}

fn invalid_phone(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => "555 1234".to_owned(),
        1 => "N/A".to_owned(),
        2 => "no tiene".to_owned(),
        3 => format!("{}", 30_000_000 + rng.below(9_999_999)),
        _ => String::new(),
    }
}

/// Writes `rows` data rows (plus a header) as CSV with `delimiter`, UTF-8.
/// Columns: Nombre completo, Celular, Teléfono fijo, Correo, Programa, Ciudad, Documento, Observaciones.
pub fn write_csv(
    out: &mut dyn Write,
    rows: usize,
    seed: u64,
    delimiter: u8,
) -> std::io::Result<()> {
    let d = delimiter as char;
    writeln!(
        out,
        "Nombre completo{d}Celular{d}Teléfono fijo{d}Correo{d}Programa{d}Ciudad{d}Documento{d}Observaciones"
    )?;
    let mut rng = Rng(seed.max(1));
    let mut recent: Vec<u64> = Vec::with_capacity(1024);
    for i in 0..rows {
        let first = rng.pick(&FIRST);
        let last1 = rng.pick(&LAST);
        let last2 = rng.pick(&LAST);
        let roll = rng.below(100);
        let number = if roll < 3 && !recent.is_empty() {
            recent[rng.below(recent.len() as u64) as usize]
        } else {
            let n = mobile(&mut rng);
            if recent.len() < 1024 {
                recent.push(n);
            } else {
                recent[i % 1024] = n;
            }
            n
        };
        let (cel, fijo) = if (3..8).contains(&roll) {
            (invalid_phone(&mut rng), invalid_phone(&mut rng))
        } else if (8..23).contains(&roll) {
            (invalid_phone(&mut rng), write_phone(&mut rng, number))
        } else {
            (write_phone(&mut rng, number), String::new())
        };
        let user: String = format!("{}.{}", first, last1)
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'á' => 'a',
                'é' => 'e',
                'í' => 'i',
                'ó' => 'o',
                'ú' => 'u',
                'ñ' => 'n',
                ' ' => '.',
                c => c,
            })
            .collect();
        let email = if rng.below(20) == 0 {
            format!("{user}@correo")
        } else {
            format!("{user}{}@example.com", rng.below(1000))
        };
        writeln!(
            out,
            "{first} {last1} {last2}{d}{cel}{d}{fijo}{d}{email}{d}{}{d}{}{d}{}{d}{}",
            rng.pick(&PROGRAMS),
            rng.pick(&CITIES),
            1_000_000_000 + rng.below(99_999_999),
            if rng.below(10) == 0 {
                "\"Llamar en la tarde; pidió información, de nuevo\"".to_owned()
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}
