//! Sync with the user's other computers through a shared folder (issue 22): choosing the folder,
//! a sync (this computer's new changes out as a new file, the other computers' new files in,
//! proofs both ways, now and then a snapshot), what is waiting, leaving.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Recert;
use crate::error::{Error, Result};
use crate::quote;
use crate::store::{migrate, Applied, Read, Tx};
use crate::sync::folder::{self, Header, Kind, FILES_BEFORE_SNAPSHOT, FORMAT, PROOFS, ROOT};
use crate::sync::{clock, Change, FieldValue};

/// What a sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Changes of this computer written to the shared folder.
    pub sent: usize,
    /// Files of other computers applied, and the fields they changed here.
    pub files_applied: usize,
    pub fields_changed: usize,
    pub proofs_sent: usize,
    pub proofs_received: usize,
    /// A snapshot was written and this computer's older files removed.
    pub snapshot: bool,
    /// What could not be applied yet, in words.
    pub waiting: Vec<String>,
}

impl SyncReport {
    /// Whether the sync changed data here (what the window shows, what reminders read).
    pub fn changed_here(&self) -> bool {
        self.fields_changed > 0 || self.proofs_received > 0
    }
}

/// Another computer as the status shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PeerStatus {
    pub device: String,
    pub name: Option<String>,
    /// When it last wrote a change this computer applied (by its clock), ISO.
    pub last_sent_at: Option<String>,
    /// When this computer last applied something from it, ISO.
    pub received_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncStatus {
    /// The shared folder; `None`: this computer does not sync.
    pub folder: Option<PathBuf>,
    pub device: String,
    pub name: Option<String>,
    pub devices: Vec<PeerStatus>,
    /// This computer's changes not yet in the shared folder.
    pub unsent: usize,
    /// Files in the shared folder not applied yet, and rows received that wait, in words.
    pub waiting: Vec<String>,
    /// Where the database lies inside a folder a sync tool manages, the warning.
    pub warning: Option<String>,
}

/// The name this computer goes by for the others, unless the user gives one.
pub fn default_device_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "this computer".into())
}

/// The warning for a data folder inside a folder a sync tool manages.
pub fn data_folder_warning(data_dir: &Path) -> Option<String> {
    folder::managed_by(data_dir).map(|(tool, managed)| {
        format!(
            "the data folder {} lies inside {}, which {tool} syncs: a sync tool copying the live database while \
             Recert writes it can lose data. Move the data folder out (--data-dir) and let Recert sync through a \
             shared folder instead (recert sync --folder)",
            quote::path(data_dir),
            quote::path(&managed)
        )
    })
}

fn is_inside(inner: &Path, outer: &Path) -> bool {
    match (std::fs::canonicalize(inner), std::fs::canonicalize(outer)) {
        (Ok(inner), Ok(outer)) => inner.starts_with(outer),
        _ => false,
    }
}

/// A proof path a synced activity names, checked: `proofs/<one name>`, nothing else.
fn safe_proof_path(path: &str) -> bool {
    match path.strip_prefix(&format!("{}/", crate::proofs::PROOFS_DIR)) {
        Some(name) => {
            !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != "." && !name.starts_with('.')
        }
        None => false,
    }
}

impl Recert {
    /// Syncs through `folder` from now on (and names this computer `name`). The live database
    /// never goes there: a folder inside the data folder, or holding it, is refused.
    pub fn set_sync_folder(&mut self, folder: &Path, name: Option<&str>) -> Result<PathBuf> {
        let shown = quote::path(folder);
        let meta = std::fs::metadata(folder).map_err(|_| {
            Error::invalid("folder", format!("{shown} does not exist: create it (or let your sync tool) first"))
        })?;
        if !meta.is_dir() {
            return Err(Error::invalid("folder", format!("{shown} is not a folder")));
        }
        if is_inside(folder, &self.data_dir) || is_inside(&self.data_dir, folder) {
            return Err(Error::invalid(
                "folder",
                format!(
                    "{shown} and the data folder {} hold one another: the live database must stay out of the shared \
                     folder. Choose a folder elsewhere",
                    quote::path(&self.data_dir)
                ),
            ));
        }
        let absolute = std::fs::canonicalize(folder).map_err(|e| Error::io(format!("reading {shown}"), e))?;
        // A blank name is no name: the computer's own then.
        let name = name.map(|n| crate::credential::clean_text("name", n, false)).transpose()?.flatten();
        let name = name.unwrap_or_else(default_device_name);
        let text = absolute.to_string_lossy().into_owned();
        self.store.write(|tx| tx.set_sync_folder(Some(&text), Some(&name)))?;
        Ok(absolute)
    }

