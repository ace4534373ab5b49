//! End-to-end tests of the real Recert window (WebKitGTK through tauri-driver), run by
//! `make test` under Xvfb with a private D-Bus session.

mod access;
mod background;
#[path = "../support/certificate_corpus.rs"]
mod certificate_corpus;
mod certificates;
mod first_hour;
mod logging;
mod notifications;
mod plan;
mod platform;
mod rules_file;
mod support;
mod sync;
mod truth;
mod your_data;

use support::App;

/// Adds a credential from the catalog through the Add screen; returns the preset's rules as shown.
async fn add_from_catalog(app: &App, search: &str, preset: &str, earned: &str) -> String {
    app.click("#add-credential, #add-first-credential").await;
    app.type_into("#catalog-search", search).await;
    let shown = format!(
        "const shown = [...document.querySelectorAll('#preset-list li:not([hidden]) .preset-option')]
             .map(o => o.dataset.presetId);
         return shown.length < document.querySelectorAll('#preset-list li').length && shown.includes('{preset}');"
    );
    app.eventually("the search narrows the catalog to matches", || async { app.script(&shown).await == true }).await;
    app.click(&format!(".preset-option[data-preset-id='{preset}']")).await;
    let rules = app.wait_for("dl.rules").await.text().await.unwrap();
    app.screenshot(&format!("add-{preset}")).await;
    app.type_into("#earned-on", earned).await;
    app.click("#save-credential").await;
    app.wait_for(".credential-card").await;
    rules
}

async fn card_progress(app: &App, id: i64) -> f64 {
    let script = format!(
        "const el = document.querySelector(\".credential-card[data-credential-id='{id}'] .progress\");
         if (!el) return null;
         const value = el.getAttribute('aria-valuenow') ?? el.getAttribute('value');
         return value === null ? null : Number(value);"
    );
    app.script(&script).await.as_f64().unwrap_or(-1.0)
}

