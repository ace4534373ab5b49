//! Reading a certificate into the log form (issue 21): the fields filled with the words they came
//! from, the one not found marked and empty, a correction, and the save with the certificate as
//! the proof and the units it states credited to that body.

use crate::certificate_corpus::{corpus, expected};
use crate::support::{self, App};
use crate::GotoHash;

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_read_into_the_form_is_corrected_and_saved_with_its_proof() {
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-09-01", "--json"]);
        support::cli(dir, &["add", "--preset", "ace-cpt", "--earned", "2025-09-01", "--json"]);
    })
    .await;
    let nasm = app.cli(&["status", "--json"]).as_array().unwrap().iter().find(|c| c["body_short"] == "NASM").unwrap()
        ["id"]
        .as_i64()
        .unwrap();
    let file = corpus().join("text-pdf/webinar-1.pdf");
    let want = expected(&file);
    app.client.goto_hash_free("#/log").await;
    app.wait_for("#read-certificate").await;
    // What a file dropped on the window does (WebDriver cannot drop a file from the desktop).
    app.script(&format!("document.getElementById('certificate-reader').readPath({:?});", file.to_str().unwrap())).await;
    let title = want["title"].as_str().unwrap().to_string();
    app.eventually("the title read into the form", || async { app.value("#log-title").await == title }).await;
    assert_eq!(app.value("#log-date").await, want["completed_on"].as_str().unwrap());
    let source = app.find("#log-title-cert").await.text().await.unwrap();
    assert!(source.starts_with("From the certificate: “for attending the webinar"), "{source}");
    // The webinar prints its provider only as a heading: not found, left empty and marked.
    assert_eq!(app.value("#log-provider").await, "");
    let unsure = app.find("#log-provider-cert").await.text().await.unwrap();
    assert!(unsure.contains("Not found on the certificate"), "{unsure}");
    let override_css = format!("#override-{nasm}");
    let nasm_units =
        want["units"].as_array().unwrap().iter().find(|u| u["body"] == "NASM").unwrap()["amount"].to_string();
    app.eventually("NASM's units typed from the certificate", || async {
        app.find_all(&override_css).await.len() == 1 && app.value(&override_css).await == nasm_units
    })
    .await;
    app.screenshot("log-certificate-read").await;
    // The trainer corrects the provider and saves.
    app.type_into("#log-provider", "Coastal Coaching Co.").await;
    app.click("#save-activity").await;
    app.eventually("the activity saved", || async {
        app.script("return document.querySelector('#flash')?.textContent ?? '';")
            .await
            .as_str()
            .is_some_and(|text| text.contains(&title))
    })
    .await;
    let activity = &app.cli(&["activities", "--json"])[0];
    assert_eq!(activity["provider"], "Coastal Coaching Co.");
    assert_eq!(activity["proof"]["original_name"], "webinar-1.pdf", "{activity}");
    let approved = activity["approved_by"].to_string();
    assert!(approved.contains("ACE") && approved.contains("NASM"), "{approved}");
    app.close().await;
}
