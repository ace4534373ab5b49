//! Newer renewal rules loaded from a file in Settings: a bad file is refused with nothing changed,
//! a good one shows what it changes before it is used, the user's own fee is kept, and an undo
//! goes back.

use crate::support::App;

/// The built-in catalog as a rules file with NSCA's fee published and the user's ISSA fee changed.
fn newer_rules(app: &App) -> std::path::PathBuf {
    let mut catalog = app.cli(&["catalog", "--json"]);
    catalog["version"] = "2027.01".into();
    catalog["published_on"] = "2027-01-15".into();
    for preset in catalog["presets"].as_array_mut().unwrap() {
        match preset["id"].as_str() {
            Some("nsca-cscs") => preset["renewal_fee_usd"] = 345.into(),
            Some("issa-cpt") => preset["renewal_fee_usd"] = 109.into(),
            _ => {}
        }
    }
    let path = app.data_path().join("rules-2027.json");
    std::fs::write(&path, serde_json::to_string_pretty(&catalog).unwrap()).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rules_file_is_previewed_used_and_undone_in_settings() {
    let app = App::launch_with(|dir| {
        crate::support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
        crate::support::cli(dir, &["add", "--preset", "issa-cpt", "--earned", "2025-01-10", "--json"]);
        crate::support::cli(dir, &["edit", "2", "--fee", "120", "--json"]);
    })
    .await;
    app.client.execute("location.hash = '#/settings';", vec![]).await.unwrap();
    let in_use = app.wait_for("#rules-in-use").await.text().await.unwrap();
    assert!(in_use.contains("Rules as of Dec 6, 2026 (version 2026.12, built into Recert)."), "{in_use}");
    assert_eq!(app.script("return document.querySelector('#rules-undo') === null").await, true);

    // A bad file: one clear message, nothing changed.
    let bad = app.data_path().join("bad.json");
    std::fs::write(&bad, r#"{"format": 1, "version": "x", "published_on": "2027-01-15", "presets": [{"id": "a"}]}"#)
        .unwrap();
    app.type_into("#rules-path", bad.to_str().unwrap()).await;
    app.click("#rules-preview").await;
    let error = app.wait_for("#rules-result .form-error").await.text().await.unwrap();
    assert!(error.contains("preset a (presets[0])"), "{error}");

    let file = newer_rules(&app);
    app.type_into("#rules-path", file.to_str().unwrap()).await;
    app.click("#rules-preview").await;
    let changes = app.wait_for("#rules-changes").await.text().await.unwrap();
    assert!(changes.contains("CSCS"), "{changes}");
    assert!(changes.contains("renewal fee: unknown → $345.00"), "{changes}");
    assert!(changes.contains("yours is kept ($120.00"), "{changes}");
    let fee_of = |abbreviation: &str| {
        let status = app.cli(&["status", "--json"]);
        status.as_array().unwrap().iter().find(|s| s["abbreviation"] == abbreviation).unwrap()["renewal_fee_cents"]
            .clone()
    };
    assert_eq!(fee_of("CSCS"), serde_json::Value::Null, "a preview changes nothing");
    app.screenshot("rules-file-preview").await;

    // The section is drawn anew: read its text by script, never through a stale element. The
    // reminder list above it may grow meanwhile and move the button: click until it took.
    let in_use = "return document.querySelector('#rules-in-use')?.textContent ?? '';";
    app.click_until("#rules-apply", "using the rules file", || async {
        app.script(in_use).await.as_str().unwrap_or_default().contains("version 2027.01, from a rules file")
    })
    .await;
    app.screenshot("rules-file-applied").await;
    assert_eq!(fee_of("CSCS"), 34500);
    assert_eq!(fee_of("ISSA-CPT"), 12000, "the fee the user typed stays");

    app.click_until("#rules-undo", "going back", || async {
        app.script(in_use).await.as_str().unwrap_or_default().contains("built into Recert")
    })
    .await;
    assert_eq!(fee_of("CSCS"), serde_json::Value::Null);
    assert_eq!(fee_of("ISSA-CPT"), 12000);
    app.close().await;
}

/// NSCA asks whether the holder used its 2021–23 late-reporting period; ticked, the 2024–26 CEUs
/// count from Feb 1, 2024. A CSCCa coach with an AHA CPR AED card is told it lacks First Aid.
#[tokio::test(flavor = "multi_thread")]
async fn the_add_form_asks_the_questions_a_body_raises() {
    let app = App::launch_with(|dir| {
        crate::support::cli(dir, &["add", "--preset", "cscca-sccc", "--earned", "2022-09-01", "--json"]);
        crate::support::cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2026-08-01", "--json"]);
    })
    .await;
    let warning = app.wait_for(".credential-card .prereq-warning").await.text().await.unwrap();
    assert!(warning.contains("covers only CPR and AED"), "{warning}");
    app.click("#add-credential").await;
    app.type_into("#catalog-search", "CSCS").await;
    app.click(".preset-option[data-preset-id='nsca-cscs']").await;
    let question = app.wait_for("label[for='late-reporting']").await.text().await.unwrap();
    assert!(question.contains("late-reporting period for the 2021–23 cycle"), "{question}");
    app.click("#late-reporting").await;
    app.type_into("#earned-on", "2015-06-01").await;
    app.click("#save-credential").await;
    app.wait_for(".credential-card").await;
    app.eventually("CSCS is saved", || async {
        app.cli(&["status", "--json"]).as_array().is_some_and(|all| all.iter().any(|s| s["abbreviation"] == "CSCS"))
    })
    .await;
    let status = app.cli(&["status", "--json"]);
    let cscs = status.as_array().unwrap().iter().find(|s| s["abbreviation"] == "CSCS").unwrap();
    assert_eq!(cscs["cycle_start"], "2024-02-01", "{cscs}");

    // Both questions can be answered again on the credential's own page.
    let id_of = |abbreviation: &str| {
        let status = app.cli(&["status", "--json"]);
        status.as_array().unwrap().iter().find(|s| s["abbreviation"] == abbreviation).unwrap()["id"].as_i64().unwrap()
    };
    let start_of =
        |app: &App, id: i64| app.cli(&["show", &id.to_string(), "--json"])["credential"]["cycle_start"].clone();
    let cscs_id = id_of("CSCS");
    app.script(&format!("location.hash = '#/credential/{cscs_id}/edit';")).await;
    app.wait_for("#edit-late-reporting").await;
    assert_eq!(app.script("return document.querySelector('#edit-late-reporting').checked;").await, true);
    app.click("#edit-late-reporting").await;
    app.click("#save-edit").await;
    app.eventually("the usual first day again", || async { start_of(&app, cscs_id) == "2024-01-01" }).await;
    // The AHA card says it covers First Aid after all (the coach took the longer course).
    let card_id = id_of("AHA CPR/AED");
    // Opens the card's edit form showing `was`, answers `answer`, saves.
    let answer_first_aid = |was: &'static str, answer: &'static str| {
        let app = &app;
        async move {
            app.script(&format!("location.hash = '#/credential/{card_id}/edit';")).await;
            app.eventually("the form shows the card's answer", || async {
                app.script("return document.querySelector('#edit-first-aid')?.value ?? null;").await == was
            })
            .await;
            app.script(&format!(
                "const s = document.querySelector('#edit-first-aid'); s.value = '{answer}';
                 s.dispatchEvent(new Event('change', {{ bubbles: true }}));"
            ))
            .await;
            app.click("#save-edit").await;
        }
    };
    answer_first_aid("no", "yes").await;
    app.eventually("SCCC's card warning is gone", || async {
        let status = app.cli(&["status", "--json"]);
        let sccc = status.as_array().unwrap().iter().find(|s| s["abbreviation"] == "SCCC").unwrap().clone();
        sccc["prerequisite_problems"].as_array().is_some_and(|p| p.is_empty())
            && sccc["prerequisite_notes"].as_array().is_some_and(|p| p.is_empty())
    })
    .await;
    // Not sure after all: back to unknown, and SCCC asks again.
    answer_first_aid("yes", "").await;
    app.eventually("the card's coverage is unknown again", || async {
        app.cli(&["show", &card_id.to_string(), "--json"])["credential"]["covers_first_aid"].is_null()
    })
    .await;
    let status = app.cli(&["status", "--json"]);
    let sccc = status.as_array().unwrap().iter().find(|s| s["abbreviation"] == "SCCC").unwrap().clone();
    assert!(sccc["prerequisite_problems"].to_string().contains("does not know whether yours"), "{sccc}");
    app.close().await;
}
