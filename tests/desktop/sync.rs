//! Settings → "Sync with your other computers" (issue 22): choosing the shared folder brings in
//! what another computer logged, "Sync now" brings the next course, and the background sync
//! applies one that arrives in the folder while the window is open.

use crate::support::{cli, App};

#[tokio::test(flavor = "multi_thread")]
async fn a_course_logged_on_another_computer_comes_in_through_the_shared_folder() {
    let shared = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let shared_path = shared.path().to_str().unwrap().to_string();
    cli(home.path(), &["add", "--preset", "nasm-cpt", "--earned", "2025-06-01", "--json"]);
    cli(home.path(), &["log", "--title", "Course from home", "--date", "2026-10-01", "--hours", "2", "--json"]);
    cli(home.path(), &["sync", "--folder", &shared_path, "--name", "home", "--json"]);
    let app = App::launch_with(|_| {}).await;
    let activities = |app: &App| app.cli(&["activities", "--json"]).as_array().map_or(0, |a| a.len());

    app.client.execute("location.hash = '#/settings';", vec![]).await.unwrap();
    app.type_into("#sync-folder", &shared_path).await;
    app.type_into("#sync-name", "laptop").await;
    app.click("#sync-start").await;
    let state = app.wait_for("#sync-state").await.text().await.unwrap();
    assert!(state.contains("This computer (laptop) syncs through"), "{state}");
    assert_eq!(activities(&app), 1, "the course logged at home came in");
    app.screenshot("sync-settings").await;

    cli(home.path(), &["sync", "--json"]);
    let devices = app.wait_for("#sync-devices").await.text().await.unwrap();
    assert!(devices.contains("No other computer") || devices.contains("home"), "{devices}");
    cli(home.path(), &["log", "--title", "Second course", "--date", "2026-10-02", "--hours", "1", "--json"]);
    cli(home.path(), &["sync", "--json"]);
    app.click("#sync-now").await;
    app.eventually("Sync now brings the second course", || async { activities(&app) == 2 }).await;
    let result = app.wait_for("#sync-result").await.text().await.unwrap();
    assert!(result.contains("Synced"), "{result}");
    let devices = app.wait_for("#sync-devices").await.text().await.unwrap();
    assert!(devices.contains("home"), "{devices}");

    // Nobody presses anything: the background sync sees the new file in the shared folder.
    cli(home.path(), &["log", "--title", "Third course", "--date", "2026-10-03", "--hours", "1", "--json"]);
    cli(home.path(), &["sync", "--json"]);
    app.eventually("the background sync brings the third course", || async { activities(&app) == 3 }).await;

    // The dashboard open on this computer shows what another one added, without a click.
    app.client.execute("location.hash = '#/dashboard';", vec![]).await.unwrap();
    app.eventually("the dashboard", || async { app.find_all(".credential-card").await.len() == 1 }).await;
    cli(home.path(), &["add", "--preset", "nsca-cscs", "--earned", "2025-01-10", "--json"]);
    cli(home.path(), &["sync", "--json"]);
    let cards = "return document.querySelectorAll('.credential-card').length;";
    app.eventually("the card added at home", || async { app.script(cards).await == 2 }).await;
    app.close().await;
}
