//! Files being written (a proof copy, a backup) live under a `*.partial` name until they are
//! complete, then move to their final name in one step, so a crash never leaves half a file
//! under a real name. The writer holds an exclusive lock on its partial file for its whole life:
//! a partial file nobody holds belongs to a process that died, and may be removed.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

pub const EXTENSION: &str = "partial";

/// A file being written, removed on drop unless [`Partial::keep_as`] gave it a final name.
pub struct Partial {
    file: File,
    path: PathBuf,
    kept: bool,
}

impl Partial {
    /// Creates an empty, locked `.<what>-<pid>-<n>.partial` in `dir` (which must exist).
    pub fn create(dir: &Path, what: &str) -> Result<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(".{what}-{}-{n}.{EXTENSION}", std::process::id()));
            match File::options().read(true).write(true).create_new(true).open(&path) {
                Ok(file) => {
                    file.lock().map_err(|e| Error::io(format!("locking {}", path.display()), e))?;
                    return Ok(Self { file, path, kept: false });
                }
                // Left by an earlier process with this pid: try the next number.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(Error::io(format!("creating {}", path.display()), error)),
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// Gives the complete file the first free name `candidate(1)`, `candidate(2)`, … in one step
    /// that never replaces an existing file; returns that name.
    pub fn keep_as_new(mut self, candidate: impl Fn(u32) -> PathBuf) -> Result<PathBuf> {
        for n in 1.. {
            let path = candidate(n);
            if self.name_if_free(&path)? {
                return Ok(path);
            }
        }
        unreachable!("some name is free")
    }

    /// Gives the complete file the name `path` unless a file has it already (then `false`, and
    /// the partial file is removed on drop).
    pub fn keep_if_free(mut self, path: &Path) -> Result<bool> {
        self.name_if_free(path)
    }

    fn name_if_free(&mut self, path: &Path) -> Result<bool> {
        // A second name for the file, then the partial name goes on drop.
        match std::fs::hard_link(&self.path, path) {
            Ok(()) => Ok(true),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            // Filesystems without hard links (FAT): reserve the name, then move over it.
            Err(_) => match File::create_new(path) {
                Ok(_) => {
                    self.rename_to(path)?;
                    Ok(true)
                }
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                Err(error) => Err(Error::io(format!("writing {}", path.display()), error)),
            },
        }
    }

    /// Moves the complete file to `path`, replacing what is there.
    pub fn keep_as(mut self, path: &Path) -> Result<()> {
        self.rename_to(path)
    }

    fn rename_to(&mut self, path: &Path) -> Result<()> {
        std::fs::rename(&self.path, path).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Removes the partial files in `dir` whose writer is gone (nobody holds their lock).
pub fn remove_abandoned(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != EXTENSION) {
            continue;
        }
        let Ok(file) = File::open(&path) else { continue };
        if file.try_lock().is_ok() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_file_in_use_is_kept_and_an_abandoned_one_removed() {
        let dir = tempfile::tempdir().unwrap();
        let in_use = Partial::create(dir.path(), "proof").unwrap();
        let abandoned = dir.path().join(".proof-1-1.partial");
        std::fs::write(&abandoned, b"half").unwrap();
        remove_abandoned(dir.path());
        assert!(in_use.path().exists());
        assert!(!abandoned.exists());
        let path = in_use.path().to_path_buf();
        drop(in_use);
        assert!(!path.exists(), "dropped unfinished: removed");
    }

    #[test]
    fn kept_under_the_first_free_name() {
        let dir = tempfile::tempdir().unwrap();
        let name = |n: u32| dir.path().join(if n == 1 { "b.db".to_string() } else { format!("b-{n}.db") });
        std::fs::write(dir.path().join("b.db"), b"older").unwrap();
        let mut partial = Partial::create(dir.path(), "backup").unwrap();
        std::io::Write::write_all(partial.file(), b"newer").unwrap();
        let kept = partial.keep_as_new(name).unwrap();
        assert_eq!(kept, dir.path().join("b-2.db"));
        assert_eq!(std::fs::read(&kept).unwrap(), b"newer");
        assert_eq!(std::fs::read(dir.path().join("b.db")).unwrap(), b"older");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "the partial name is gone");
    }
}
