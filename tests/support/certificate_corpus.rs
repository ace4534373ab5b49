//! The certificates the corpus generator makes (scripts/certificate-corpus/generate.py, one of
//! each layout), made once per build folder (the generator is deterministic); shared by the CLI
//! and the window tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

pub fn corpus() -> &'static Path {
    static CORPUS: OnceLock<PathBuf> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("certificate-corpus");
        if !dir.join("bad/notes.txt").exists() {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/certificate-corpus/generate.py");
            // Debian's Python has the generator's modules (python3-reportlab, python3-pil).
            let python = if Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
            let status = Command::new(python)
                .arg(script)
                .arg(&dir)
                .args(["--count-per-layout", "1"])
                .stdout(Stdio::null())
                .status()
                .expect("python3 runs the corpus generator");
            assert!(
                status.success(),
                "the corpus generator failed (scripts/certificate-corpus/install.sh installs what it needs)"
            );
        }
        dir
    })
}

/// The fields expected of a certificate of the corpus (NAME.expected.json beside it).
pub fn expected(file: &Path) -> Value {
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(file.with_file_name(format!("{stem}.expected.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}
