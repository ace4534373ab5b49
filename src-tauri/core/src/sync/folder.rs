//! The shared folder: files a sync tool cannot get wrong.
//!
//! `recert-sync/<device>/` holds each computer's change files; only that computer writes there,
//! each file under a new name (a unique locked temporary name, then a rename), never changed
//! afterwards. A file starts with one line of JSON (the format, the schema version of the Recert
//! that wrote it, the device, how many bytes follow and their SHA-256), then the changes. A file
//! still arriving (shorter, or with other bytes) is skipped until it is whole; a file from a newer
//! Recert waits. A snapshot (the whole merged state) lets a computer remove its older files.
//! `recert-sync/proofs/<sha256>` holds proof files by their content.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Change, FieldValue};

use crate::error::{Error, Result};
use crate::partial::Partial;
use crate::quote;

/// The folder Recert keeps inside the shared folder.
pub const ROOT: &str = "recert-sync";
/// Proof files, named by their SHA-256, inside [`ROOT`].
pub const PROOFS: &str = "proofs";
/// The format of the files; a newer one waits like a newer schema.
pub const FORMAT: u32 = 1;
/// A computer writes a snapshot and removes its older files once it has this many.
pub const FILES_BEFORE_SNAPSHOT: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Changes,
    Snapshot,
}

/// The first line of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub recert_sync: u32,
    /// The schema version of the Recert that wrote it.
    pub schema: i64,
    pub device: String,
    pub name: Option<String>,
    pub kind: Kind,
    pub count: usize,
    pub last_hlc: u64,
    /// The bytes after the first line, and their SHA-256 (hex).
    pub bytes: usize,
    pub sha256: String,
}

/// One change as it is written: `[table, key, column, value, hlc, device]`.
type Row = (String, String, String, FieldValue, u64, String);

/// What reading a file found.
#[derive(Debug)]
pub enum Read {
    Whole(Header, Vec<Change>),
    /// Shorter than its header says, or other bytes: still arriving (or damaged); skipped.
    Incomplete,
    /// Written by a newer Recert: waits until this one is updated.
    Newer(Header),
}

/// The file name of a file holding changes up to `last_hlc`: names sort in the order written.
pub fn file_name(kind: Kind, last_hlc: u64) -> String {
    let kind = match kind {
        Kind::Changes => "changes",
        Kind::Snapshot => "snapshot",
    };
    format!("{last_hlc:016x}-{kind}.json")
}

/// Whether `name` is one of the files Recert writes (not a temporary file of Recert or of a sync
/// tool, which start with a dot, nor a conflict copy a sync tool made).
pub fn is_change_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else { return false };
    let Some((hlc, kind)) = stem.split_once('-') else { return false };
    // `-2`, `-3`…: a second file with the same last stamp (written again after a crash).
    let kind = match kind.split_once('-') {
        Some((kind, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => kind,
        _ => kind,
    };
    hlc.len() == 16 && hlc.bytes().all(|b| b.is_ascii_hexdigit()) && (kind == "changes" || kind == "snapshot")
}

/// Writes `changes` as a new file in `dir` (temporary name, then a rename that never replaces a
/// file); returns its name.
pub fn write(dir: &Path, header: Header, changes: &[Change]) -> Result<String> {
    let rows: Vec<Row> = changes
        .iter()
        .map(|c| (c.table.clone(), c.key.clone(), c.column.clone(), c.value.clone(), c.hlc, c.device.clone()))
        .collect();
    let body = serde_json::to_vec(&rows).map_err(|e| Error::Corrupt(e.to_string()))?;
    let header = Header {
        count: rows.len(),
        bytes: body.len(),
        sha256: hex(&Sha256::digest(&body)),
        last_hlc: changes.iter().map(|c| c.hlc).max().unwrap_or(header.last_hlc),
        ..header
    };
    let name = file_name(header.kind, header.last_hlc);
    let mut line = serde_json::to_vec(&header).map_err(|e| Error::Corrupt(e.to_string()))?;
    line.push(b'\n');
    let shown = quote::path(dir);
    let mut partial = Partial::create(dir, "recert-sync")?;
    let written = partial.file().write_all(&line).and_then(|()| partial.file().write_all(&body));
    written.and_then(|()| partial.file().sync_all()).map_err(|e| Error::io(format!("writing into {shown}"), e))?;
    let path = partial.keep_as_new(|n| match n {
        1 => dir.join(&name),
        n => dir.join(file_name(header.kind, header.last_hlc).replace(".json", &format!("-{n}.json"))),
    })?;
    Ok(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or(name))
}

/// Reads a file of the shared folder; `schema`: the newest schema this Recert knows.
pub fn read(path: &Path, schema: i64) -> Result<Read> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        // Removed meanwhile (a snapshot replaced it): nothing to read.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Incomplete),
        Err(error) => return Err(Error::io(format!("reading {}", quote::path(path)), error)),
    };
    let Some(end) = bytes.iter().position(|b| *b == b'\n') else { return Ok(Read::Incomplete) };
    let Ok(header) = serde_json::from_slice::<Header>(&bytes[..end]) else {
        // A header from a newer format may not parse as this one: it says so in `recert_sync`.
        return match serde_json::from_slice::<serde_json::Value>(&bytes[..end]) {
            Ok(value) if value["recert_sync"].as_u64().is_some_and(|v| v > u64::from(FORMAT)) => {
                Ok(Read::Newer(newer_header(&value)))
            }
            _ => Ok(Read::Incomplete),
        };
    };
    if header.recert_sync > FORMAT || header.schema > schema {
        return Ok(Read::Newer(header));
    }
    let body = &bytes[end + 1..];
    if body.len() != header.bytes || hex(&Sha256::digest(body)) != header.sha256 {
        return Ok(Read::Incomplete);
    }
    let rows: Vec<Row> = match serde_json::from_slice(body) {
        Ok(rows) => rows,
        Err(_) => return Ok(Read::Incomplete),
    };
    let changes = rows
        .into_iter()
        .map(|(table, key, column, value, hlc, device)| Change { table, key, column, value, hlc, device })
        .collect();
    Ok(Read::Whole(header, changes))
}

