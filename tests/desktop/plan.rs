//! Planning ahead in the window (issue 20): add planned courses, see the plan and the projected
//! status, limit the budget, then mark a course done and find it logged.

use serde_json::Value;

use crate::support::{self, App};

async fn text_of(app: &App, css: &str) -> String {
    app.script(&format!("return document.querySelector({css:?})?.textContent ?? '';"))
        .await
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn add_planned(app: &App, title: &str, date: &str, hours: &str, cost: &str, approved: &str) {
    let before = app.cli(&["plan", "list", "--json"]).as_array().unwrap().len();
    app.type_into("#plan-title", title).await;
    app.type_into("#plan-date", date).await;
    app.type_into("#plan-hours", hours).await;
    app.type_into("#plan-cost", cost).await;
    app.type_into("#plan-approved", approved).await;
    app.click_until("#plan-add", "the course to be added", || async {
        app.cli(&["plan", "list", "--json"]).as_array().unwrap().len() == before + 1
    })
    .await;
    app.wait_for(&format!("#planned-courses tbody tr:nth-child({})", before + 1)).await;
}

/// The activity logged from the planned course "Both bodies", once there is one.
fn logged(app: &App) -> Option<Value> {
    app.cli(&["activities", "--json"]).as_array().unwrap().iter().find(|a| a["title"] == "Both bodies").cloned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_trainer_plans_courses_sees_the_cheapest_plan_and_marks_one_done() {
    let app = App::launch_with(|dir| {
        support::cli(
            dir,
            &[
                "add",
                "--preset",
                "nsca-cscs",
                "--earned",
                "2015-06-01",
                "--already-earned",
                "4.0:A",
                "--already-earned",
                "1.0:C",
                "--json",
            ],
        );
        support::cli(
            dir,
            &[
                "add",
                "--preset",
                "nasm-cpt",
                "--earned",
                "2025-03-01",
                "--already-earned",
                "0.1:cpr",
                "--already-earned",
                "1.0:courses",
                "--json",
            ],
        );
    })
    .await;
    app.client.set_window_size(1280, 900).await.unwrap();
    app.click("#nav-plan").await;
    app.wait_for("#plan-add-form").await;
    assert!(text_of(&app, "#planned-courses").await.contains("None yet"));

    add_planned(&app, "Both bodies", "2026-12-05", "10", "150", "NSCA, NASM").await;
    add_planned(&app, "NSCA only", "2026-12-05", "10", "100", "NSCA").await;
    add_planned(&app, "NASM only", "2026-12-05", "10", "100", "NASM").await;

    // The plan: the one course both bodies approve, and the projected status of each credential.
    app.eventually("the plan picks the course both bodies approve", || async {
        text_of(&app, "#plan-chosen").await.contains("Both bodies")
            && text_of(&app, "#plan-total").await.contains("1 course")
    })
    .await;
    let projected = text_of(&app, "#plan-projected").await;
    assert!(projected.contains("CSCS complete by Dec 5, 2026"), "{projected}");
    assert!(projected.contains("NASM-CPT complete by Dec 5, 2026"), "{projected}");
    assert!(text_of(&app, "#plan-total").await.contains("$150.00"));
    app.screenshot("plan").await;

    // Costs shows what the plan would spend, marked as planned.
    app.click("#nav-costs").await;
    let planned = app.wait_for("#planned-spending").await.text().await.unwrap();
    assert!(planned.contains("Planned: Both bodies") && planned.contains("$150.00"), "{planned}");

    // The timeline: each planned course on the rows of the credentials it would count toward,
    // marked as planned, and in words below; a self-paced course spans from today to the last
    // day it counts (CSCS's deadline comes first).
    let status = app.cli(&["status", "--json"]);
    let credential = |abbreviation: &str| {
        status.as_array().unwrap().iter().find(|c| c["abbreviation"] == abbreviation).unwrap().clone()
    };
    let (cscs, nasm) = (credential("CSCS"), credential("NASM-CPT"));
    let self_paced = app.cli(&[
        "plan",
        "add",
        "--title",
        "Self-paced ethics",
        "--before",
        "2027-06-30",
        "--hours",
        "5",
        "--cost",
        "400",
        "--approved-by",
        "NSCA",
        "--json",
    ]);
    let both_id =
        app.cli(&["plan", "list", "--json"]).as_array().unwrap().iter().find(|c| c["title"] == "Both bodies").unwrap()
            ["id"]
            .clone();
    app.click("#nav-timeline").await;
    let marks = format!(
        "const marks = (row, id) => [...document.querySelectorAll(`#timeline-svg .tl-row[data-credential-id='${{row}}'] .tl-planned[data-planned-id='${{id}}']`)]; \
         const paced = marks({cscs}, {paced})[0]; \
         return {{ both: marks({cscs}, {both}).length + marks({nasm}, {both}).length, \
                  paced: paced ? [paced.dataset.from, paced.dataset.date, Boolean(paced.querySelector('.tl-planned-span'))] : null, \
                  pacedOnNasm: marks({nasm}, {paced}).length }};",
        cscs = cscs["id"],
        nasm = nasm["id"],
        both = both_id,
        paced = self_paced["id"],
    );
    app.eventually("the planned courses on the timeline", || async { app.script(&marks).await["both"] == 2 }).await;
    let drawn = app.script(&marks).await;
    assert_eq!(
        drawn["paced"],
        serde_json::json!([support::TODAY, cscs["cycle_end"], true]),
        "the self-paced course spans from today to CSCS's deadline: {drawn}"
    );
    assert_eq!(drawn["pacedOnNasm"], 0, "approved by NSCA only: not on NASM-CPT's row: {drawn}");
    let listed = text_of(&app, "#timeline-planned").await;
    assert!(listed.contains("Planned courses, not earned yet"), "{listed}");
    assert!(listed.contains("Both bodies — Dec 5, 2026. It would bring CSCS +1.0 CEU, NASM-CPT +1.0 CEU."), "{listed}");
    assert!(
        listed.contains("Self-paced ethics — any time before Jun 30, 2027. It would bring CSCS +0.5 CEU."),
        "{listed}"
    );
    assert!(text_of(&app, ".timeline-legend").await.contains("Planned course, not earned yet"));
    let told = app
        .script(&format!(
            "document.querySelector(`#timeline-svg .tl-planned[data-planned-id='{both_id}']`).focus(); \
             return document.querySelector('#timeline-details').textContent;"
        ))
        .await;
    assert!(told.as_str().unwrap_or("").starts_with("Planned, not earned yet: Both bodies, Dec 5, 2026."), "{told}");
    app.screenshot("timeline-planned").await;
    app.cli(&["plan", "remove", &self_paced["id"].to_string(), "--json"]);

    app.click("#nav-plan").await;
    app.wait_for("#plan-budget").await;

    // At most $100: one credential stays short, and the plan says which and by how much.
    app.type_into("#plan-budget", "100").await;
    app.click("#plan-run").await;
    app.eventually("the budget leaves a gap", || async {
        text_of(&app, "#plan-projected").await.contains("NASM-CPT 0.9 CEU short — your budget or pace leaves it open")
    })
    .await;
    app.screenshot("plan-budget").await;
    // The pace is read by the core's rule, as the CLI reads it: none at all is refused beside it.
    app.type_into("#plan-pace", "0").await;
    app.click("#plan-run").await;
    let refused = app.wait_for("[data-field='hours-per-week'] .field-error").await.text().await.unwrap();
    assert!(refused.ends_with("must be more than 0"), "{refused}");
    app.find("#plan-pace").await.clear().await.unwrap();

    // Mark as done: the Log screen opens filled in from the planned course, with its credit
    // preview; Cancel leaves the course planned.
    let both: Value = app.cli(&["plan", "list", "--json"]);
    let both_id =
        both.as_array().unwrap().iter().find(|c| c["title"] == "Both bodies").unwrap()["id"].as_i64().unwrap();
    let done = format!("#planned-courses tr[data-planned-id='{both_id}'] [data-action='done']");
    let open_log_form = || async {
        app.click(&done).await;
        app.eventually("the log form filled in from the planned course", || async {
            app.script(
                "const f = document.querySelector('#log-form'); const b = document.querySelector('#planned-banner'); \
                 return Boolean(f && b && !b.hidden && f.querySelector('#log-title').value === 'Both bodies');",
            )
            .await
                == Value::Bool(true)
        })
        .await;
    };
    open_log_form().await;
    assert_eq!(app.value("#log-title").await, "Both bodies");
    assert_eq!(app.value("#log-date").await, support::TODAY, "a date still ahead becomes today");
    assert_eq!(app.value("#log-hours").await, "10.0");
    assert_eq!(app.value("#log-cost").await, "150.00");
    let ticked = app
        .script("return [...document.querySelectorAll('#log-form input.approved-by:checked')].map((b) => b.dataset.body).sort().join(',');")
        .await;
    assert_eq!(ticked, "NASM,NSCA", "the approving bodies are ticked");
    app.eventually("the credit preview counts it for both credentials", || async {
        let preview = text_of(&app, "#credit-preview").await;
        preview.contains("Counts toward 2 of 2 credentials") && preview.matches("+1.0 CEU").count() == 2
    })
    .await;
    app.screenshot("plan-done").await;
    app.click("#cancel-edit").await;
    app.wait_for("#plan-view").await;
    assert_eq!(app.cli(&["plan", "list", "--json"]).as_array().unwrap().len(), 3, "Cancel keeps it planned");
    assert!(logged(&app).is_none(), "Cancel logs nothing");

    // Saved from the Log screen: logged, and taken off the plan.
    open_log_form().await;
    app.eventually("the credit preview to show", || async {
        text_of(&app, "#credit-preview").await.contains("Counts toward 2 of 2 credentials")
    })
    .await;
    app.click_until("#save-activity", "the planned course to be logged", || async { logged(&app).is_some() }).await;
    let activity = logged(&app).unwrap();
    assert_eq!(activity["completed_on"], support::TODAY, "{activity}");
    assert_eq!(activity["cost_cents"], 15000, "{activity}");
    let left = app.cli(&["plan", "list", "--json"]);
    assert_eq!(left.as_array().unwrap().len(), 2, "{left}");
    let status = app.cli(&["status", "--json"]);
    for credential in status.as_array().unwrap() {
        assert_eq!(credential["shortfall"], 0.0, "the course closed both: {credential}");
    }
    app.eventually("the plan screen shows the course gone from the list", || async {
        let listed = text_of(&app, "#planned-courses").await;
        !listed.is_empty()
            && !listed.contains("Both bodies")
            && text_of(&app, "#flash").await.contains("left your plan")
    })
    .await;
    app.close().await;
}
