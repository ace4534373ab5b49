//! The first hour: a trainer who holds a CSCS, a NASM-CPT and an AHA CPR card sets Recert up in
//! one flow, with the units they have already earned, and gets a truthful dashboard and one calm
//! summary instead of a burst of alarms.

use std::time::Duration;

use crate::notifications::Monitor;
use crate::support::App;

const ENTER: &str = "\u{E007}";

#[tokio::test(flavor = "multi_thread")]
async fn a_trainer_sets_up_recert_with_what_they_already_earned() {
    let app = App::launch().await;
    // Started once this test has the window, so only its own notifications are seen.
    let monitor = Monitor::start();
    app.click("#set-up").await;

    // Enter in the search ticks the only match.
    for (search, preset) in [("CSCS", "nsca-cscs"), ("NASM-CPT", "nasm-cpt"), ("BLS", "cpr-aed-aha")] {
        app.type_into("#welcome-search", search).await;
        app.find("#welcome-search").await.send_keys(ENTER).await.unwrap();
        let ticked =
            format!("return document.querySelector(\"#welcome-list input[data-preset-id='{preset}']\").checked;");
        app.eventually(&format!("{preset} is ticked"), || async { app.script(&ticked).await == true }).await;
    }
    let picked = app.find("#welcome-picked").await.text().await.unwrap();
    assert_eq!(picked, "Ticked: CSCS, NASM-CPT, AHA CPR/AED");
    app.screenshot("welcome-pick").await;
    app.click("#welcome-next").await;

    // One line per credential; the CSCS's categories each take what was already earned.
    app.type_into("#w-0-earned", "2015-06-01").await;
    app.type_into("#w-0-already-A", "3.0").await;
    app.type_into("#w-0-already-C", "1.5").await;
    app.type_into("#w-1-earned", "2025-02-30").await;
    app.type_into("#w-1-number", "NASM-123").await;
    app.type_into("#w-2-earned", "2026-01-10").await;
    app.screenshot("welcome-details").await;
    app.click("#welcome-finish").await;
    let error = app.wait_for("[data-field='1.earned'] .field-error").await.text().await.unwrap();
    assert!(error.contains("2025-02-30 is not a real calendar date"), "{error}");
    assert_eq!(app.value("#w-1-number").await, "NASM-123", "what was typed stays");
    assert_eq!(app.cli(&["status", "--json"]), serde_json::json!([]), "nothing is saved before Finish");

    app.type_into("#w-1-earned", "2025-02-10").await;
    app.click("#welcome-finish").await;
    app.eventually("three cards", || async { app.find_all(".credential-card").await.len() == 3 }).await;
    let status = app.cli(&["status", "--json"]);
    let cscs = status.as_array().unwrap().iter().find(|s| s["abbreviation"] == "CSCS").unwrap();
    assert_eq!(cscs["units_earned"], 4.5, "the opening balance counts from the first minute: {cscs}");
    let ledger = app.cli(&["activities", "--json"]);
    assert!(ledger.as_array().unwrap().iter().all(|a| a["title"] == "Earned before Recert"), "{ledger}");

    // What is due comes as one summary, not one alarm per credential.
    monitor.wait_until("the summary", |text| text.contains("Recert is set up:"));
    tokio::time::sleep(Duration::from_millis(700)).await;
    // Counted by this test's titles: the notification tests may use the same bus meanwhile.
    let text = monitor.text();
    assert_eq!(text.matches("string \"Recert is set up:").count(), 1, "{text}");
    for title in ["string \"CSCS", "string \"NASM-CPT", "string \"AHA"] {
        assert!(!text.contains(title), "no separate alarm ({title}): {text}");
    }
    app.screenshot("welcome-dashboard").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_fee_is_filled_in_where_it_is_shown() {
    let app = App::launch_with(|dir| {
        crate::support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
    })
    .await;
    // On the card: "unknown — check with NSCA", then Enter, a wrong amount, then a right one.
    app.click(".credential-card .fill-in[data-fills='renewal_fee']").await;
    app.type_into(".credential-card .fill-in-form input", "12.345").await;
    app.click(".credential-card .fill-in-save").await;
    let error = app.wait_for(".credential-card .fill-in-form .field-error").await.text().await.unwrap();
    assert!(error.contains("12.345"), "{error}");
    let hash = app.script("return location.hash").await;
    assert!(!hash.as_str().unwrap_or_default().starts_with("#/credential"), "the card stays put: {hash}");
    app.type_into(".credential-card .fill-in-form input", "65").await;
    app.click(".credential-card .fill-in-save").await;
    app.eventually("the fee shows", || async {
        app.find_all(".credential-card .money .amount").await.len() == 1
            && app.find_all(".credential-card .fill-in[data-fills='renewal_fee']").await.is_empty()
    })
    .await;
    let status = app.cli(&["status", "--json"]);
    assert_eq!(status[0]["renewal_fee_cents"], 6500);

    // On Costs the total says what it leaves out, and a row fills in the same way.
    crate::support::cli(app.data_path(), &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--json"]);
    app.client.execute("location.hash = '#/costs';", vec![]).await.unwrap();
    let total = app.wait_for("#costs-total").await.text().await.unwrap();
    assert_eq!(total, "Total: $65.00 + 1 fee unknown");
    app.click("#upcoming-costs .fill-in[data-fills='renewal_fee']").await;
    app.type_into("#upcoming-costs .fill-in-form input", "99").await;
    app.click("#upcoming-costs .fill-in-save").await;
    app.eventually("the total counts it", || async {
        app.find("#costs-total").await.text().await.unwrap_or_default() == "Total: $164.00"
    })
    .await;

    // A CPR/AED card's cost is the course that renews it: it fills in the same way, named so.
    crate::support::cli(app.data_path(), &["add", "--preset", "cpr-aed-aha", "--earned", "2025-01-10", "--json"]);
    app.client.execute("location.hash = '#/'; location.hash = '#/costs';", vec![]).await.unwrap();
    app.eventually("the card's course in the total", || async {
        app.find("#costs-total").await.text().await.unwrap_or_default() == "Total: $164.00 + 1 fee unknown"
    })
    .await;
    app.click("#upcoming-costs .fill-in[data-fills='renewal_fee']").await;
    let label = app.wait_for("#upcoming-costs .fill-in-form label").await.text().await.unwrap();
    assert_eq!(label, "Renewal course cost (USD)");
    app.type_into("#upcoming-costs .fill-in-form input", "75").await;
    app.click("#upcoming-costs .fill-in-save").await;
    app.eventually("the total counts the course", || async {
        app.find("#costs-total").await.text().await.unwrap_or_default() == "Total: $239.00"
    })
    .await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_met_requirement_reads_as_met() {
    // NASM-CPT: a CPR course credited 0.3 where only 0.1 counts, and the 1.9 of courses: all met.
    let app = App::launch_with(|dir| {
        let nasm = crate::support::cli(
            dir,
            &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--expires", "2027-02-10", "--json"],
        );
        let id = nasm["id"].to_string();
        crate::support::cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2026-01-10", "--json"]);
        let cpr = format!("{id}=0.3");
        crate::support::cli(
            dir,
            &[
                "log",
                "--title",
                "CPR/AED course",
                "--date",
                "2026-01-10",
                "--hours",
                "3",
                "--category",
                "cpr",
                "--for",
                &cpr,
                "--json",
            ],
        );
        crate::support::cli(
            dir,
            &[
                "log",
                "--title",
                "Corrective exercise",
                "--date",
                "2026-03-01",
                "--hours",
                "19",
                "--approved-by",
                "NASM",
                "--json",
            ],
        );
    })
    .await;
    let nasm =
        app.cli(&["status", "--json"]).as_array().unwrap().iter().find(|s| s["abbreviation"] == "NASM-CPT").unwrap()
            ["id"]
            .clone();
    let card = format!(".credential-card[data-credential-id='{nasm}']");
    app.wait_for(&card).await;
    assert!(app.find_all(&format!("{card} .warnings li")).await.is_empty(), "no warning on a met requirement");
    app.click(&card).await;
    app.wait_for("#detail").await;
    assert_eq!(app.find_all("tr[data-category][data-met='true']").await.len(), 2, "both categories met");
    let note = app.wait_for(".detail-summary .met-note").await.text().await.unwrap();
    assert!(note.contains("0.3 credited, only 0.1 CEU count"), "{note}");
    assert!(app.find_all(".detail-summary .requirement-note").await.is_empty(), "not a warning");
    app.screenshot("detail-met").await;
    app.close().await;
}
