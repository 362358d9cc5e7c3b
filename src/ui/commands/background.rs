//! The window's writes that take longer than a frame and run as jobs on a second connection:
//! verifying the archive, restoring a backup, storing a brief's attachment.

use crate::domain::{Actor, FieldError};
use crate::store::{Error, Store};

/// Compares the archived records' contents with their hashes (`only`: one record) off the UI
/// thread, keeping the result with each record (a mismatch is flagged and audited).
pub fn spawn_archive_verify(
    ctx: &egui::Context,
    store: Store,
    actor: Actor,
    only: Option<i64>,
) -> crate::jobs::Job<Vec<crate::domain::archive::Verification>, Error> {
    let repaint = ctx.clone();
    crate::jobs::Job::spawn(
        "archive-verify",
        String::new(),
        move || repaint.request_repaint(),
        move |_, _| store.archive_verify(&actor, only),
    )
}

/// Restores the database from a backup off the UI thread (the store checks the copy and
/// refuses while other desks have the database open). Gives the copy of the database as it
/// was, kept beside it.
pub fn spawn_restore(
    ctx: &egui::Context,
    store: Store,
    actor: Actor,
    from: std::path::PathBuf,
) -> crate::jobs::Job<Option<std::path::PathBuf>, Error> {
    let repaint = ctx.clone();
    crate::jobs::Job::spawn(
        "restore",
        String::new(),
        move || repaint.request_repaint(),
        move |_, _| store.restore_from(&actor, &from).map(|r| r.safety_copy),
    )
}

/// A file to attach to a brief: dropped on the window (its bytes) or chosen (its path).
#[derive(Debug, Clone)]
pub enum AttachFrom {
    /// A file by its path, read on the job's thread.
    Path(std::path::PathBuf),
    /// A dropped file: its name and bytes.
    Bytes(String, Vec<u8>),
}

/// Attaches a file (a brief's contact base, up to 50 MB) off the UI thread: the file read in
/// chunks with its progress (the first half), then stored in one transaction. Gives the file
/// as stored and its bytes (for the base's check).
pub fn spawn_attach(
    ctx: &egui::Context,
    store: Store,
    actor: Actor,
    brief_id: i64,
    from: AttachFrom,
) -> crate::jobs::Job<(crate::domain::brief::BriefFile, Vec<u8>), Error> {
    use std::io::Read;
    let repaint = ctx.clone();
    let title = match &from {
        AttachFrom::Path(p) => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        AttachFrom::Bytes(name, _) => name.clone(),
    };
    crate::jobs::Job::spawn(
        "attach",
        title.clone(),
        move || repaint.request_repaint(),
        move |progress, _| {
            let bytes = match from {
                AttachFrom::Bytes(_, b) => b,
                AttachFrom::Path(path) => {
                    let mut f = std::fs::File::open(&path)?;
                    let len = f.metadata()?.len();
                    if len > Store::MAX_ATTACHMENT_BYTES as u64 {
                        return Err(FieldError::new(
                            crate::domain::Field::File,
                            "brief.err_file_big",
                        )
                        .into());
                    }
                    let mut out = Vec::with_capacity(len as usize);
                    let mut buf = vec![0u8; 1 << 20];
                    loop {
                        let n = f.read(&mut buf)?;
                        if n == 0 {
                            break;
                        }
                        out.extend_from_slice(&buf[..n]);
                        progress(crate::jobs::Progress {
                            done: out.len() as u64,
                            fraction: 0.5 * out.len() as f32 / len.max(1) as f32,
                        });
                    }
                    out
                }
            };
            progress(crate::jobs::Progress {
                done: bytes.len() as u64,
                fraction: 0.5,
            });
            let file = store.brief_attach(&actor, brief_id, &title, &bytes)?;
            Ok((file, bytes))
        },
    )
}
