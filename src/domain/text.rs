//! Comparing what people type: case, accents and spacing do not count.

/// Lower case, accents folded (ñ kept), single spaces, trimmed.
pub fn fold(s: &str) -> String {
    let folded: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            _ => c,
        })
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
        assert_eq!(super::fold("Año"), "año");
    }
}
