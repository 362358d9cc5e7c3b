//! Comparing what people type: case, accents and spacing do not count.
//!
//! One fold for the whole program (catalog names, searches, header words, cities): `ñ` folds to
//! `n` like every other accented letter, because bases exported by older systems write
//! "NARINO" and "Cedula" as often as "Nariño" and "Cédula".

/// One lower-case character with its accent (tilde, diaeresis, cedilla) removed.
pub fn fold_char(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// Lower case, accents folded (`ñ` too), single spaces, trimmed.
pub fn fold(s: &str) -> String {
    let folded: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn folds() {
        assert_eq!(
            super::fold("  Facultad de  INGENIERÍA "),
            "facultad de ingenieria"
        );
        assert_eq!(super::fold("NARIÑO"), "narino");
        assert_eq!(super::fold("Nariño"), super::fold("Narino"));
        assert_eq!(super::fold("Peña  Çedilla"), "pena cedilla");
    }
}
