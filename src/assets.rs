//! Files embedded in the binary: the icon and the fonts (DejaVu, free license in
//! `assets/fonts/LICENSE-DejaVu.txt`), shared by the window and the PDF writer.

/// The program's icon (128×128 PNG).
pub static ICON_PNG: &[u8] = include_bytes!("../assets/icon.png");
/// DejaVu Sans: the PDF's text font and the window's fallback for symbols the default font lacks.
pub static DEJAVU_SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, for the PDF.
pub static DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