    /// Stops syncing this computer (the shared folder and the other computers keep their files).
    pub fn leave_sync(&mut self) -> Result<Option<PathBuf>> {
        let folder = self.store.sync_device()?.folder.map(PathBuf::from);
        self.store.write(|tx| tx.set_sync_folder(None, None))?;
        Ok(folder)
    }

    fn shared_root(&self) -> Result<PathBuf> {
        let Some(folder) = self.store.sync_device()?.folder else {
            return Err(Error::invalid(
                "folder",
                "this computer does not sync yet: choose the shared folder with recert sync --folder DIR",
            ));
        };
        let folder = PathBuf::from(folder);
        if !folder.is_dir() {
            return Err(Error::invalid(
                "folder",
                format!(
                    "the shared folder {} is not there (a drive not plugged in, or a folder moved): nothing was synced",
                    quote::path(&folder)
                ),
            ));
        }
        Ok(folder.join(ROOT))
    }

    /// One sync: this computer's new changes go out as a new file, the other computers' new files
    /// come in (all of them in one transaction), proofs travel both ways, and when this computer
    /// has many files a snapshot replaces them.
    pub fn sync(&mut self, now: DateTime<Utc>) -> Result<SyncReport> {
        let root = self.shared_root()?;
        let me = self.store.sync_device()?;
        let mine = root.join(&me.device);
        let proofs = root.join(PROOFS);
        for dir in [&mine, &proofs] {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", quote::path(dir)), e))?;
        }
        let mut report = SyncReport::default();
        // In: every file of the other computers not applied yet, in one transaction.
        let schema = migrate::latest_version();
        let mut batch: Vec<Change> = Vec::new();
        // Each file with the changes it brought (their range in `batch`).
        let mut files: Vec<(Header, String, std::ops::Range<usize>)> = Vec::new();
        let mut present: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for device in folder::devices(&root)? {
            if device == me.device {
                continue;
            }
            let dir = root.join(&device);
            let names = folder::list(&dir)?;
            let applied = self.store.sync_applied_files(&device)?;
            for name in &names {
                if applied.contains(name) {
                    continue;
                }
                match folder::read(&dir.join(name), schema)? {
                    folder::Read::Whole(header, changes) if header.device == device => {
                        let start = batch.len();
                        batch.extend(changes);
                        files.push((header, name.clone(), start..batch.len()));
                    }
                    folder::Read::Whole(..) => {
                        report.waiting.push(format!("{name} in {device} names another computer: skipped"))
                    }
                    folder::Read::Incomplete => {
                        report.waiting.push(format!("{name} from {} is still arriving", peer_name(self, &device)))
                    }
                    folder::Read::Newer(header) => report.waiting.push(newer_message(&header)),
                }
            }
            present.insert(device, names.into_iter().collect());
        }
        let applied = self.store.write(|tx| {
            let applied = apply_remote(tx, &batch, now)?;
            let ahead: std::collections::HashSet<&Change> = applied.ahead.iter().collect();
            for (header, name, changes) in &files {
                // A file holding a change stamped too far ahead is read again next time; the file
                // decides, not the device that made the change (a snapshot carries every device's).
                if batch[changes.clone()].iter().any(|change| ahead.contains(change)) {
                    continue;
                }
                tx.note_peer_file(&header.device, header.name.as_deref(), name, header.last_hlc, now)?;
            }
            for (device, names) in &present {
                tx.forget_peer_files(device, names)?;
            }
            Ok(applied)
        })?;
        report.fields_changed = applied.changed;
        if applied.unknown > 0 {
            report.waiting.push(format!(
                "{} change(s) name a table this Recert does not sync: left out (a damaged or foreign file)",
                applied.unknown
            ));
        }
        report.files_applied = files.len();
        if let Some(first) = applied.ahead.first() {
            let minutes = (clock::instant(first.hlc) - now).num_minutes();
            report.waiting.push(format!(
                "{} change(s) from {} are stamped {minutes} minutes ahead of this computer's clock (more than {} \
                 allowed): they wait until this clock catches up; check the clock of that computer",
                applied.ahead.len(),
                peer_name(self, &first.device),
                crate::sync::CLOCK_BOUND.as_secs() / 60
            ));
        }
        for row in self.store.sync_waiting()? {
            report.waiting.push(format!("a row of {} {}", row.table, row.reason));
        }
        // Out: this computer's changes since its last file.
        report.sent = self.send_changes_with(now, |header, changes| folder::write(&mine, header, changes))?;
        // Proofs both ways.
        let (sent, received) = self.exchange_proofs(&proofs)?;
        report.proofs_sent = sent;
        report.proofs_received = received;
        // Many files of this computer: one snapshot holds all they said.
        if folder::list(&mine)?.len() > FILES_BEFORE_SNAPSHOT {
            self.write_snapshot(&mine, now)?;
            report.snapshot = true;
        }
        Ok(report)
    }