fn newer_header(value: &serde_json::Value) -> Header {
    Header {
        recert_sync: value["recert_sync"].as_u64().unwrap_or(0) as u32,
        schema: value["schema"].as_i64().unwrap_or(0),
        device: value["device"].as_str().unwrap_or_default().to_string(),
        name: value["name"].as_str().map(str::to_string),
        kind: Kind::Changes,
        count: 0,
        last_hlc: 0,
        bytes: 0,
        sha256: String::new(),
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The entries of `dir` (none when it does not exist) whose names pass `keep`, by name.
fn names_in(dir: &Path, keep: impl Fn(&std::fs::DirEntry, &str) -> bool) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(error) => return Err(Error::io(format!("reading {}", quote::path(dir)), error)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            keep(&entry, &name).then_some(name)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// The change files in a device's folder, by name (oldest first).
pub fn list(dir: &Path) -> Result<Vec<String>> {
    names_in(dir, |_, name| is_change_file(name))
}

/// The device folders under `root` (their names), this computer's included.
pub fn devices(root: &Path) -> Result<Vec<String>> {
    names_in(root, |entry, name| entry.file_type().is_ok_and(|t| t.is_dir()) && uuid::Uuid::parse_str(name).is_ok())
}

/// Copies `source` to `dir/<sha256>` unless it is there: a temporary name, then a rename that
/// never replaces a file.
pub fn put_proof(dir: &Path, source: &Path, sha256: &str) -> Result<bool> {
    let target = dir.join(sha256);
    if target.exists() {
        return Ok(false);
    }
    let mut input =
        std::fs::File::open(source).map_err(|e| Error::io(format!("reading {}", quote::path(source)), e))?;
    let mut partial = Partial::create(dir, "recert-proof")?;
    std::io::copy(&mut input, partial.file())
        .and_then(|_| partial.file().sync_all())
        .map_err(|e| Error::io(format!("copying {}", quote::path(source)), e))?;
    partial.keep_if_free(&target)
}

/// Copies the shared proof `dir/<sha256>` to `target` when it is whole (its SHA-256 matches);
/// `false` while it has not arrived. Copied in blocks, hashed on the way, as a proof attached
/// here is: a scan of tens of megabytes is never held in memory.
pub fn take_proof(dir: &Path, sha256: &str, target: &Path) -> Result<bool> {
    use crate::proofs::{copy_hashing, CopyError};
    let source = dir.join(sha256);
    let Ok(mut input) = std::fs::File::open(&source) else { return Ok(false) };
    let folder = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| Error::io(format!("creating {}", quote::path(folder)), e))?;
    let mut partial = Partial::create(folder, "recert-proof")?;
    match copy_hashing(&mut input, partial.file()) {
        Ok(hash) if hash == sha256 => partial.keep_if_free(target),
        // Still arriving (or not the file its name says, or larger than any proof): not yet; the
        // partial copy goes with `partial`.
        Ok(_) | Err(CopyError::Read(_)) | Err(CopyError::TooLarge) => Ok(false),
        Err(CopyError::Write(e)) => Err(Error::io(format!("writing {}", quote::path(target)), e)),
    }
}

/// Marks that file-sync tools leave in the folders they manage, and the tool each means.
const MARKERS: &[(&str, &str)] = &[
    (".stfolder", "Syncthing"),
    (".dropbox", "Dropbox"),
    (".dropbox.cache", "Dropbox"),
    (".nextcloudsync.log", "Nextcloud"),
    (".owncloudsync.log", "ownCloud"),
    (".sync_journal.db", "Nextcloud"),
    (".tmp.drivedownload", "Google Drive"),
];

/// The sync tool that manages `path` or a folder above it, and that folder: the live database must
/// not lie there (a sync tool copying it while it is written loses data).
pub fn managed_by(path: &Path) -> Option<(&'static str, PathBuf)> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    for folder in path.ancestors() {
        for (marker, tool) in MARKERS {
            if folder.join(marker).exists() {
                return Some((tool, folder.to_path_buf()));
            }
        }
        if let Ok(entries) = std::fs::read_dir(folder) {
            // Nextcloud and ownCloud name their journal `._sync_<id>.db` or `.sync_<id>.db`.
            let journal = entries.filter_map(|e| e.ok()).any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name.starts_with("._sync_") || name.starts_with(".sync_")) && name.ends_with(".db")
            });
            if journal {
                return Some(("Nextcloud", folder.to_path_buf()));
            }
        }
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name == "OneDrive" || name.starts_with("OneDrive - ") {
            return Some(("OneDrive", folder.to_path_buf()));
        }
        if name == "Mobile Documents" || name == "iCloud Drive" {
            return Some(("iCloud Drive", folder.to_path_buf()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(hlc: u64) -> Change {
        Change {
            table: "credentials".into(),
            key: "k".into(),
            column: "number".into(),
            value: FieldValue::Text("ABC".into()),
            hlc,
            device: "d".into(),
        }
    }

    fn header() -> Header {
        Header {
            recert_sync: FORMAT,
            schema: 11,
            device: "d".into(),
            name: Some("laptop".into()),
            kind: Kind::Changes,
            count: 0,
            last_hlc: 0,
            bytes: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn a_file_reads_back_whole_and_a_truncated_one_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let name = write(dir.path(), header(), &[change(5), change(9)]).unwrap();
        assert_eq!(name, file_name(Kind::Changes, 9));
        assert!(is_change_file(&name));
        let path = dir.path().join(&name);
        match read(&path, 11).unwrap() {
            Read::Whole(header, changes) => {
                assert_eq!(header.count, 2);
                assert_eq!(changes, vec![change(5), change(9)]);
            }
            other => panic!("{other:?}"),
        }
        let bytes = std::fs::read(&path).unwrap();
        for cut in [0, 10, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(matches!(read(&path, 11).unwrap(), Read::Incomplete), "cut at {cut}");
        }
        let mut other = bytes.clone();
        let last = other.len() - 2;
        other[last] ^= 1;
        std::fs::write(&path, &other).unwrap();
        assert!(matches!(read(&path, 11).unwrap(), Read::Incomplete));
        // No temporary file is left, and a second file with the same stamp gets its own name.
        std::fs::write(&path, &bytes).unwrap();
        let again = write(dir.path(), header(), &[change(9)]).unwrap();
        assert_ne!(again, name);
        let mut both = vec![name, again];
        both.sort();
        assert_eq!(list(dir.path()).unwrap(), both);
        assert!(
            !is_change_file(".recert-sync-1-0.partial")
                && !is_change_file("0000000000000009-changes.sync-conflict.json")
        );
    }

    #[test]
    fn a_file_from_a_newer_recert_waits() {
        let dir = tempfile::tempdir().unwrap();
        let name = write(dir.path(), Header { schema: 12, ..header() }, &[change(5)]).unwrap();
        assert!(matches!(read(&dir.path().join(name), 11).unwrap(), Read::Newer(h) if h.schema == 12));
    }

    #[test]
    fn folders_managed_by_a_sync_tool_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a/b");
        std::fs::create_dir_all(&inner).unwrap();
        assert_eq!(managed_by(&inner), None);
        std::fs::create_dir(dir.path().join("a/.stfolder")).unwrap();
        let (tool, folder) = managed_by(&inner).unwrap();
        assert_eq!(tool, "Syncthing");
        assert_eq!(folder, std::fs::canonicalize(dir.path().join("a")).unwrap());
    }
}
