//! Proof files (certificates, receipts) copied into the data folder with their SHA-256, so the
//! user may delete the original and an auditor can check the copy.
//!
//! A copy is written and hashed as a stream into a locked partial file, and gets its final name
//! (`proofs/<hash>-<name>`) only inside the database transaction that stores the activity
//! referring to it. Files in `proofs/` that no activity refers to are removed only while the
//! database's write lock is held, so a copy is never removed between being named and being
//! referred to, and one whose activity never committed (a killed `log`) is removed the next time.
//!
//! A proof given as a symbolic link is followed: the file it points to is copied, and the caller
//! is told which (the user chose the link; a proof is its content).

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::activity::Proof;
use crate::error::{Error, Result};
use crate::partial::{self, Partial};
use crate::quote;

pub const PROOFS_DIR: &str = "proofs";
const MAX_PROOF_BYTES: u64 = 200 * 1024 * 1024;
/// Bytes of the original name kept in the stored name: with the hash before it and the longest
/// suffix, well inside the 255 bytes a file name may have.
const NAME_BYTES: usize = 100;

/// A proof copied and hashed, under a temporary name until [`StagedProof::place`].
pub struct StagedProof {
    partial: Partial,
    proof: Proof,
    /// The file copied, when the path given was a link to it.
    pub link_target: Option<PathBuf>,
}

/// The original name as a file name of ours: letters, digits, `.-_` (others become `_`), cut
/// on a character boundary to at most [`NAME_BYTES`] bytes.
fn safe_name(original: &str) -> String {
    let mut name = String::new();
    for c in original.chars() {
        let c = if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' };
        if name.len() + c.len_utf8() > NAME_BYTES {
            break;
        }
        name.push(c);
    }
    name
}

/// Copies `source` (the file it points to, when it is a link) into `<data_dir>/proofs/` under a
/// temporary name, hashing it on the way.
pub fn stage(data_dir: &Path, source: &Path) -> Result<StagedProof> {
    let shown = quote::path(source);
    let metadata =
        std::fs::metadata(source).map_err(|_| Error::invalid("proof", format!("file not found: {shown}")))?;
    if !metadata.is_file() {
        return Err(Error::invalid("proof", format!("not a file: {shown}")));
    }
    if metadata.len() > MAX_PROOF_BYTES {
        return Err(Error::invalid("proof", format!("{shown} is larger than 200 MB")));
    }
    let original_name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::invalid("proof", format!("no file name in {shown}")))?;
    let is_link = std::fs::symlink_metadata(source).is_ok_and(|m| m.file_type().is_symlink());
    let link_target = if is_link { std::fs::canonicalize(source).ok() } else { None };
    let mut input = File::open(source).map_err(|e| Error::io(format!("reading {shown}"), e))?;
    let dir = data_dir.join(PROOFS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let mut partial = Partial::create(&dir, "proof")?;
    let sha256 = copy_hashing(&mut input, partial.file()).map_err(|e| match e {
        CopyError::TooLarge => Error::invalid("proof", format!("{shown} is larger than 200 MB")),
        CopyError::Read(e) => Error::io(format!("reading {shown}"), e),
        CopyError::Write(e) => Error::io(format!("writing {}", dir.display()), e),
    })?;
    let stored_path = format!("{PROOFS_DIR}/{}-{}", &sha256[..16], safe_name(&original_name));
    Ok(StagedProof { partial, proof: Proof { stored_path, original_name, sha256 }, link_target })
}

pub(crate) enum CopyError {
    TooLarge,
    Read(std::io::Error),
    Write(std::io::Error),
}

/// Copies `input` to `output` in blocks, at most [`MAX_PROOF_BYTES`] (the file may grow after
/// it was measured), syncs the copy, and returns the SHA-256 of what was copied.
pub(crate) fn copy_hashing(input: &mut impl Read, output: &mut File) -> std::result::Result<String, CopyError> {
    let mut hasher = Sha256::new();
    let mut block = vec![0u8; 256 * 1024];
    let mut copied: u64 = 0;
    loop {
        let n = match input.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        copied += n as u64;
        if copied > MAX_PROOF_BYTES {
            return Err(CopyError::TooLarge);
        }
        hasher.update(&block[..n]);
        output.write_all(&block[..n]).map_err(CopyError::Write)?;
    }
    output.sync_all().map_err(CopyError::Write)?;
    Ok(format!("{:x}", hasher.finalize()))
}

impl StagedProof {
    /// Gives the copy its final name, or drops it when the same file is stored already; returns
    /// the proof and whether its file is new. Call inside the write transaction that stores the
    /// activity referring to it (see the module's documentation).
    pub fn place(self, data_dir: &Path) -> Result<(Proof, bool)> {
        let destination = data_dir.join(&self.proof.stored_path);
        if destination.exists() {
            return Ok((self.proof, false));
        }
        self.partial.keep_as(&destination)?;
        Ok((self.proof, true))
    }
}

