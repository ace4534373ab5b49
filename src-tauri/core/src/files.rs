//! Files Recert writes for the user (spreadsheets, calendars, audit packets): written whole or not
//! at all, so a half-written file never replaces a good one (a calendar app may read it any time).

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `path` through `write` into a temporary file beside it, then renames it into place.
pub fn write_atomically(path: &Path, write: impl FnOnce(&mut File) -> Result<()>) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name =
        path.file_name().ok_or_else(|| Error::invalid("out", format!("{} is not a file name", path.display())))?;
    let partial = dir.join(format!(".{}.partial", name.to_string_lossy()));
    let mut file = File::create(&partial).map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    let written = write(&mut file).and_then(|()| file.sync_all().map_err(|e| Error::io("writing", e)));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        Error::io(format!("writing {}", path.display()), e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_partial() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deadlines.ics");
        std::fs::write(&path, "old").unwrap();
        let failed = write_atomically(&path, |file| {
            use std::io::Write;
            file.write_all(b"half").unwrap();
            Err(Error::invalid("out", "stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no partial file left");
        write_atomically(&path, |file| {
            use std::io::Write;
            file.write_all(b"new").map_err(|e| Error::io("test", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}