fn id_of(status: &serde_json::Value, abbreviation: &str) -> i64 {
    status.as_array().unwrap().iter().find(|s| s["abbreviation"] == abbreviation).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trainer_adds_logs_and_renews_in_the_window() {
    let app = App::launch().await;
    app.wait_for("#add-first-credential").await;
    app.screenshot("empty").await;

    add_from_catalog(&app, "CSCS", "nsca-cscs", "2015-06-01").await;
    // The preset's rules come from the core (cents, cycle text), unknown values flagged.
    let nasm_rules = add_from_catalog(&app, "NASM", "nasm-cpt", "2025-02-10").await;
    for expected in [
        "Every 2 years",
        "2.0 CEU",
        "30.00 up to 90 days after the deadline",
        "Courses after the deadline",
        "unknown — check with NASM",
    ] {
        assert!(nasm_rules.contains(expected), "{expected:?} missing from the rules shown: {nasm_rules}");
    }
    app.eventually("two cards", || async { app.find_all(".credential-card").await.len() == 2 }).await;
    let status = app.cli(&["status", "--json"]);
    let (cscs, nasm) = (id_of(&status, "CSCS"), id_of(&status, "NASM-CPT"));
    assert_eq!(card_progress(&app, cscs).await, 0.0);
    assert_eq!(card_progress(&app, nasm).await, 0.0);

    // Both deadlines were worked out, not read from a certificate (CSCS by assuming the 2017,
    // 2020 and 2023 renewals; NASM's exact day is unconfirmed): each card asks to check it.
    // "The date is right" settles it where it is shown, without opening the credential.
    app.eventually("both cards ask to check their deadline", || async {
        app.find_all(".credential-card .confirm-expiry").await.len() == 2
    })
    .await;
    app.screenshot("dashboard-confirm").await;
    app.click(&format!(".credential-card[data-credential-id='{cscs}'] .confirm-expiry-button")).await;
    app.eventually("the CSCS deadline is confirmed", || async {
        app.find_all(".credential-card .confirm-expiry").await.len() == 1
    })
    .await;
    assert_eq!(app.script("return location.hash").await, serde_json::json!("#/dashboard"), "the card stays put");
    let confirmed = app.cli(&["status", "--json"]);
    let expiry_confirmed =
        |id: i64| confirmed.as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()["expiry_confirmed"].clone();
    assert_eq!((expiry_confirmed(cscs), expiry_confirmed(nasm)), (serde_json::json!(true), serde_json::json!(false)));

    // An impossible date: the error shows beside the field and everything typed stays.
    app.click("#log-cecs-button").await;
    app.type_into("#log-title", "Kettlebell workshop").await;
    app.type_into("#log-provider", "StrongFirst").await;
    app.type_into("#log-date", "2026-02-30").await;
    app.type_into("#log-hours", "8").await;
    app.type_into("#log-cost", "149.00").await;
    app.click("#save-activity").await;
    let error = app.wait_for(".field-error").await;
    app.eventually("the date error", || async { error.text().await.unwrap().contains("not a real calendar date") })
        .await;
    assert_eq!(app.value("#log-title").await, "Kettlebell workshop");
    assert_eq!(app.value("#log-provider").await, "StrongFirst");
    assert_eq!(app.value("#log-date").await, "2026-02-30");
    assert_eq!(app.value("#log-hours").await, "8");
    assert_eq!(app.cli(&["activities", "--json"]), serde_json::json!([]), "nothing was saved");

    // A 1 MB title (pasted, say) is refused beside the field; nothing is saved. (WebKit itself
    // caps a text input at 524,288 characters, still far over Recert's limit.)
    app.type_into("#log-date", "2026-05-01").await;
    app.script(
        "const title = document.querySelector('#log-title');
         title.value = 'x'.repeat(1000000);
         title.dispatchEvent(new Event('input', { bubbles: true }));",
    )
    .await;
    let typed = app.value("#log-title").await.len();
    assert!(typed > 500_000, "{typed}");
    app.click("#save-activity").await;
    app.eventually("the length error", || async {
        app.script("return [...document.querySelectorAll('.field-error')].map(e => e.textContent).join('|');")
            .await
            .as_str()
            .is_some_and(|text| text.contains("too long"))
    })
    .await;
    assert_eq!(app.value("#log-title").await.len(), typed, "what was typed stays");
    assert_eq!(app.cli(&["activities", "--json"]), serde_json::json!([]), "nothing was saved");
    app.type_into("#log-title", "Kettlebell workshop").await;

    // Fix the date: the preview shows both credentials; NASM counts only courses it approved.
    app.type_into("#log-date", "2026-05-01").await;
    app.eventually("a preview row per credential", || async { app.find_all(".preview-row").await.len() == 2 }).await;
    let nasm_row = format!(".preview-row[data-credential-id='{nasm}']");
    app.eventually("NASM waits for its approval", || async {
        app.find(&nasm_row)
            .await
            .text()
            .await
            .unwrap_or_default()
            .contains("counts once NASM accepts a petition ($25.00)")
    })
    .await;
    app.screenshot("log-needs-approval").await;
    // StrongFirst's workshop was NASM-approved: ticked, it counts for both.
    app.click("#approved-NASM").await;
    app.type_into("#approved-NASM-number", "SF-2026").await;
    app.eventually("NASM counts it", || async {
        app.find(&nasm_row).await.text().await.unwrap_or_default().contains("+0.8 CEU")
    })
    .await;
    app.screenshot("log").await;
    app.click("#save-activity").await;
    app.wait_for(".credential-card").await;
    app.eventually("both progress bars move", || async {
        card_progress(&app, cscs).await > 0.0 && card_progress(&app, nasm).await > 0.0
    })
    .await;
    app.screenshot("dashboard").await;

    // A title that looks like markup is shown as text and never becomes an element.
    let hostile = "<img src=x onerror=alert(1)>";
    app.click("#log-cecs-button").await;
    app.type_into("#log-title", hostile).await;
    app.type_into("#log-date", "2026-06-01").await;
    app.type_into("#log-hours", "1").await;
    app.eventually("the preview", || async { !app.find_all(".preview-row").await.is_empty() }).await;
    app.click("#save-activity").await;
    app.wait_for(".credential-card").await;
    app.client.goto_hash_free(&format!("#/credential/{cscs}")).await;
    app.eventually("the hostile title as text", || async {
        app.script(&format!(
            "return document.body.textContent.includes({hostile:?}) && !document.querySelector('img[src=\"x\"]');"
        ))
        .await
            == serde_json::json!(true)
    })
    .await;

    // NASM never approved that course: its page says why it waits, and records NASM's answer.
    app.client.goto_hash_free(&format!("#/credential/{nasm}")).await;
    let pending = app.wait_for(".pending-credit").await.text().await.unwrap();
    assert!(pending.contains("counts once NASM accepts a petition ($25.00)"), "{pending}");
    let earned = |app: &App| {
        let status = app.cli(&["status", "--json"]);
        status.as_array().unwrap().iter().find(|s| s["id"] == nasm).unwrap()["units_earned"].as_f64().unwrap()
    };
    assert!((earned(&app) - 0.8).abs() < 1e-9);
    app.click(".pending-credit .accept-credit").await;
    app.eventually("NASM's answer counts", || async { (earned(&app) - 0.9).abs() < 1e-9 }).await;
    app.client.goto_hash_free(&format!("#/credential/{cscs}")).await;
    app.wait_for("#renew-date").await;

    // Renew the CSCS while short of its 6.0 CEU: the window asks first; "Cancel" records nothing.
    app.type_into("#renew-date", "2026-11-20").await;
    app.type_into("#renew-fee", "65.00").await;
    app.click("#renew-button").await;
    let question = app.wait_for("#confirm-dialog").await.text().await.unwrap();
    assert!(question.contains("0.9 of 6.0 CEU logged; NSCA requires 6.0. Record the renewal anyway?"), "{question}");
    app.click("#confirm-no").await;
    assert!(app.cli(&["show", &cscs.to_string(), "--json"])["past_cycles"].as_array().unwrap().is_empty());
    // Recorded by mistake, then taken back with Undo: the old deadline returns.
    app.click("#renew-button").await;
    app.wait_for("#confirm-dialog").await;
    app.click("#confirm-yes").await;
    app.click("#flash .undo-renewal").await;
    app.eventually("the renewal is taken back", || async {
        app.cli(&["show", &cscs.to_string(), "--json"])["past_cycles"].as_array().unwrap().is_empty()
            && app.find_all(".deadline[data-date='2026-12-31']").await.len() == 1
    })
    .await;
    // Now for real.
    app.type_into("#renew-date", "2026-11-20").await;
    app.type_into("#renew-fee", "65.00").await;
    app.click("#renew-button").await;
    app.wait_for("#confirm-dialog").await;
    app.click("#confirm-yes").await;
    app.eventually("the new deadline", || async {
        app.script("return [...document.querySelectorAll('.deadline')].map(e => e.getAttribute('data-date'));")
            .await
            .as_array()
            .is_some_and(|dates| dates.iter().any(|d| d == "2029-12-31"))
    })
    .await;
    app.screenshot("detail").await;

    // The timeline draws a row per credential: NASM-CPT's deadline, and CSCS's renewed cycle
    // (its 2029-12-31 deadline lies past the three years shown).
    app.client.goto_hash_free("#/timeline").await;
    app.wait_for("#timeline-svg").await;
    let attribute_of = |credential: i64, element: &'static str, attribute: &'static str| {
        let app = &app;
        async move {
            app.script(&format!(
                "return [...document.querySelectorAll(\"#timeline-svg .tl-row[data-credential-id='{credential}'] {element}\")]
                    .map(e => e.getAttribute('{attribute}'));"
            ))
            .await
        }
    };
    assert_eq!(attribute_of(nasm, ".tl-deadline", "data-date").await, serde_json::json!(["2027-02-10"]));
    let cscs_bars = attribute_of(cscs, ".tl-bar", "data-start").await;
    assert!(cscs_bars.as_array().unwrap().contains(&serde_json::json!("2027-01-01")), "{cscs_bars}");
    assert_eq!(app.find_all("#timeline-svg .tl-row").await.len(), 2);
    app.screenshot("timeline").await;

    // Costs: the renewals ahead with their total, unknown fees counted rather than guessed. Only
    // NASM-CPT falls due within 24 months now that CSCS is renewed to 2029.
    app.client.goto_hash_free("#/costs").await;
    let total = app.wait_for("#costs-total").await.text().await.unwrap();
    assert!(total.contains("1 fee unknown"), "{total}");
    app.find(&format!(".cost-item[data-credential-id='{nasm}']")).await;
    assert!(app.find_all(&format!(".cost-item[data-credential-id='{cscs}']")).await.is_empty());
    app.screenshot("costs").await;

    // The data is in the SQLite file: the CLI sees it.
    let status = app.cli(&["status", "--json"]);
    let cscs_status = status.as_array().unwrap().iter().find(|s| s["id"] == cscs).unwrap().clone();
    assert_eq!(cscs_status["cycle_end"], "2029-12-31");
    let shown = app.cli(&["show", &cscs.to_string(), "--json"]);
    assert_eq!(shown["past_cycles"][0]["fee_paid_cents"], 6500);
    let activities = app.cli(&["activities", "--json"]);
    let titles: Vec<&str> = activities.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec![hostile, "Kettlebell workshop"]);
    assert_eq!(activities[1]["credits"].as_array().unwrap().len(), 2, "one course, credited to both");
    app.close().await;
}