    /// Writes the whole merged state as a snapshot, then removes this computer's older files:
    /// what they said is in it (a later stamp won, or they are there).
    pub fn write_snapshot(&mut self, mine: &Path, now: DateTime<Utc>) -> Result<String> {
        let me = self.store.sync_device()?;
        let older = folder::list(mine)?;
        let schema = migrate::latest_version();
        let (written, _) = self
            .send(
                now,
                |tx| {
                    let state = tx.sync_snapshot()?;
                    let last = state.iter().map(|c| c.hlc).max().unwrap_or(me.last_hlc).max(me.last_hlc);
                    let header =
                        Header { last_hlc: last, ..header(&me.device, me.name.clone(), Kind::Snapshot, schema) };
                    Ok(Some((header, state, last)))
                },
                |header, state| folder::write(mine, header, state),
            )?
            .ok_or_else(|| Error::invalid("folder", "syncing was turned off meanwhile: no snapshot was written"))?;
        for name in older.iter().filter(|name| **name != written) {
            let _ = std::fs::remove_file(mine.join(name));
        }
        Ok(written)
    }

    /// Sends this computer's changes since its last file with `write` (into the shared folder,
    /// or elsewhere in tests); how many went.
    fn send_changes_with(
        &mut self,
        now: DateTime<Utc>,
        write: impl FnOnce(Header, &[Change]) -> Result<String>,
    ) -> Result<usize> {
        let me = self.store.sync_device()?;
        let schema = migrate::latest_version();
        let sent = self.send(
            now,
            |tx| {
                let outgoing = tx.sync_outgoing()?;
                let Some(last) = outgoing.iter().map(|c| c.hlc).max() else { return Ok(None) };
                Ok(Some((header(&me.device, me.name.clone(), Kind::Changes, schema), outgoing, last)))
            },
            write,
        )?;
        Ok(sent.map_or(0, |(_, count)| count))
    }

    /// Stamps what changed here, takes what to send (`what`: a header, the changes and the last
    /// stamp among them), writes it with `write`, and notes it sent. Returns the file's name and
    /// how many changes it holds; none when there was nothing to send.
    ///
    /// The file is written between two transactions, not inside one: the shared folder may be on
    /// a slow or network drive, and the window and the background would wait on the database's
    /// write lock meanwhile (30 s at most, then fail). Stamps given later are above `last`, so
    /// they stay to send; a file written but not noted (a crash in between) goes again next
    /// time, and the merge takes a change it already has as nothing new. Moved to another shared
    /// folder meanwhile, nothing is noted: that folder gets everything again.
    fn send(
        &mut self,
        now: DateTime<Utc>,
        what: impl FnOnce(&Tx) -> Result<Option<(Header, Vec<Change>, u64)>>,
        write: impl FnOnce(Header, &[Change]) -> Result<String>,
    ) -> Result<Option<(String, usize)>> {
        let taken = self.store.write(|tx| {
            tx.stamp_local_changes(now)?;
            let Some(folder) = tx.sync_device()?.folder else { return Ok(None) };
            Ok(what(tx)?.map(|sending| (folder, sending)))
        })?;
        let Some((folder, (header, changes, last))) = taken else { return Ok(None) };
        let name = write(header, &changes)?;
        self.store.write(|tx| tx.mark_exported(last, &folder))?;
        Ok(Some((name, changes.len())))
    }

