//! The log form as people work (issue 9, part 4) and the bugs found on the way (part 5), through
//! the real window.

use fantoccini::key::Key;
use serde_json::{json, Value};

use crate::support::{self, App};
use crate::GotoHash;

fn id_of(status: &Value, abbreviation: &str) -> i64 {
    status.as_array().unwrap().iter().find(|s| s["abbreviation"] == abbreviation).unwrap()["id"].as_i64().unwrap()
}

/// The texts of every field error, keyed by the field whose container holds it.
async fn field_errors(app: &App) -> Value {
    app.script(
        "return Object.fromEntries([...document.querySelectorAll('.field-error')].map(e =>
             [e.closest('[data-field]')?.dataset.field ?? '?', e.textContent]));",
    )
    .await
}

async fn text_of(app: &App, css: &str) -> String {
    app.find(css).await.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_log_form_reads_typed_dates_and_hours_shows_every_error_and_keeps_the_preview_in_view() {
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
        support::cli(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--json"]);
    })
    .await;
    app.client.set_window_size(1280, 800).await.unwrap();
    app.click("#log-cecs-button").await;
    app.wait_for("#log-form").await;

    // Several mistakes at once: each shows beside its own field, and what was typed stays.
    app.type_into("#log-date", "2026-02-30").await;
    app.type_into("#log-hours", "lots").await;
    app.type_into("#log-cost", "12.505").await;
    app.click("#save-activity").await;
    app.eventually("four errors beside four fields", || async {
        field_errors(&app).await.as_object().is_some_and(|errors| errors.len() == 4)
    })
    .await;
    let errors = field_errors(&app).await;
    assert!(errors["title"].as_str().unwrap().contains("must not be empty"), "{errors}");
    assert!(errors["date"].as_str().unwrap().contains("not a real calendar date"), "{errors}");
    assert!(errors["hours"].as_str().unwrap().contains("1h30"), "{errors}");
    assert!(errors["cost"].as_str().unwrap().contains("more than two decimals"), "{errors}");
    assert_eq!(app.script("return document.activeElement.id;").await, "log-title", "the cursor goes to the first");
    assert_eq!(app.value("#log-date").await, "2026-02-30");
    assert_eq!(app.value("#log-hours").await, "lots");
    app.screenshot("log-all-errors").await;
    assert_eq!(app.cli(&["activities", "--json"]), json!([]), "nothing was saved");

    // A US date and "1h30": the form echoes what the core read.
    app.type_into("#log-title", "Mobility workshop").await;
    app.type_into("#log-date", "05/10/2026").await;
    app.type_into("#log-hours", "1h30").await;
    app.find("#log-cost").await.clear().await.unwrap();
    app.eventually("the date and hours echoed", || async {
        app.script(
            "return [document.querySelector('#log-date-echo').dataset.date,
                     document.querySelector('#log-hours-echo').dataset.hours];",
        )
        .await
            == json!(["2026-05-10", "1.5"])
    })
    .await;
    assert!(text_of(&app, "#log-date-echo").await.starts_with("= "));
    assert_eq!(text_of(&app, "#log-hours-echo").await, "= 1.5 h");
    app.eventually("a preview row per credential", || async { app.find_all(".preview-row").await.len() == 2 }).await;

    // At 1280 px the preview is a column beside the fields, and stays in view while the user
    // types further down: on a 600 px high window, the notes field is well below the fold.
    let layout = || async {
        app.script(
            "const side = document.querySelector('.log-side').getBoundingClientRect();
             const main = document.querySelector('.log-main').getBoundingClientRect();
             const preview = document.querySelector('#credit-preview').getBoundingClientRect();
             return { beside: side.left >= main.right, top: preview.top, scrolled: window.scrollY,
                      viewport: window.innerHeight, sticky: getComputedStyle(document.querySelector('.log-side')).position };",
        )
        .await
    };
    let before = layout().await;
    assert_eq!(before["beside"], true, "{before}");
    assert_eq!(before["sticky"], "sticky", "{before}");
    app.client.set_window_size(1280, 600).await.unwrap();
    app.script("document.querySelector('#log-notes').scrollIntoView({ block: 'end' });").await;
    let scrolled = layout().await;
    let (top, scrolled_by) = (scrolled["top"].as_f64().unwrap(), scrolled["scrolled"].as_f64().unwrap());
    assert!(
        scrolled_by > before["top"].as_f64().unwrap(),
        "the page scrolled past where the preview began: {scrolled}"
    );
    assert!((0.0..100.0).contains(&top), "the preview stays at the top of the window: {scrolled}");
    app.screenshot("log-1280x600-notes").await;
    app.client.set_window_size(1280, 800).await.unwrap();
    app.script("window.scrollTo(0, 0);").await;
    app.screenshot("log-1280").await;

    // The calendar: open it beside the date, move a day back with the keyboard, pick with Enter.
    app.click("#log-date-calendar").await;
    let selected = app.wait_for(".calendar-popup:not([hidden]) .calendar-day[aria-pressed='true']").await;
    assert_eq!(selected.attr("data-date").await.unwrap().as_deref(), Some("2026-05-10"), "opens on the typed date");
    app.eventually("the typed day has the focus", || async {
        app.script("return document.activeElement.dataset.date ?? null;").await == "2026-05-10"
    })
    .await;
    app.screenshot("log-calendar").await;
    app.script(
        "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft', bubbles: true}));",
    )
    .await;
    app.eventually("the focus moved a day back", || async {
        app.script("return document.activeElement.dataset.date ?? null;").await == "2026-05-09"
    })
    .await;
    app.script("document.activeElement.click();").await;
    assert_eq!(app.value("#log-date").await, "2026-05-09", "the calendar writes ISO into the text field");
    assert!(app.find_all(".calendar-popup:not([hidden])").await.is_empty(), "it closes after picking");
    // Days after today cannot be picked for a completed course; Escape closes the calendar.
    app.type_into("#log-date", "2026-11-20").await;
    app.click("#log-date-calendar").await;
    let tomorrow = app.wait_for(".calendar-popup:not([hidden]) .calendar-day[data-date='2026-11-24']").await;
    assert_eq!(tomorrow.prop("disabled").await.unwrap().as_deref(), Some("true"));
    let today = app.find(".calendar-day[data-date='2026-11-23']").await;
    assert_eq!(today.prop("disabled").await.unwrap().as_deref(), Some("false"));
    app.script("document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));")
        .await;
    app.eventually("the calendar closed", || async { app.find_all(".calendar-popup:not([hidden])").await.is_empty() })
        .await;
    assert_eq!(app.script("return document.activeElement.id;").await, "log-date-calendar", "back on its button");
    app.type_into("#log-date", "2026-05-09").await;

    app.click("#save-activity").await;
    app.wait_for(".credential-card").await;
    let activities = app.cli(&["activities", "--json"]);
    assert_eq!(activities[0]["completed_on"], "2026-05-09");
    assert_eq!(activities[0]["hours"], 1.5);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logged_activity_is_edited_in_the_window() {
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
        support::cli(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--json"]);
        support::cli(
            dir,
            &[
                "log",
                "--title",
                "Kettlebel workshop",
                "--date",
                "2026-05-01",
                "--hours",
                "4",
                "--cost",
                "79",
                "--approved-by",
                "NASM",
                "--json",
            ],
        );
    })
    .await;
    let status = app.cli(&["status", "--json"]);
    let (cscs, nasm) = (id_of(&status, "CSCS"), id_of(&status, "NASM-CPT"));
    app.client.goto_hash_free("#/log").await;
    // The list is drawn after the form and may be drawn again (a reminder check): click until the
    // form holds the activity, as a person would click again.
    app.click_until(".activity-item .edit-activity", "the activity in the form", || async {
        app.script("return document.querySelector('#log-title')?.value ?? '';").await == "Kettlebel workshop"
    })
    .await;
    assert_eq!(app.value("#log-date").await, "2026-05-01");
    assert_eq!(app.value("#log-hours").await, "4");
    assert_eq!(app.value("#log-cost").await, "79.00");
    assert_eq!(text_of(&app, "#save-activity").await, "Save changes");

    // Fix the typo, make it two days: the preview follows before anything is saved.
    app.type_into("#log-title", "Kettlebell workshop").await;
    app.type_into("#log-hours", "8h").await;
    app.eventually("the preview of the edit", || async {
        app.script(&format!(
            "return document.querySelector(\".preview-row[data-credential-id='{cscs}'] .preview-outcome\")?.textContent ?? '';"
        ))
        .await
        .as_str()
        .is_some_and(|text| text.starts_with("+0.8"))
    })
    .await;
    app.screenshot("log-editing").await;
    app.click("#save-activity").await;
    app.eventually("the saved changes confirmed", || async {
        app.script("return document.querySelector('#flash')?.textContent ?? '';")
            .await
            .as_str()
            .is_some_and(|text| text.contains("Saved changes to “Kettlebell workshop”"))
    })
    .await;
    let activities = app.cli(&["activities", "--json"]);
    assert_eq!(activities.as_array().unwrap().len(), 1, "edited in place");
    assert_eq!(activities[0]["title"], "Kettlebell workshop");
    assert_eq!(activities[0]["hours"], 8.0);
    assert_eq!(activities[0]["cost_cents"], 7900);
    let units: Vec<f64> =
        activities[0]["credits"].as_array().unwrap().iter().map(|c| c["units"].as_f64().unwrap()).collect();
    assert_eq!(units, vec![0.8, 0.8]);
    let status = app.cli(&["status", "--json"]);
    for id in [cscs, nasm] {
        let earned = status.as_array().unwrap().iter().find(|s| s["id"] == id).unwrap()["units_earned"].clone();
        assert_eq!(earned, json!(0.8), "credential {id}");
    }
    // The list shows the new values, and Cancel leaves an activity as it was.
    app.eventually("the list shows the new title", || async {
        app.script("return document.querySelector('.activity-item .activity-title')?.textContent ?? '';").await
            == "Kettlebell workshop"
    })
    .await;
    let save_label =
        || async { app.script("return document.querySelector('#save-activity')?.textContent ?? '';").await };
    app.click_until(".activity-item .edit-activity", "the form in editing mode", || async {
        save_label().await == "Save changes"
    })
    .await;
    app.type_into("#log-hours", "1").await;
    app.click_until("#cancel-edit", "the form back to logging", || async { save_label().await == "Save activity" })
        .await;
    assert_eq!(app.cli(&["activities", "--json"])[0]["hours"], 8.0);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_shows_the_kept_proof_and_can_remove_it() {
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
        let receipt = dir.join("receipt.pdf");
        std::fs::write(&receipt, b"the receipt").unwrap();
        let receipt = receipt.to_str().unwrap();
        support::cli(
            dir,
            &["log", "--title", "Workshop", "--date", "2026-05-01", "--hours", "2", "--proof", receipt, "--json"],
        );
    })
    .await;
    app.client.goto_hash_free("#/log").await;
    // As above: the list may be drawn again after the form; click until the form holds it.
    app.click_until(".activity-item .edit-activity", "the activity in the form", || async {
        app.script("return document.querySelector('#log-title')?.value ?? '';").await == "Workshop"
    })
    .await;
    app.eventually("the kept proof named", || async { text_of(&app, "#proof-name").await == "receipt.pdf (kept)" })
        .await;
    assert_eq!(text_of(&app, "#pick-proof").await, "Replace…");
    app.click("#clear-proof").await;
    assert_eq!(text_of(&app, "#proof-name").await, "No proof: receipt.pdf will be removed");
    app.screenshot("log-editing-proof-removed").await;
    app.click("#save-activity").await;
    app.eventually("the saved changes confirmed", || async {
        app.script("return document.querySelector('#flash')?.textContent ?? '';")
            .await
            .as_str()
            .is_some_and(|text| text.contains("Saved changes to “Workshop”"))
    })
    .await;
    let activities = app.cli(&["activities", "--json"]);
    assert!(activities[0]["proof"].is_null(), "{activities}");
    assert_eq!(activities[0]["hours"], 2.0, "the rest as it was");
    // The copy goes with it unless a backup written meanwhile (the day's, after the change that
    // logged it) still refers to it: a restore could bring the activity back (issue 18).
    let copies = app.data_path().join("proofs").read_dir().unwrap().count();
    let backups = app.data_path().join("backups").read_dir().map_or(0, |entries| entries.count());
    assert!(copies == 0 || backups > 0, "{copies} copies left and no backup that refers to them");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enter_in_the_catalog_search_picks_the_only_match() {
    let app = App::launch().await;
    app.click("#add-first-credential").await;
    let search = app.wait_for("#catalog-search").await;
    search.send_keys("CSCS").await.unwrap();
    search.send_keys(&Key::Enter.to_string()).await.unwrap();
    app.wait_for(".preset-option[data-preset-id='nsca-cscs'][aria-pressed='true']").await;
    assert_eq!(app.script("return location.hash;").await, "#/add", "Enter did not submit the form");
    assert!(app.find_all(".form-error, .field-error").await.is_empty());
    assert_eq!(app.script("return document.activeElement.id;").await, "catalog-search", "the cursor stays");
    assert_eq!(app.script("return document.querySelector('#preset-details').hidden;").await, false);
    app.screenshot("add-enter-picked").await;

    // Several matches: Enter picks nothing, and still submits nothing.
    app.type_into("#catalog-search", "NASM").await;
    app.find("#catalog-search").await.send_keys(&Key::Enter.to_string()).await.unwrap();
    app.eventually("the search narrows", || async {
        app.script("return document.querySelectorAll('#preset-list li:not([hidden])').length;").await.as_u64() > Some(1)
    })
    .await;
    assert_eq!(app.script("return location.hash;").await, "#/add");
    assert!(app.find_all(".form-error, .field-error").await.is_empty());
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_custom_add_form_shows_every_error_at_once() {
    let app = App::launch().await;
    app.click("#add-first-credential").await;
    app.click("#mode-custom").await;
    app.type_into("#custom-renewal-fee", "ten dollars").await;
    app.type_into("#custom-grace", "soon").await;
    app.click("#save-credential").await;
    app.eventually("an error beside each wrong field", || async {
        field_errors(&app).await.as_object().is_some_and(|errors| errors.len() == 5)
    })
    .await;
    let errors = field_errors(&app).await;
    for field in ["earned", "name", "body", "grace", "fee"] {
        assert!(errors.get(field).is_some(), "no error beside {field}: {errors}");
    }
    assert_eq!(app.script("return document.activeElement.id;").await, "custom-name", "the first in the form's order");
    assert_eq!(app.value("#custom-renewal-fee").await, "ten dollars", "what was typed stays");
    app.screenshot("add-custom-all-errors").await;
    assert_eq!(app.cli(&["status", "--json"]), json!([]));
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cpr_course_offers_to_record_the_new_card() {
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2024-10-05", "--json"]);
        support::cli(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--json"]);
    })
    .await;
    let card = id_of(&app.cli(&["status", "--json"]), "AHA CPR/AED");
    app.click("#log-cecs-button").await;
    app.type_into("#log-title", "Heartsaver CPR AED").await;
    app.type_into("#log-date", "11/20/2026").await;
    app.type_into("#log-hours", "3").await;
    app.type_into("#log-categories", "cpr").await;
    app.eventually("the preview", || async { app.find_all(".preview-row").await.len() == 2 }).await;
    app.click("#save-activity").await;
    let offer = app.wait_for(&format!("#flash .card-offer[data-credential-id='{card}']")).await;
    assert!(offer.text().await.unwrap().starts_with("Record your new AHA CPR/AED card (issued"));
    app.screenshot("cpr-offer").await;
    offer.click().await.unwrap();
    app.eventually("the new card recorded", || async {
        app.script("return document.querySelector('#flash')?.textContent ?? '';")
            .await
            .as_str()
            .is_some_and(|text| text.contains("Recorded your new AHA CPR/AED card"))
    })
    .await;
    let status = app.cli(&["status", "--json"]);
    let card_status = status.as_array().unwrap().iter().find(|s| s["id"] == card).unwrap();
    assert_eq!(card_status["cycle_start"], "2026-11-20");
    app.close().await;
}

/// NASM, ACSM and an AHA card; a 3 h CPR class (NASM counts 0.1 of its 0.3 CEU) and a $79 course.
async fn launch_with_a_cpr_class() -> (App, i64, i64) {
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--json"]);
        support::cli(dir, &["add", "--preset", "acsm-cpt", "--earned", "2024-03-01", "--json"]);
        support::cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2025-09-12", "--json"]);
        support::cli(
            dir,
            &["log", "--title", "CPR class", "--date", "2026-03-01", "--hours", "3", "--category", "cpr", "--json"],
        );
        support::cli(
            dir,
            &["log", "--title", "Course", "--date", "2026-03-02", "--hours", "2", "--cost", "79", "--json"],
        );
    })
    .await;
    let status = app.cli(&["status", "--json"]);
    let (nasm, card) = (id_of(&status, "NASM-CPT"), id_of(&status, "AHA CPR/AED"));
    (app, nasm, card)
}