trait GotoHash {
    async fn goto_hash_free(&self, hash: &str);
}

impl GotoHash for fantoccini::Client {
    /// Navigates inside the app by changing the hash (the app's router), keeping the page.
    async fn goto_hash_free(&self, hash: &str) {
        self.execute(&format!("location.hash = {hash:?};"), vec![]).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reminders_arrive_in_the_window_history_and_can_be_snoozed() {
    // CSCS is due 2026-12-31, 38 days after the fixed today: the 60-day reminder is due.
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
        support::cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2026-01-10", "--json"]);
    })
    .await;
    app.client.goto_hash_free("#/settings").await;
    app.eventually("the scheduler's reminders in the history", || async {
        app.script("return [...document.querySelectorAll('.reminder-entry')].map(e => e.textContent).join('|');")
            .await
            .as_str()
            .is_some_and(|text| text.contains("CSCS renewal due in 38 days") && text.contains("CEU still needed"))
    })
    .await;
    app.screenshot("settings").await;

    // Bad lead times: the error shows beside the field, the text stays, nothing is saved.
    app.type_into("#lead-days", "30, 30").await;
    app.click("#save-lead-days").await;
    let error = app.wait_for("#lead-days-form .field-error").await;
    assert!(error.text().await.unwrap().contains("appears twice"));
    assert_eq!(app.value("#lead-days").await, "30, 30");
    assert_eq!(app.cli(&["settings", "--json"])["lead_days"], serde_json::json!([90, 60, 30, 14, 7, 1]));

    // Snooze the deadline reminder: it is stored with its return day.
    app.click(".reminder-entry[data-kind='deadline'] .snooze-button").await;
    let database = app.data_path().join("recert.sqlite3");
    app.eventually("the snooze in the database", || {
        let database = database.clone();
        async move {
            let conn = rusqlite::Connection::open(&database).unwrap();
            conn.query_row("SELECT until FROM reminder_snoozes", [], |row| row.get::<_, String>(0))
                .is_ok_and(|until| until == "2026-11-24")
        }
    })
    .await;
    app.close().await;
}