    /// Copies this computer's proofs into the shared folder (by SHA-256) and the proofs of the
    /// other computers' activities into the data folder. Returns (sent, received).
    fn exchange_proofs(&mut self, shared: &Path) -> Result<(usize, usize)> {
        let mut sent = 0;
        let mut received = 0;
        for activity in self.store.activities()? {
            let Some(proof) = activity.proof else { continue };
            if !safe_proof_path(&proof.stored_path)
                || proof.sha256.len() != 64
                || !proof.sha256.bytes().all(|b| b.is_ascii_hexdigit())
            {
                continue;
            }
            let local = self.data_dir.join(&proof.stored_path);
            if local.is_file() {
                if folder::put_proof(shared, &local, &proof.sha256)? {
                    sent += 1;
                }
            } else if folder::take_proof(shared, &proof.sha256, &local)? {
                received += 1;
            }
        }
        Ok((sent, received))
    }

    /// Where sync stands: this computer, the others and when each last sent something, what is
    /// waiting. Reads the shared folder; changes nothing.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let me = self.store.sync_device()?;
        let devices = self
            .store
            .sync_peers()?
            .into_iter()
            .map(|peer| PeerStatus {
                device: peer.device,
                name: peer.name,
                last_sent_at: peer.last_sent_at,
                received_at: peer.received_at,
            })
            .collect();
        let mut waiting = Vec::new();
        if me.folder.is_some() {
            if let Ok(root) = self.shared_root() {
                let schema = migrate::latest_version();
                for device in folder::devices(&root)? {
                    if device == me.device {
                        continue;
                    }
                    let applied = self.store.sync_applied_files(&device)?;
                    let new: Vec<String> =
                        folder::list(&root.join(&device))?.into_iter().filter(|n| !applied.contains(n)).collect();
                    for name in &new {
                        if let folder::Read::Newer(header) = folder::read(&root.join(&device).join(name), schema)? {
                            waiting.push(newer_message(&header));
                        }
                    }
                    if !new.is_empty() {
                        waiting.push(format!(
                            "{} new file(s) from {} not applied yet",
                            new.len(),
                            peer_name(self, &device)
                        ));
                    }
                }
            } else {
                waiting.push(format!("the shared folder {} is not there", me.folder.clone().unwrap_or_default()));
            }
        }
        for row in self.store.sync_waiting()? {
            waiting.push(format!("a row of {} {}", row.table, row.reason));
        }
        let unsent = self.store.sync_outgoing()?.len() + self.store.sync_pending_rows()?;
        Ok(SyncStatus {
            folder: me.folder.map(PathBuf::from),
            device: me.device,
            name: me.name,
            devices,
            unsent,
            waiting,
            warning: data_folder_warning(&self.data_dir),
        })
    }

    /// What another computer had in this credential's fields where a later edit won, as the
    /// credential's history says it ("changed on laptop, Dec 6, 14:02: number ABC → ABD"), the
    /// times in `zone` (the computer's own, `chrono::Local`, where a person reads them).
    pub fn credential_sync_history<Tz: chrono::TimeZone>(&self, id: i64, zone: &Tz) -> Result<Vec<String>>
    where
        Tz::Offset: std::fmt::Display,
    {
        let me = self.store.sync_device()?;
        let names: BTreeMap<String, String> = self
            .store
            .sync_peers()?
            .into_iter()
            .map(|peer| (peer.device.clone(), peer.name.unwrap_or(peer.device)))
            .collect();
        let name = |device: &str| -> String {
            if device == me.device {
                me.name.clone().unwrap_or_else(|| "this computer".into())
            } else {
                names.get(device).cloned().unwrap_or_else(|| device.to_string())
            }
        };
        let when = |hlc: u64| clock::instant(hlc).with_timezone(zone).format("%b %-d, %H:%M").to_string();
        let field = |column: &str| column.replace('_', " ");
        let show = |value: &FieldValue| match value {
            FieldValue::Text(text) if text.is_empty() => "(empty)".into(),
            other => quote::value(&other.display()),
        };
        Ok(self
            .store
            .sync_overwritten(id)?
            .into_iter()
            .map(|o| {
                if o.kept_device != me.device {
                    format!(
                        "changed on {}, {}: {} {} → {}",
                        name(&o.kept_device),
                        when(o.kept_hlc),
                        field(&o.column),
                        show(&o.lost),
                        show(&o.kept)
                    )
                } else {
                    format!(
                        "{} had {} {} ({}); the later edit on {} kept {}",
                        name(&o.lost_device),
                        field(&o.column),
                        show(&o.lost),
                        when(o.lost_hlc),
                        name(&o.kept_device),
                        show(&o.kept)
                    )
                }
            })
            .collect())
    }
}