/// Removes abandoned partial copies, and the files in `proofs/` that are not in `in_use` (the
/// `proofs/…` paths activities refer to). Call with the database's write lock held.
pub fn remove_unused(data_dir: &Path, in_use: &HashSet<String>) {
    let dir = data_dir.join(PROOFS_DIR);
    partial::remove_abandoned(&dir);
    for path in unused(data_dir, in_use) {
        let _ = std::fs::remove_file(path);
    }
}

/// The whole copies in `proofs/` that no activity refers to (partial files aside).
pub fn unused(data_dir: &Path, in_use: &HashSet<String>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data_dir.join(PROOFS_DIR)) else { return Vec::new() };
    entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_partial = name.ends_with(&format!(".{}", partial::EXTENSION));
            !is_partial && !in_use.contains(&format!("{PROOFS_DIR}/{name}"))
        })
        .map(|entry| entry.path())
        .collect()
}

/// Whether `proofs/` holds anything to tidy: a copy nobody refers to, or a partial file.
pub fn needs_tidying(data_dir: &Path, in_use: &HashSet<String>) -> bool {
    let has_partial = std::fs::read_dir(data_dir.join(PROOFS_DIR)).is_ok_and(|entries| {
        entries.flatten().any(|e| e.file_name().to_string_lossy().ends_with(&format!(".{}", partial::EXTENSION)))
    });
    has_partial || !unused(data_dir, in_use).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(data_dir: &Path, source: &Path) -> Result<(Proof, bool)> {
        stage(data_dir, source)?.place(data_dir)
    }

    /// Checks a stored proof against its recorded hash.
    fn verify(data_dir: &Path, proof: &Proof) -> bool {
        let mut file = File::open(data_dir.join(&proof.stored_path)).unwrap();
        let mut sink = tempfile::tempfile().unwrap();
        matches!(copy_hashing(&mut file, &mut sink), Ok(sha) if sha == proof.sha256)
    }

    #[test]
    fn copies_with_hash_and_survives_deleting_the_original() {
        let data = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let original = outside.path().join("CPR card (2026).pdf");
        std::fs::write(&original, b"certificate").unwrap();
        let (proof, newly_written) = store(data.path(), &original).unwrap();
        assert!(newly_written);
        let (again, newly_written) = store(data.path(), &original).unwrap();
        assert_eq!((again, newly_written), (proof.clone(), false), "the same file is stored once");
        assert_eq!(proof.original_name, "CPR card (2026).pdf");
        assert_eq!(proof.sha256, "03d66dd08835c1ca3f128cceacd1f31ac94163096b20f445ae84285bc0832d72");
        std::fs::remove_file(&original).unwrap();
        assert!(verify(data.path(), &proof));
        assert!(proof.stored_path.starts_with("proofs/"));
        assert!(!proof.stored_path.contains(' '));
        let names: Vec<_> = std::fs::read_dir(data.path().join(PROOFS_DIR)).unwrap().collect();
        assert_eq!(names.len(), 1, "no partial copy is left");
    }

    #[test]
    fn a_missing_file_is_a_clear_error() {
        let data = tempfile::tempdir().unwrap();
        let error = stage(data.path(), Path::new("/nonexistent/cert.pdf")).err().unwrap();
        assert_eq!(error.field(), Some("proof"));
        assert!(error.to_string().contains("file not found"));
        assert!(!data.path().join(PROOFS_DIR).exists());
    }

    #[test]
    fn safe_names_are_cut_by_bytes_on_a_character_boundary() {
        assert_eq!(safe_name("CPR card (2026).pdf"), "CPR_card__2026_.pdf");
        let wide = safe_name(&"証".repeat(81));
        assert_eq!(wide, "証".repeat(33), "33 three-byte characters fit in 100 bytes");
    }

    #[test]
    fn an_unused_copy_and_an_abandoned_partial_are_removed() {
        let data = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let original = outside.path().join("a.pdf");
        std::fs::write(&original, b"a").unwrap();
        let (used, _) = store(data.path(), &original).unwrap();
        let dir = data.path().join(PROOFS_DIR);
        std::fs::write(dir.join("0000000000000000-b.pdf"), b"b").unwrap();
        std::fs::write(dir.join(".proof-1-1.partial"), b"half").unwrap();
        let in_use = HashSet::from([used.stored_path.clone()]);
        assert!(needs_tidying(data.path(), &in_use));
        remove_unused(data.path(), &in_use);
        assert!(!needs_tidying(data.path(), &in_use));
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, vec![std::ffi::OsString::from(used.stored_path.trim_start_matches("proofs/"))]);
    }
}
