//! Proof files (certificates, receipts) copied into the data folder with their SHA-256, so the
//! user may delete the original and an auditor can check the copy.

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::activity::Proof;
use crate::error::{Error, Result};

pub const PROOFS_DIR: &str = "proofs";
const MAX_PROOF_BYTES: u64 = 200 * 1024 * 1024;

/// Copies `source` into `<data_dir>/proofs/`, named by its hash so the same file is stored once.
/// Returns the proof and whether this call wrote the copy (false: it was already there).
pub fn store_proof(data_dir: &Path, source: &Path) -> Result<(Proof, bool)> {
    let metadata = std::fs::metadata(source)
        .map_err(|_| Error::invalid("proof", format!("file not found: {}", crate::quote::path(source))))?;
    if !metadata.is_file() {
        return Err(Error::invalid("proof", format!("not a file: {}", crate::quote::path(source))));
    }
    if metadata.len() > MAX_PROOF_BYTES {
        return Err(Error::invalid("proof", format!("{} is larger than 200 MB", crate::quote::path(source))));
    }
    let original_name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::invalid("proof", format!("no file name in {}", crate::quote::path(source))))?;
    let bytes = read_all(source)?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let safe_name: String = original_name
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .take(80)
        .collect();
    let relative = format!("{PROOFS_DIR}/{}-{safe_name}", &sha256[..16]);
    let destination = data_dir.join(&relative);
    let newly_written = !destination.exists();
    if newly_written {
        let dir = data_dir.join(PROOFS_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        // Write beside the destination, flush, then rename: a crash never leaves half a proof.
        let partial = destination.with_extension("partial");
        let mut file = File::create(&partial).map_err(|e| Error::io(format!("writing {}", partial.display()), e))?;
        file.write_all(&bytes)
            .and_then(|_| file.sync_all())
            .map_err(|e| Error::io(format!("writing {}", partial.display()), e))?;
        std::fs::rename(&partial, &destination)
            .map_err(|e| Error::io(format!("writing {}", destination.display()), e))?;
    }
    Ok((Proof { stored_path: relative, original_name, sha256 }, newly_written))
}

fn read_all(source: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    File::open(source)
        .and_then(|mut file| file.read_to_end(&mut bytes))
        .map_err(|e| Error::io(format!("reading {}", crate::quote::path(source)), e))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a stored proof against its recorded hash.
    fn verify(data_dir: &Path, proof: &Proof) -> Result<bool> {
        let bytes = read_all(&data_dir.join(&proof.stored_path))?;
        Ok(format!("{:x}", Sha256::digest(&bytes)) == proof.sha256)
    }

    #[test]
    fn copies_with_hash_and_survives_deleting_the_original() {
        let data = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let original = outside.path().join("CPR card (2026).pdf");
        std::fs::write(&original, b"certificate").unwrap();
        let (proof, newly_written) = store_proof(data.path(), &original).unwrap();
        assert!(newly_written);
        let (again, newly_written) = store_proof(data.path(), &original).unwrap();
        assert_eq!((again, newly_written), (proof.clone(), false), "the same file is stored once");
        assert_eq!(proof.original_name, "CPR card (2026).pdf");
        assert_eq!(proof.sha256, "03d66dd08835c1ca3f128cceacd1f31ac94163096b20f445ae84285bc0832d72");
        std::fs::remove_file(&original).unwrap();
        assert!(verify(data.path(), &proof).unwrap());
        assert!(proof.stored_path.starts_with("proofs/"));
        assert!(!proof.stored_path.contains(' '));
    }

    #[test]
    fn a_missing_file_is_a_clear_error() {
        let data = tempfile::tempdir().unwrap();
        let error = store_proof(data.path(), Path::new("/nonexistent/cert.pdf")).unwrap_err();
        assert_eq!(error.field(), Some("proof"));
        assert!(error.to_string().contains("file not found"));
        assert!(!data.path().join(PROOFS_DIR).exists());
    }
}