/// Merges remote changes (see `Tx::apply_changes`), then works out again, by the rules, the
/// credits of each credential whose rules or cycle another computer changed, as an edit here
/// would (typed units, a body's refusal and earlier cycles are kept). What that changes is a
/// change of this computer and travels like one.
pub fn apply_remote(tx: &Tx<'_>, changes: &[Change], now: DateTime<Utc>) -> Result<Applied> {
    let applied = tx.apply_changes(changes, now)?;
    for id in &applied.recredit {
        let credential = tx.credential(*id)?;
        let credits = super::credentials::recomputed_credits(tx, &credential)?;
        tx.update_credential(&credential, &credits, None, now)?;
    }
    Ok(applied)
}

fn header(device: &str, name: Option<String>, kind: Kind, schema: i64) -> Header {
    Header {
        recert_sync: FORMAT,
        schema,
        device: device.to_string(),
        name,
        kind,
        count: 0,
        last_hlc: 0,
        bytes: 0,
        sha256: String::new(),
    }
}

fn peer_name(recert: &Recert, device: &str) -> String {
    recert
        .store
        .sync_peers()
        .ok()
        .and_then(|peers| peers.into_iter().find(|p| p.device == device).and_then(|p| p.name))
        .unwrap_or_else(|| device.to_string())
}

