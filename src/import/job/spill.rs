//! The rows kept between the import's passes, in file order, in a temporary file so that memory
//! does not grow with the file: a small binary record per row (a candidate or an issue).

use std::collections::BTreeMap;
use std::io::{Read, Write};

use super::rules::Candidate;
use crate::domain::contact::{Issue, IssueKind, NewContact};

/// The spill file: anonymous (already unlinked, or deleted on close), so the system removes it
/// however the import ends — finished, cancelled, or the process killed (a named file in the
/// temporary folder was left behind by every killed import, 85 MB for a million rows).
pub(super) struct Spill {
    file: std::fs::File,
    pub(super) out: Option<std::io::BufWriter<std::fs::File>>,
}

impl Spill {
    pub(super) fn new() -> std::io::Result<Spill> {
        let file = tempfile::tempfile()?;
        let out = std::io::BufWriter::with_capacity(1 << 16, file.try_clone()?);
        Ok(Spill {
            file,
            out: Some(out),
        })
    }

    /// Reads what was written, from the start (the writing is over).
    pub(super) fn reader(&mut self) -> std::io::Result<std::io::BufReader<std::fs::File>> {
        use std::io::Seek;
        if let Some(mut w) = self.out.take() {
            w.flush()?;
        }
        let mut f = self.file.try_clone()?;
        f.seek(std::io::SeekFrom::Start(0))?;
        Ok(std::io::BufReader::with_capacity(1 << 16, f))
    }
}

pub(super) fn put_u32(w: &mut impl Write, v: u32) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
pub(super) fn put_u64(w: &mut impl Write, v: u64) -> std::io::Result<()> {
    w.write_all(&v.to_le_bytes())
}
pub(super) fn put_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    put_u32(w, s.len() as u32)?;
    w.write_all(s.as_bytes())
}
pub(super) fn put_opt(w: &mut impl Write, s: &Option<String>) -> std::io::Result<()> {
    match s {
        Some(s) => {
            w.write_all(&[1])?;
            put_str(w, s)
        }
        None => w.write_all(&[0]),
    }
}
pub(super) fn put_strs<'s>(
    w: &mut impl Write,
    n: usize,
    items: impl Iterator<Item = &'s str>,
) -> std::io::Result<()> {
    put_u32(w, n as u32)?;
    for s in items {
        put_str(w, s)?;
    }
    Ok(())
}
pub(super) fn put_issue(w: &mut impl Write, i: &Issue) -> std::io::Result<()> {
    put_u64(w, i.row as u64)?;
    put_str(w, i.kind.code())?;
    put_str(w, &i.reason)?;
    put_strs(w, i.original.len(), i.original.iter().map(String::as_str))
}

pub(super) fn get_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}
pub(super) fn get_u64(r: &mut impl Read) -> std::io::Result<u64> {
    let mut b = [0; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}
pub(super) fn get_u8(r: &mut impl Read) -> std::io::Result<u8> {
    let mut b = [0; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}
pub(super) fn get_str(r: &mut impl Read) -> std::io::Result<String> {
    let n = get_u32(r)? as usize;
    let mut b = vec![0; n];
    r.read_exact(&mut b)?;
    Ok(String::from_utf8_lossy(&b).into_owned())
}
pub(super) fn get_opt(r: &mut impl Read) -> std::io::Result<Option<String>> {
    Ok(match get_u8(r)? {
        0 => None,
        _ => Some(get_str(r)?),
    })
}
pub(super) fn get_strs(r: &mut impl Read) -> std::io::Result<Vec<String>> {
    let n = get_u32(r)? as usize;
    (0..n).map(|_| get_str(r)).collect()
}
pub(super) fn get_issue(r: &mut impl Read) -> std::io::Result<Issue> {
    let row = get_u64(r)? as i64;
    let kind = IssueKind::from_code(&get_str(r)?).unwrap_or(IssueKind::Aviso);
    Ok(Issue {
        row,
        kind,
        reason: get_str(r)?,
        original: get_strs(r)?,
    })
}

pub(super) const REC_ISSUE: u8 = 0;
pub(super) const REC_CANDIDATE: u8 = 1;

pub(super) fn put_candidate(
    w: &mut impl Write,
    c: &Candidate,
    cells: &[String],
) -> std::io::Result<()> {
    w.write_all(&[REC_CANDIDATE])?;
    let k = &c.contact;
    put_u64(w, k.source_row as u64)?;
    put_str(w, &k.name)?;
    put_u64(w, k.phone)?;
    put_u32(w, k.alt_phones.len() as u32)?;
    for p in &k.alt_phones {
        put_u64(w, *p)?;
    }
    put_opt(w, &k.email)?;
    put_opt(w, &k.document)?;
    put_opt(w, &k.program)?;
    put_opt(w, &k.city)?;
    put_u32(w, k.extra.len() as u32)?;
    for (a, b) in &k.extra {
        put_str(w, a)?;
        put_str(w, b)?;
    }
    put_u32(w, c.warnings.len() as u32)?;
    for i in &c.warnings {
        put_issue(w, i)?;
    }
    put_strs(w, cells.len(), cells.iter().map(String::as_str))
}

pub(super) fn get_candidate(r: &mut impl Read) -> std::io::Result<(Candidate, Vec<String>)> {
    let source_row = get_u64(r)? as i64;
    let name = get_str(r)?;
    let phone = get_u64(r)?;
    let n = get_u32(r)? as usize;
    let alt_phones = (0..n).map(|_| get_u64(r)).collect::<Result<Vec<_>, _>>()?;
    let email = get_opt(r)?;
    let document = get_opt(r)?;
    let program = get_opt(r)?;
    let city = get_opt(r)?;
    let n = get_u32(r)? as usize;
    let mut extra = BTreeMap::new();
    for _ in 0..n {
        let a = get_str(r)?;
        extra.insert(a, get_str(r)?);
    }
    let n = get_u32(r)? as usize;
    let warnings = (0..n)
        .map(|_| get_issue(r))
        .collect::<Result<Vec<_>, _>>()?;
    let cells = get_strs(r)?;
    Ok((
        Candidate {
            contact: NewContact {
                source_row,
                name,
                phone,
                alt_phones,
                email,
                document,
                program,
                city,
                extra,
            },
            warnings,
        },
        cells,
    ))
}
