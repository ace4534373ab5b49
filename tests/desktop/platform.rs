//! What the window asks of the desktop through Tauri plugins rather than Linux commands: opening a
//! proof file with the default viewer (tauri-plugin-opener) and starting at login
//! (tauri-plugin-autostart), each with a HOME of its own so the user's files stay untouched.

use std::ffi::OsStr;
use std::path::Path;

use crate::support::{self, App};

#[tokio::test(flavor = "multi_thread")]
async fn open_proof_hands_the_stored_file_to_the_desktops_opener() {
    let home = tempfile::tempdir().unwrap();
    // A stand-in for the desktop's opener, first on the PATH: it writes down what it was asked.
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = home.path().join("opened.txt");
    let opener = bin.join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&opener, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let certificate = home.path().join("certificate.pdf");
    std::fs::write(&certificate, b"%PDF-1.4 a certificate").unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let app = App::launch_with_env(
        |dir| {
            support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01"]);
            let proof = certificate.to_str().unwrap();
            support::cli(
                dir,
                &["log", "--title", "Workshop", "--date", "2026-05-01", "--hours", "2", "--proof", proof],
            );
        },
        &[],
        &[("HOME", home.path().as_os_str()), ("PATH", OsStr::new(&path))],
    )
    .await;
    app.client.execute("location.hash = '#/log';", vec![]).await.unwrap();
    app.click(".open-proof").await;
    app.eventually("the opener to be asked", || async { opened.exists() }).await;
    let asked = std::fs::read_to_string(&opened).unwrap();
    assert!(
        Path::new(&asked).starts_with(app.data_path().join("proofs")),
        "the stored copy, not the original: {asked}"
    );
    assert_eq!(std::fs::read(&asked).unwrap(), b"%PDF-1.4 a certificate");
    assert!(app.find_all(".form-error").await.is_empty(), "no error shown");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn start_at_login_uses_the_autostart_plugin_and_migrates_the_old_entry() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join(".config");
    // The entry Recert 0.1 wrote by hand.
    let legacy = config.join("autostart/recert.desktop");
    std::fs::create_dir_all(legacy.parent().unwrap()).unwrap();
    std::fs::write(&legacy, "[Desktop Entry]\nType=Application\nName=Recert\nExec=\"/old/place/recert\" --hidden\n")
        .unwrap();
    let app = App::launch_with_env(
        |_| {},
        &[],
        &[("HOME", home.path().as_os_str()), ("XDG_CONFIG_HOME", config.as_os_str())],
    )
    .await;
    let entry = config.join("autostart/Recert.desktop");
    let exec = format!("Exec={} --hidden", env!("CARGO_BIN_EXE_recert"));
    // At start-up the old entry gave way to the plugin's, which starts this binary hidden.
    app.eventually("the old entry to be migrated", || async { entry.exists() && !legacy.exists() }).await;
    let text = std::fs::read_to_string(&entry).unwrap();
    assert!(text.lines().any(|line| line == exec), "{text}");

    app.client.execute("location.hash = '#/settings';", vec![]).await.unwrap();
    let checkbox = app.wait_for("#start-at-login").await;
    assert_eq!(checkbox.prop("checked").await.unwrap().as_deref(), Some("true"));
    assert_eq!(app.find("#autostart-path").await.text().await.unwrap(), entry.display().to_string());

    app.click("#start-at-login").await;
    app.eventually("the entry to go", || async { !entry.exists() }).await;
    app.eventually("the checkbox to follow", || async {
        app.script("return document.querySelector('#start-at-login').checked === false && !document.querySelector('#start-at-login').disabled;").await == true
    })
    .await;
    app.click("#start-at-login").await;
    app.eventually("the entry to come back", || async { entry.exists() }).await;
    assert!(std::fs::read_to_string(&entry).unwrap().lines().any(|line| line == exec));
    assert!(!legacy.exists(), "one entry only");
    app.close().await;
}