/// Bug: the detail page showed what was credited under "Counts" and what counts under "Earned".
#[tokio::test(flavor = "multi_thread")]
async fn the_detail_page_shows_what_was_credited_and_what_counts() {
    let (app, nasm, _) = launch_with_a_cpr_class().await;
    app.client.goto_hash_free(&format!("#/credential/{nasm}")).await;
    app.wait_for("#cycle-progress tr[data-category='cpr']").await;
    let cell = |header: &'static str| {
        let app = &app;
        async move {
            app.script(&format!(
                "const headers = [...document.querySelectorAll('#cycle-progress thead th')].map(th => th.textContent);
                 const column = headers.indexOf('{header}');
                 if (column < 0) return null;
                 return document.querySelector(\"#cycle-progress tr[data-category='cpr']\").children[column].textContent;"
            ))
            .await
        }
    };
    assert_eq!(cell("Counts").await, "0.1 CEU", "NASM counts 0.1 CEU of CPR");
    assert_eq!(cell("Credited").await, "0.3 CEU", "the 3 h class was credited 0.3 CEU");
    app.screenshot("detail-categories").await;
    app.close().await;
}

/// Bug: money read "$ 79.00" in the window (ICU's POSIX locale) and "$79.00" in the backend's
/// sentences and notifications.
#[tokio::test(flavor = "multi_thread")]
async fn money_is_written_one_way_everywhere() {
    let (app, nasm, _) = launch_with_a_cpr_class().await;
    let money = || async {
        app.script(
            "return [...document.querySelectorAll('.amount, .cost-amount, #costs-total, .money, td, dd')]
                 .map(e => e.textContent).filter(t => t.includes('$'));",
        )
        .await
    };
    for place in [format!("#/credential/{nasm}"), "#/dashboard".into(), "#/costs".into()] {
        app.client.goto_hash_free(&place).await;
        app.eventually("money on the page", || async { !money().await.as_array().unwrap().is_empty() }).await;
        for text in money().await.as_array().unwrap() {
            let text = text.as_str().unwrap();
            // ICU writes a no-break space (U+00A0) there.
            let spaced = text.split('$').skip(1).any(|after| after.starts_with(char::is_whitespace));
            assert!(!spaced, "{place}: {text:?} has a space after the dollar sign");
            assert!(!text.contains("US$"), "{place}: {text:?}");
        }
    }
    app.close().await;
}

