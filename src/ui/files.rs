//! File dialogs (rfd), kept behind two small functions: tests never call them — they hand
//! paths in directly, or drop files onto the window as a user would.

use std::path::PathBuf;

/// Asks for a file to open, with a filter (`("Excel", &["xlsx"])`).
pub fn pick_open(title: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .add_filter("*", &["*"])
        .pick_file()
}

/// Asks where to save a file, proposing `default_name`.
pub fn pick_save(title: &str, default_name: &str, filter: (&str, &[&str])) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(title)
        .set_file_name(default_name)
        .add_filter(filter.0, filter.1)
        .save_file()
}

/// The files dropped onto the window this frame: (name, bytes). Unreadable ones are skipped.
pub fn dropped_files(ctx: &egui::Context) -> Vec<(String, Vec<u8>)> {
    ctx.input(|i| i.raw.dropped_files.clone())
        .into_iter()
        .filter_map(|f| {
            let name = f
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            f.bytes().ok().map(|b| (name, b))
        })
        .collect()
}

/// A dropped file on disk, for tests that drop files onto the window.
#[derive(Debug)]
pub struct PathDrop(pub PathBuf);

impl egui::DroppedFile for PathDrop {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}
