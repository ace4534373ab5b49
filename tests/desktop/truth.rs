//! One truth per screen (issue 17): what the card, Costs, the log and the set-up line say agrees
//! with what is really missing, owed and earned, and no research text reaches the user.

use std::time::Duration;

use crate::notifications::{take_turn, Monitor};
use crate::support::{cli, App};

const ENTER: &str = "\u{E007}";

fn id_in(dir: &std::path::Path, args: &[&str]) -> i64 {
    cli(dir, &[args, &["--json"]].concat())["id"].as_i64().unwrap()
}

async fn text_of(app: &App, css: &str) -> String {
    app.wait_for(css).await.text().await.unwrap()
}

/// Scrolls `css` to the middle of the window and takes a screenshot named `name`.
async fn shot(app: &App, css: &str, name: &str) {
    app.wait_for(css).await;
    app.script(&format!("document.querySelector(\"{css}\").scrollIntoView({{block: 'center'}}); return true;")).await;
    app.screenshot(name).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dashboard_costs_and_log_tell_one_truth() {
    let mut ids = std::collections::HashMap::new();
    let app = App::launch_with(|dir| {
        // NASM: 2.1 CEU of courses, and not the CPR/AED card's 0.1.
        ids.insert(
            "nasm",
            id_in(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-03-01", "--already-earned", "2.1:courses"]),
        );
        // ACE: the deadline Aug 31, 2026 passed; grace runs through Feb 28, 2027.
        ids.insert("ace", id_in(dir, &["add", "--preset", "ace-cpt", "--earned", "2024-08-31"]));
        // A CPR card due in a week: it has no late fee.
        ids.insert("card", id_in(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2024-11-05"]));
        // NSCA: the shared deadline, a balance from before Recert, a fee last published in 2018-20.
        ids.insert(
            "cscs",
            id_in(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--already-earned", "2.0:A"]),
        );
        // NSCA-CPT with nothing logged yet: the two-category rule is a note, not a warning.
        ids.insert("nsca_cpt", id_in(dir, &["add", "--preset", "nsca-cpt", "--earned", "2015-06-01"]));
    })
    .await;
    let card = |key: &str| format!(".credential-card[data-credential-id='{}']", ids[key]);

    // NASM: the bar is not full, and the card names the CPR/AED card, not hours of courses.
    let nasm = card("nasm");
    let bar = format!(
        "const bar = document.querySelector(\"{nasm} progress\");
         return [Number(bar.value), Number(bar.max), bar.classList.contains('progress-met')];"
    );
    assert_eq!(app.script(&bar).await, serde_json::json!([1.9, 2, false]));
    let action = text_of(&app, &format!("{nasm} .next-action")).await;
    assert!(action.starts_with("Renew or record your CPR/AED card by"), "{action}");
    assert!(!action.contains("h of courses"), "{action}");
    let progress = text_of(&app, &format!("{nasm} .progress-text")).await;
    assert!(progress.contains("1.9 CEU of 2.0 CEU counted (2.1 logged)"), "{progress}");
    let nasm_text = text_of(&app, &nasm).await;
    assert_eq!(nasm_text.matches("CPR/AED card (required").count(), 0, "said once, by the next action: {nasm_text}");
    shot(&app, &nasm, "truth-nasm").await;

    // The CPR card says its date once.
    let card_text = text_of(&app, &card("card")).await;
    assert_eq!(card_text.matches("Valid through").count(), 1, "{card_text}");

    // NSCA: the question is about the renewal Recert assumed; the old fee is a hint, not the value.
    let cscs = card("cscs");
    let question = text_of(&app, &format!("{cscs} .confirm-expiry")).await;
    assert!(question.contains("Did you renew in 2023?"), "{question}");
    assert!(question.contains("Yes, I renewed") && question.contains("No: enter my expiry"), "{question}");
    let hint = text_of(&app, &format!("{cscs} .last-published-fee")).await;
    assert!(hint.contains("last published: $65 member / $90 non-member, 2018–20"), "{hint}");
    let money = text_of(&app, &format!("{cscs} .money")).await;
    assert!(money.contains("unknown"), "{money}");
    shot(&app, &cscs, "truth-cscs").await;
    app.click(&format!("{cscs} .fill-in[data-fills='renewal_fee']")).await;
    let form = text_of(&app, &format!("{cscs} .fill-in-form")).await;
    assert!(form.contains("Last published: $65 member / $90 non-member, 2018–20. Not this cycle’s fee"), "{form}");
    let probe =
        format!("const i = document.querySelector(\"{cscs} .fill-in-form input\"); return [i.value, i.placeholder];");
    assert_eq!(app.script(&probe).await, serde_json::json!(["", ""]), "the old fee is never the value");
    shot(&app, &format!("{cscs} .fill-in-form"), "truth-fee-hint").await;

    // Costs: ACE is due by the end of its grace, as the dashboard says; the card risks no late fee.
    let ace_grace = text_of(&app, &format!("{} .deadline", card("ace"))).await;
    assert!(ace_grace.contains("grace period until"), "{ace_grace}");
    app.script("location.hash = '#/costs'; return true;").await;
    let ace_cost = format!("#upcoming-costs .cost-item[data-credential-id='{}'] time", ids["ace"]);
    let due = app.wait_for(&ace_cost).await.attr("datetime").await.unwrap();
    assert_eq!(due.as_deref(), Some("2027-02-28"));
    let at_risk =
        app.script("return [...document.querySelectorAll('#late-fees li')].map(li => li.dataset.credentialId);").await;
    assert!(!at_risk.as_array().unwrap().contains(&serde_json::json!(ids["card"].to_string())), "{at_risk}");
    let spending = text_of(&app, "#course-spending").await;
    assert!(spending.contains("CSCS"), "{spending}");
    let cscs_activities = app.script(
        "const row = [...document.querySelectorAll('#course-spending tbody tr')].find(r => r.textContent.startsWith('CSCS'));
         return row.children[2].textContent;",
    );
    assert_eq!(cscs_activities.await, serde_json::json!("0"), "a balance is not an activity");
    shot(&app, "#upcoming-costs", "truth-costs").await;
    shot(&app, "#late-fees", "truth-late-fees").await;

    // Nothing logged yet: "at least 2 categories" is a note on the detail page, not a warning.
    app.script("location.hash = '#/dashboard'; return true;").await;
    let nsca_cpt = text_of(&app, &card("nsca_cpt")).await;
    assert!(!nsca_cpt.contains("categories"), "{nsca_cpt}");
    app.script(&format!("location.hash = '#/credential/{}'; return true;", ids["nsca_cpt"])).await;
    let reason = text_of(&app, ".confirm-expiry .hint").await;
    assert!(reason.contains("the cycle that ended Dec 31, 2023"), "dates as the window writes them: {reason}");
    let hint = text_of(&app, ".requirement-hint").await;
    assert_eq!(hint, "ℹ credits must come from at least 2 categories");
    assert!(app.find_all(".requirement-note").await.is_empty(), "no warning");
    shot(&app, ".requirement-hint", "truth-categories-note").await;

    // The detail pages agree: ACE is due by the end of grace, and a CPR card has no late fee.
    app.script(&format!("location.hash = '#/credential/{}'; return true;", ids["ace"])).await;
    let on_ace_page = "return (document.querySelector('h1')?.textContent ?? '').includes('ACE');";
    app.eventually("ACE's page", || async { app.script(on_ace_page).await == true }).await;
    let money = text_of(&app, "#money").await;
    assert!(money.contains("Due by Feb 28, 2027, with the late fee"), "{money}");
    shot(&app, "#money", "truth-ace-detail").await;
    app.script(&format!("location.hash = '#/credential/{}'; return true;", ids["card"])).await;
    let on_card_page = "return (document.querySelector('h1')?.textContent ?? '').includes('Heartsaver');";
    app.eventually("the card's page", || async { app.script(on_card_page).await == true }).await;
    let money = text_of(&app, "#money").await;
    assert!(!money.contains("Late fee"), "{money}");

    // The log: a balance, with no made-up date or hours.
    app.script("location.hash = '#/log'; return true;").await;
    let balance = format!(".activity-item.opening-balance[data-balance-for='{}']", ids["cscs"]);
    let text = text_of(&app, &balance).await;
    assert!(text.starts_with("Earned before Recert: 2.0 CEU (A)"), "{text}");
    assert!(app.find_all(&format!("{balance} time")).await.is_empty(), "no date: {text}");
    assert!(!text.contains(" h"), "no hours: {text}");
    shot(&app, &balance, "truth-log").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ace_takes_ordinary_cecs_at_set_up() {
    let app = App::launch().await;
    app.click("#set-up").await;
    app.type_into("#welcome-search", "ACE-CPT").await;
    app.find("#welcome-search").await.send_keys(ENTER).await.unwrap();
    let ticked = "return document.querySelector(\"#welcome-list input[data-preset-id='ace-cpt']\").checked;";
    app.eventually("ACE-CPT is ticked", || async { app.script(ticked).await == true }).await;
    app.click("#welcome-next").await;
    app.type_into("#w-0-earned", "2025-06-10").await;
    app.type_into("#w-0-already-general", "1.5").await;
    app.type_into("#w-0-already-cpr", "0.2").await;
    app.screenshot("truth-ace-setup").await;
    app.click("#welcome-finish").await;
    app.eventually("the card", || async { app.find_all(".credential-card").await.len() == 1 }).await;
    let status = app.cli(&["status", "--json"]);
    assert_eq!(status[0]["units_earned"], 1.7, "ordinary CECs count toward the total: {status}");
    let progress = text_of(&app, ".credential-card .progress-text").await;
    assert!(progress.starts_with("1.7 CEC of 2.0"), "{progress}");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
// The turn is a test-wide lock that only other tests' threads take: held for the whole test on
// purpose, and nothing in this test's runtime waits for it.
#[allow(clippy::await_holding_lock)]
async fn undoing_a_mistaken_renewal_withdraws_the_notification_it_raised() {
    // Its ACSM-CPT notifications would be counted by the notification tests' watchers.
    let _turn = take_turn();
    let mut acsm = 0;
    let app = App::launch_with(|dir| {
        // Due Dec 31, 2026; the card is valid through Jan 31, 2027, after it: no card problem.
        acsm = id_in(dir, &["add", "--preset", "acsm-cpt", "--earned", "2023-05-01", "--expires", "2026-12-31"]);
        cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2025-01-10"]);
    })
    .await;
    let notified = Monitor::start();
    let closed = Monitor::start_for("CloseNotification");
    app.script(&format!("location.hash = '#/credential/{acsm}'; return true;")).await;
    app.type_into("#renew-date", "2026-11-23").await;
    app.click("#renew-button").await;
    app.wait_for("#confirm-dialog").await;
    app.click("#confirm-yes").await;
    // The seconds of the mistake: ACSM now runs to 2029 and the card lapses before it.
    notified.wait_until("the card reminder", |text| text.contains("CPR/AED card lapses before ACSM-CPT is due"));
    // Other tests share the session bus and withdraw their own notifications: only this one's id
    // counts. The renewal itself may withdraw the launch's "ACSM-CPT is due" notification.
    let database = app.data_path().join("recert.sqlite3");
    let card_notification = || -> Option<u32> {
        let conn = rusqlite::Connection::open(&database).unwrap();
        conn.query_row(
            "SELECT notification_id FROM open_notifications
             WHERE summary || ' ' || body LIKE '%CPR/AED card lapses before ACSM-CPT%'",
            [],
            |row| row.get(0),
        )
        .ok()
    };
    app.eventually("the card notification kept", || async { card_notification().is_some() }).await;
    let id = card_notification().unwrap();
    let withdrawn = |text: &str| text.lines().any(|line| line.trim() == format!("uint32 {id}"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!withdrawn(&closed.text()), "nothing withdrawn yet: {}", closed.text());
    app.click("#flash .undo-renewal").await;
    closed.wait_until("the card reminder withdrawn", withdrawn);
    let history = app.cli(&["reminders", "--json"]);
    let card = history.as_array().unwrap().iter().find(|r| r["kind"] == "prerequisite").unwrap();
    assert_eq!(card["resolved"], true, "{history}");
    app.close().await;
}