/// Bug: "Today, Nov 23, 2026" was drawn over the "2027" year label.
#[tokio::test(flavor = "multi_thread")]
async fn the_today_label_does_not_cover_the_year_labels() {
    let (app, _, _) = launch_with_a_cpr_class().await;
    app.client.goto_hash_free("#/timeline").await;
    // The timeline is drawn again as it settles: look for the label by script, never through an
    // element handle that may go stale.
    app.eventually("the Today label", || async {
        app.script("return document.querySelector('#timeline-svg .tl-today text') !== null;").await == json!(true)
    })
    .await;
    let overlaps = app
        .script(
            "const box = (e) => e.getBoundingClientRect();
             const today = box(document.querySelector('#timeline-svg .tl-today text'));
             return [...document.querySelectorAll('#timeline-svg text.tl-year, #timeline-svg text.tl-month')]
                 .map(e => [e.textContent, box(e)])
                 .filter(([, b]) => b.left < today.right && today.left < b.right && b.top < today.bottom && today.top < b.bottom)
                 .map(([text]) => text);",
        )
        .await;
    assert_eq!(overlaps, json!([]), "labels under the Today label");
    app.screenshot("timeline-today").await;
    app.close().await;
}

/// Bug: a CPR/AED card's page invited the user to "Log" CECs toward it.
#[tokio::test(flavor = "multi_thread")]
async fn a_cpr_cards_page_does_not_invite_logging() {
    let (app, _, card) = launch_with_a_cpr_class().await;
    app.client.goto_hash_free(&format!("#/credential/{card}")).await;
    app.wait_for(&format!("#detail[data-credential-id='{card}'] #credits")).await;
    assert!(app.find_all("#detail a[href='#/log']").await.is_empty(), "no Log link on a CPR card");
    let credits = text_of(&app, "#credits").await;
    assert!(!credits.contains("Log one"), "{credits}");
    app.screenshot("detail-cpr-card").await;
    app.close().await;
}