fn newer_message(header: &Header) -> String {
    format!(
        "changes from {} were written by a newer Recert (schema {}, this one knows up to {}): they wait until Recert \
         is updated on this computer",
        header.name.clone().unwrap_or_else(|| header.device.clone()),
        header.schema,
        migrate::latest_version()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_inside_proofs_are_written() {
        assert!(safe_proof_path("proofs/0123456789abcdef-cert.pdf"));
        for bad in
            ["proofs/../recert.sqlite3", "proofs/a/b", "../x", "/etc/passwd", "proofs/", "proofs/.hidden", "backups/x"]
        {
            assert!(!safe_proof_path(bad), "{bad}");
        }
    }

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    /// Adds an ACE-CPT earned Jan 15, 2025; its id.
    fn add_ace(recert: &mut Recert, now: DateTime<Utc>) -> i64 {
        let form = crate::credential::CredentialForm {
            preset: Some("ace-cpt".into()),
            earned_on: "2025-01-15".into(),
            ..Default::default()
        };
        recert.add_credential(&form, now, day()).unwrap().id
    }

    fn computer(shared: &Path, name: &str) -> (tempfile::TempDir, Recert) {
        let dir = tempfile::tempdir().unwrap();
        let mut recert = Recert::open(dir.path(), Utc::now()).unwrap();
        recert.set_sync_folder(shared, Some(name)).unwrap();
        (dir, recert)
    }

    #[test]
    fn a_snapshot_replaces_many_files_and_a_computer_joining_later_gets_everything_from_it() {
        let shared = tempfile::tempdir().unwrap();
        let (_a, mut laptop) = computer(shared.path(), "laptop");
        let (_b, mut home) = computer(shared.path(), "home");
        let today = day();
        let id = add_ace(&mut laptop, Utc::now());
        let mut snapshots = 0;
        for n in 0..(FILES_BEFORE_SNAPSHOT + 3) {
            let fields = crate::credential::CredentialText { number: Some(format!("N{n}")), ..Default::default() };
            let changes = crate::credential::CredentialChanges { fields, ..Default::default() };
            laptop.edit_credential(id, &changes, Utc::now(), today).unwrap();
            snapshots += usize::from(laptop.sync(Utc::now()).unwrap().snapshot);
            if n == 10 {
                home.sync(Utc::now()).unwrap();
            }
        }
        assert_eq!(snapshots, 1);
        let mine = shared.path().join(ROOT).join(laptop.store.sync_device().unwrap().device);
        let files = folder::list(&mine).unwrap();
        assert!(files.len() < 5 && files.iter().any(|f| f.contains("snapshot")), "{files:?}");
        let (_c, mut gym) = computer(shared.path(), "gym");
        for computer in [&mut home, &mut gym] {
            computer.sync(Utc::now()).unwrap();
            let credentials = computer.credentials().unwrap();
            assert_eq!(credentials.len(), 1);
            assert_eq!(credentials[0].number.as_deref(), Some(&*format!("N{}", FILES_BEFORE_SNAPSHOT + 2)));
            assert!(computer.store.sync_waiting().unwrap().is_empty());
        }
        assert_eq!(home.store.synced_rows().unwrap(), laptop.store.synced_rows().unwrap());
        assert_eq!(gym.store.synced_rows().unwrap(), laptop.store.synced_rows().unwrap());
    }

    /// The shared folder may be on a slow or network drive: while a file is written there, the
    /// database takes the other programs' writes (the window's, the background's) instead of
    /// making them wait, and the changes are noted sent only once the file is there.
    #[test]
    fn the_database_takes_other_writes_while_changes_are_written_out() {
        let shared = tempfile::tempdir().unwrap();
        let (dir, mut laptop) = computer(shared.path(), "laptop");
        add_ace(&mut laptop, Utc::now());
        let other = rusqlite::Connection::open(dir.path().join(crate::store::DATABASE_FILE)).unwrap();
        other.busy_timeout(std::time::Duration::from_millis(200)).unwrap();
        let failed = laptop.send_changes_with(Utc::now(), |_, _| Err(Error::Corrupt("the drive went away".into())));
        assert!(failed.is_err());
        let mut written = 0;
        let sent = laptop
            .send_changes_with(Utc::now(), |_, changes| {
                other.execute_batch("BEGIN IMMEDIATE; COMMIT;")?;
                written = changes.len();
                Ok("written".into())
            })
            .unwrap();
        assert!(sent > 0 && sent == written, "what failed to go out goes with the next file");
        let nothing = laptop.send_changes_with(Utc::now(), |_, _| panic!("nothing is left to send")).unwrap();
        assert_eq!(nothing, 0);
    }

    /// Syncing moved to another shared folder while a file was being written to the first: the
    /// changes are not noted sent, so the new folder gets them too.
    #[test]
    fn changes_written_to_a_folder_left_meanwhile_go_to_the_new_one_too() {
        let shared = tempfile::tempdir().unwrap();
        let moved = tempfile::tempdir().unwrap();
        let (dir, mut laptop) = computer(shared.path(), "laptop");
        add_ace(&mut laptop, Utc::now());
        let data_dir = dir.path().to_path_buf();
        let sent = laptop
            .send_changes_with(Utc::now(), |_, changes| {
                let mut other = Recert::open(&data_dir, Utc::now())?;
                other.set_sync_folder(moved.path(), None)?;
                Ok(format!("{} changes", changes.len()))
            })
            .unwrap();
        assert!(sent > 0);
        let again = laptop.send_changes_with(Utc::now(), |_, changes| Ok(format!("{}", changes.len()))).unwrap();
        assert!(again >= sent, "everything goes to the new folder");
    }

    /// The history tells when another computer's edit won in the reader's own time, not in UTC.
    #[test]
    fn the_history_of_a_field_says_when_in_the_readers_time() {
        use chrono::TimeZone;
        fn noon() -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 12, 6, 12, 0, 0).unwrap()
        }
        fn five_past() -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 12, 6, 12, 5, 0).unwrap()
        }
        let shared = tempfile::tempdir().unwrap();
        let (_a, mut laptop) = computer(shared.path(), "laptop");
        let (_b, mut home) = computer(shared.path(), "home");
        laptop.store.set_clock(noon);
        home.store.set_clock(five_past);
        let id = add_ace(&mut laptop, noon());
        laptop.sync(noon()).unwrap();
        home.sync(five_past()).unwrap();
        let number = |text: &str| crate::credential::CredentialChanges {
            fields: crate::credential::CredentialText { number: Some(text.into()), ..Default::default() },
            ..Default::default()
        };
        laptop.edit_credential(id, &number("ABC"), noon(), day()).unwrap();
        let home_id = home.credentials().unwrap()[0].id;
        home.edit_credential(home_id, &number("ABD"), five_past(), day()).unwrap();
        home.sync(five_past()).unwrap();
        laptop.sync(five_past()).unwrap();
        let new_york = chrono::FixedOffset::west_opt(5 * 3600).unwrap();
        let history = laptop.credential_sync_history(id, &new_york).unwrap();
        assert!(history.iter().any(|line| line.starts_with("changed on home, Dec 6, 07:05")), "{history:?}");
    }

    fn a_day_ahead() -> DateTime<Utc> {
        Utc::now() + chrono::Duration::days(1)
    }

    /// A change stamped too far ahead waits in the file that carried it, whichever computer made
    /// the change: here the only copy is in another computer's snapshot.
    #[test]
    fn a_snapshot_holding_a_change_from_ahead_is_read_again_until_it_applies() {
        let shared = tempfile::tempdir().unwrap();
        let (_a, mut laptop) = computer(shared.path(), "laptop");
        let (_b, mut home) = computer(shared.path(), "home");
        let (_c, mut gym) = computer(shared.path(), "gym");
        laptop.store.set_clock(a_day_ahead);
        home.store.set_clock(a_day_ahead);
        add_ace(&mut laptop, a_day_ahead());
        laptop.sync(a_day_ahead()).unwrap();
        home.sync(a_day_ahead()).unwrap();
        let root = shared.path().join(ROOT);
        home.write_snapshot(&root.join(home.store.sync_device().unwrap().device), a_day_ahead()).unwrap();
        std::fs::remove_dir_all(root.join(laptop.store.sync_device().unwrap().device)).unwrap();

        let early = gym.sync(Utc::now()).unwrap();
        assert!(gym.credentials().unwrap().is_empty(), "a change from a day ahead waits");
        assert!(!early.waiting.is_empty(), "and says so: {early:?}");
        gym.sync(a_day_ahead() + chrono::Duration::minutes(1)).unwrap();
        assert_eq!(gym.credentials().unwrap().len(), 1, "once this clock has caught up it applies");
    }

    /// A credential removed while this computer did not sync is removed on the others once it
    /// syncs again (nothing marked the removal while syncing was off).
    #[test]
    fn a_removal_made_while_not_syncing_reaches_the_other_computers() {
        let shared = tempfile::tempdir().unwrap();
        let (_a, mut laptop) = computer(shared.path(), "laptop");
        let (_b, mut home) = computer(shared.path(), "home");
        let id = add_ace(&mut laptop, Utc::now());
        laptop.sync(Utc::now()).unwrap();
        home.sync(Utc::now()).unwrap();
        assert_eq!(home.credentials().unwrap().len(), 1);

        laptop.leave_sync().unwrap();
        laptop.remove_credential(id, true).unwrap();
        laptop.set_sync_folder(shared.path(), Some("laptop")).unwrap();
        laptop.sync(Utc::now()).unwrap();
        home.sync(Utc::now()).unwrap();
        assert!(home.credentials().unwrap().is_empty(), "removed on the other computer too");
        assert_eq!(home.store.synced_rows().unwrap(), laptop.store.synced_rows().unwrap());
    }

    /// The window and the CLI pass the name as typed: a blank one is the computer's own name.
    #[test]
    fn a_blank_computer_name_is_the_computers_own() {
        let shared = tempfile::tempdir().unwrap();
        let (_a, laptop) = computer(shared.path(), "  ");
        assert_eq!(laptop.store.sync_device().unwrap().name, Some(default_device_name()));
        let (_b, home) = computer(shared.path(), " home ");
        assert_eq!(home.store.sync_device().unwrap().name.as_deref(), Some("home"));
    }
}
