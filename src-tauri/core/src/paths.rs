//! Where the data lives: `--data-dir`, else `$RECERT_DATA_DIR`, else the platform data folder
//! (`~/.local/share/recert` on Linux).

use std::ffi::OsString;
use std::path::PathBuf;

use crate::error::{Error, Result};

pub const DATA_DIR_VARIABLE: &str = "RECERT_DATA_DIR";

/// Resolves the data folder from the command-line flag and the environment variable's value.
pub fn resolve_data_dir(flag: Option<PathBuf>, variable: Option<OsString>) -> Result<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    if let Some(dir) = variable.filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("org", "Recert", "recert")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or_else(|| Error::invalid("data-dir", "no home folder found: pass --data-dir DIR or set RECERT_DATA_DIR"))
}

/// The data folder as this process was asked for it.
pub fn data_dir_from_env(flag: Option<PathBuf>) -> Result<PathBuf> {
    resolve_data_dir(flag, std::env::var_os(DATA_DIR_VARIABLE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_variable_beats_platform_folder() {
        let flag = Some(PathBuf::from("/a"));
        assert_eq!(resolve_data_dir(flag, Some("/b".into())).unwrap(), PathBuf::from("/a"));
        assert_eq!(resolve_data_dir(None, Some("/b".into())).unwrap(), PathBuf::from("/b"));
        let platform = resolve_data_dir(None, None).unwrap();
        assert!(platform.ends_with("recert"), "{}", platform.display());
    }
}
