//! Proof files: copied as a stream, named within the file system's limits, never left behind
//! without an activity, and links followed openly.

use std::io::Read as _;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::{Recert, Run, TODAY};

fn log_with_proof(recert: &Recert, title: &str, proof: &Path) -> Run {
    recert.run(&["log", "--title", title, "--date", "2026-01-05", "--hours", "1", "--proof", proof.to_str().unwrap()])
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn stored_names(recert: &Recert) -> Vec<String> {
    let mut names: Vec<String> =
        recert.proof_files().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_long_name_in_a_wide_script_is_stored_within_the_name_limit() {
    let recert = Recert::new();
    let outside = tempfile::tempdir().unwrap();
    let name = format!("{}.pdf", "証".repeat(81)); // 247 bytes: fits a file name, not with a hash before it
    let proof = write(outside.path(), &name, b"certificate");
    let run = log_with_proof(&recert, "Course", &proof);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let activities = recert.ok(&["activities", "--json"]).json();
    assert_eq!(activities[0]["proof"]["original_name"], name.as_str());
    let stored = recert.data_dir().join(activities[0]["proof"]["stored_path"].as_str().unwrap());
    assert_eq!(std::fs::read(&stored).unwrap(), b"certificate");
    assert!(stored.file_name().unwrap().len() <= 255);
}

/// Peak memory of one `recert` run, in KiB, from the kernel's accounting of the child.
pub(super) fn peak_memory_kib(recert: &Recert, args: &[&str]) -> i64 {
    let mut child = recert.command(TODAY, args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `child` was spawned by us and not waited for yet; wait4 fills `status` and `usage`.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, usage.as_mut_ptr()) };
    assert_eq!(waited, child.id() as libc::pid_t);
    let status = std::process::ExitStatus::from_raw(status);
    assert!(status.success(), "recert {args:?}: {stderr}");
    std::mem::forget(child); // already reaped
                             // SAFETY: wait4 succeeded, so it wrote the whole struct.
    unsafe { usage.assume_init() }.ru_maxrss
}

#[test]
fn a_large_proof_is_copied_without_being_read_whole_into_memory() {
    let recert = Recert::new();
    recert.add("acsm-cpt", "2024-04-01");
    let outside = tempfile::tempdir().unwrap();
    let large = outside.path().join("scan.pdf");
    std::fs::File::create(&large).unwrap().set_len(64 << 20).unwrap();
    let without = peak_memory_kib(&recert, &["log", "--title", "A", "--date", "2026-01-05", "--hours", "1"]);
    let large_arg = large.to_str().unwrap();
    let with = peak_memory_kib(
        &recert,
        &["log", "--title", "B", "--date", "2026-01-05", "--hours", "1", "--proof", large_arg],
    );
    assert!(with - without < 16 << 10, "a 64 MiB proof raised the peak from {without} KiB to {with} KiB");
    assert_eq!(std::fs::metadata(recert.data_dir().join(&recert.proof_files()[0])).unwrap().len(), 64 << 20);
}

#[test]
fn leftovers_of_a_killed_log_are_removed_by_the_next_change() {
    let recert = Recert::new();
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(log_with_proof(&recert, "Kept", &write(outside.path(), "kept.pdf", b"kept")).code, 0);
    let kept = stored_names(&recert);
    let proofs = recert.data_dir().join("proofs");
    write(&proofs, ".proof-4242-0.partial", b"half a cop");
    write(&proofs, "0123456789abcdef-orphan.pdf", b"a whole copy whose activity was never stored");
    recert.ok(&["status"]);
    assert_eq!(stored_names(&recert).len(), 3, "reading leaves the folder alone");
    recert.ok(&["log", "--title", "Next", "--date", "2026-01-06", "--hours", "1"]);
    assert_eq!(stored_names(&recert), kept);
}

#[test]
fn removing_an_activity_removes_the_proof_nothing_else_uses() {
    let recert = Recert::new();
    let outside = tempfile::tempdir().unwrap();
    let shared = write(outside.path(), "shared.pdf", b"one certificate for two activities");
    let own = write(outside.path(), "own.pdf", b"a receipt of its own");
    for (title, proof) in [("A", &shared), ("B", &shared), ("C", &own)] {
        assert_eq!(log_with_proof(&recert, title, proof).code, 0);
    }
    assert_eq!(stored_names(&recert).len(), 2, "the shared file is stored once");
    recert.ok(&["remove-activity", "3"]);
    assert_eq!(stored_names(&recert).len(), 1, "C's receipt went with it");
    recert.ok(&["remove-activity", "1"]);
    assert_eq!(stored_names(&recert).len(), 1, "B still uses the shared file");
    recert.ok(&["remove-activity", "2"]);
    // The day's backup, written after A was logged, refers to the shared file: a restore can
    // bring A back, so its proof stays until no backup refers to it.
    assert_eq!(stored_names(&recert).len(), 1, "a backup still refers to the shared file");
    std::fs::remove_dir_all(recert.data_dir().join("backups")).unwrap();
    recert.ok(&["log", "--title", "Next", "--date", "2026-01-06", "--hours", "1"]);
    assert!(stored_names(&recert).is_empty());
}

#[test]
fn a_link_is_followed_and_the_output_says_so() {
    let recert = Recert::new();
    let outside = tempfile::tempdir().unwrap();
    let target = write(outside.path(), "real-certificate.pdf", b"the certificate");
    let link = outside.path().join("cert.pdf");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let run = log_with_proof(&recert, "Linked", &link);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("cert.pdf is a link: copied {}", target.display())),
        "says which file was copied: {}",
        run.stdout
    );
    let activities = recert.ok(&["activities", "--json"]).json();
    assert_eq!(activities[0]["proof"]["original_name"], "cert.pdf");
    let json = recert
        .ok(&[
            "log",
            "--title",
            "Again",
            "--date",
            "2026-01-05",
            "--hours",
            "1",
            "--proof",
            link.to_str().unwrap(),
            "--json",
        ])
        .json();
    assert_eq!(json["proof_link_target"], target.to_str().unwrap());

    let dangling = outside.path().join("gone.pdf");
    std::os::unix::fs::symlink(outside.path().join("nothing-here"), &dangling).unwrap();
    let refused = log_with_proof(&recert, "Dangling", &dangling);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("file not found"), "{}", refused.stderr);
    let to_a_folder = outside.path().join("folder.pdf");
    std::os::unix::fs::symlink(outside.path(), &to_a_folder).unwrap();
    let refused = log_with_proof(&recert, "Folder", &to_a_folder);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("not a file"), "{}", refused.stderr);
}

