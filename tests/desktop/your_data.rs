//! The user's data in and out through the window: a spreadsheet import with a bad line, then the
//! fixed file, an export, and a restore from a backup.

use crate::support::App;

#[tokio::test(flavor = "multi_thread")]
async fn import_export_and_restore_in_the_window() {
    let app = App::launch_with(|dir| {
        // A change through the CLI writes the day's backup: CSCS and no activity yet.
        crate::support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
    })
    .await;
    let bad = app.data_path().join("courses.csv");
    std::fs::write(&bad, "Date,Title,Hours\r\n2026-03-01,Clinic,8\r\n02/30/2026,Webinar,1.5\r\n").unwrap();
    app.client.execute("location.hash = '#/settings';", vec![]).await.unwrap();
    app.type_into("#import-path", bad.to_str().unwrap()).await;
    app.click("#import-preview-button").await;
    let error = app.wait_for("#import-preview-table tr[data-line='3'] .field-error").await.text().await.unwrap();
    assert!(error.contains("Column date: 02/30/2026 is not a real calendar date"), "{error}");
    assert_eq!(app.script("return document.querySelector('#import-confirm').hidden").await, true, "nothing to import");
    assert_eq!(app.cli(&["activities", "--json"]), serde_json::json!([]));
    app.screenshot("import-error").await;

    std::fs::write(&bad, "Date,Title,Hours\r\n2026-03-01,Clinic,8\r\n02/28/2026,Webinar,1.5\r\n").unwrap();
    app.click("#import-preview-button").await;
    app.eventually("the import can go ahead", || async {
        app.script("return !document.querySelector('#import-confirm').hidden").await == true
    })
    .await;
    let earns = app.find("#import-preview-table tr[data-line='2']").await.text().await.unwrap();
    assert!(earns.contains("CSCS +0.8 CEU"), "{earns}");
    app.click("#import-confirm").await;
    app.eventually("two activities imported", || async {
        app.cli(&["activities", "--json"]).as_array().is_some_and(|a| a.len() == 2)
    })
    .await;

    let out = app.data_path().join("ledger.csv");
    app.wait_for("#export-path").await;
    app.type_into("#export-path", out.to_str().unwrap()).await;
    app.click("#export-button").await;
    let exported = app.wait_for("#export-result").await;
    app.eventually("exported", || async {
        exported.text().await.unwrap_or_default().contains("Exported 2 activities")
    })
    .await;
    assert!(std::fs::read_to_string(&out).unwrap().contains("Clinic"));

    // The same path again: the file exists, so the window asks before replacing it.
    std::fs::write(&out, "the user's own notes").unwrap();
    app.click("#export-button").await;
    let question = app.wait_for("#confirm-dialog").await.text().await.unwrap();
    assert!(question.contains("exists"), "{question}");
    app.click("#confirm-no").await;
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the user's own notes", "kept when the user says no");
    app.click("#export-button").await;
    app.wait_for("#confirm-dialog").await;
    app.click("#confirm-yes").await;
    app.eventually("replaced when the user says yes", || async {
        std::fs::read_to_string(&out).unwrap_or_default().contains("Clinic")
    })
    .await;

    // Restore the backup written before the import: the imported courses are gone.
    app.click("#backup-list .restore-backup").await;
    let question = app.wait_for("#confirm-dialog").await.text().await.unwrap();
    assert!(
        question.contains("(1 credentials, 2 activities) with the backup's (1 credentials, 0 activities)"),
        "{question}"
    );
    app.click("#confirm-yes").await;
    app.eventually("the data is restored", || async {
        app.cli(&["activities", "--json"]).as_array().is_some_and(|a| a.is_empty())
    })
    .await;
    let flash = app.wait_for("#flash").await.text().await.unwrap();
    assert!(flash.contains("Restored: 1 credentials, 0 activities"), "{flash}");
    app.close().await;
}