#[test]
fn an_edit_attaches_replaces_and_removes_a_proof() {
    let recert = Recert::new();
    let outside = tempfile::tempdir().unwrap();
    recert.ok(&["log", "--title", "Workshop", "--date", "2026-01-05", "--hours", "1"]);
    let receipt = write(outside.path(), "receipt.pdf", b"the receipt");
    let certificate = write(outside.path(), "certificate.pdf", b"the certificate");

    let run = recert.ok(&["edit-activity", "1", "--proof", receipt.to_str().unwrap()]);
    assert!(run.stdout.contains("Proof: receipt.pdf"), "{}", run.stdout);
    let run = recert.ok(&["edit-activity", "1", "--proof", certificate.to_str().unwrap()]);
    assert!(run.stdout.contains("Proof: certificate.pdf"), "{}", run.stdout);
    let activities = recert.ok(&["activities", "--json"]).json();
    assert_eq!(activities[0]["proof"]["original_name"], "certificate.pdf");
    assert_eq!(activities[0]["title"], "Workshop", "what the edit did not name stays");
    assert_eq!(stored_names(&recert).len(), 1, "the receipt's copy went: nothing uses it");

    let run = recert.run(&["edit-activity", "1", "--proof", receipt.to_str().unwrap(), "--no-proof"]);
    assert_eq!(run.code, 2, "both at once is a usage error: {}", run.stderr);
    let run = recert.run(&["edit-activity", "1", "--proof", outside.path().join("gone.pdf").to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("file not found"), "{}", run.stderr);
    assert_eq!(recert.ok(&["activities", "--json"]).json()[0]["proof"]["original_name"], "certificate.pdf");

    let run = recert.ok(&["edit-activity", "1", "--no-proof"]);
    assert!(run.stdout.contains("Proof: none"), "{}", run.stdout);
    assert!(recert.ok(&["activities", "--json"]).json()[0]["proof"].is_null());
    assert!(stored_names(&recert).is_empty());
}
