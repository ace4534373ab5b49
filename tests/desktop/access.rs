//! Comfort and access (issue 17): a calendar and a read-back on every date field, zoom with
//! Ctrl+plus and every screen at 200 %, a skip link, axe-core on every screen, and the small things
//! (Settings buttons, the calendar's Stop, backup times, the category table, the pace).

use std::path::Path;
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

use crate::support::{self, App};

/// A trainer with a category-counting credential, one without, a CPR card, a course with a cost,
/// a credential with a fee the catalog does not know (so the money panel is short), and two
/// planned courses (one on a day, one any time before a day) for the plan, timeline and costs.
fn trainer(dir: &Path) {
    support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
    support::cli(dir, &["add", "--preset", "nasm-cpt", "--earned", "2025-02-10", "--json"]);
    support::cli(dir, &["add", "--preset", "cpr-aed-aha", "--earned", "2025-09-12", "--json"]);
    support::cli(
        dir,
        &["log", "--title", "Kettlebell workshop", "--date", "2026-05-01", "--hours", "8", "--cost", "149", "--json"],
    );
    support::cli(
        dir,
        &[
            "plan",
            "add",
            "--title",
            "Strength seminar",
            "--date",
            "2026-12-12",
            "--hours",
            "6",
            "--cost",
            "120",
            "--approved-by",
            "NSCA",
            "--json",
        ],
    );
    support::cli(
        dir,
        &["plan", "add", "--title", "Online nutrition", "--before", "2027-01-31", "--hours", "4", "--json"],
    );
}

/// Every screen a user reaches: (name, hash). The detail is the first credential's.
const SCREENS: &[(&str, &str)] = &[
    ("dashboard", "#/dashboard"),
    ("add", "#/add"),
    ("log", "#/log"),
    ("timeline", "#/timeline"),
    ("costs", "#/costs"),
    ("plan", "#/plan"),
    ("log-planned", "#/log/planned/1"),
    ("settings", "#/settings"),
    ("detail", "#/credential/1"),
    ("welcome", "#/welcome"),
];

async fn show(app: &App, name: &str, hash: &str) {
    app.script(&format!("location.hash = '{hash}';")).await;
    let route = match name {
        "log-planned" => "log",
        _ => name,
    };
    app.wait_for(&format!("#view[data-view='{route}'][aria-busy='false']")).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// Runs axe-core on every screen of `app`; prints the violations by impact per screen and answers
/// the serious and critical ones.
async fn axe_every_screen(app: &App, scheme: &str) -> Vec<String> {
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path)
        .unwrap_or_else(|e| panic!("{}: {e} (scripts/install-deps.sh test installs it)", axe_path.display()));
    // Through WebDriver only: the app itself never loads it (its CSP allows only its own scripts).
    app.client.execute(&format!("{axe}\nreturn typeof window.axe;"), vec![]).await.unwrap();
    assert_eq!(app.script("return typeof window.axe;").await, "object");
    let dark = app.script("return matchMedia('(prefers-color-scheme: dark)').matches;").await;
    assert_eq!(dark, scheme == "dark", "the window is not in the {scheme} scheme");

    let mut serious = Vec::new();
    eprintln!("axe-core {} ({scheme}): violations by impact per screen", app.script("return axe.version;").await);
    for (name, hash) in SCREENS {
        show(app, name, hash).await;
        let found = app
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations', 'incomplete'] })
                   .then((r) => done({ incomplete: r.incomplete.map((v) => `${v.id} (${v.nodes.length})`),
                     violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                       nodes: v.nodes.length, targets: v.nodes.slice(0, 4).map((n) => n.target.join(' ')) })) }))
                   .catch((e) => done({ error: String(e) }));",
                vec![],
            )
            .await
            .unwrap();
        let violations = found["violations"].as_array().unwrap_or_else(|| panic!("axe failed on {name}: {found}"));
        let count = |impact: &str| violations.iter().filter(|v| v["impact"] == impact).count();
        eprintln!(
            "  {name:<10} critical {} serious {} moderate {} minor {} (left for a person to judge: {})",
            count("critical"),
            count("serious"),
            count("moderate"),
            count("minor"),
            found["incomplete"]
        );
        for v in violations {
            eprintln!("    {} [{}] {} — {} node(s) {}", v["id"], v["impact"], v["help"], v["nodes"], v["targets"]);
            if v["impact"] == "serious" || v["impact"] == "critical" {
                serious.push(format!("{scheme} {name}: {} {}", v["id"], v["targets"]));
            }
        }
    }
    serious
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_passes_axe_in_light_and_dark() {
    let mut serious = Vec::new();
    for (scheme, theme) in [("light", "Adwaita"), ("dark", "Adwaita:dark")] {
        let app = App::launch_with_env(trainer, &[], &[("GTK_THEME", std::ffi::OsStr::new(theme))]).await;
        app.client.set_window_size(1280, 800).await.unwrap();
        serious.extend(axe_every_screen(&app, scheme).await);
        app.close().await;
    }
    assert!(serious.is_empty(), "serious or critical violations: {serious:#?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_skip_link_leads_to_the_content() {
    let app = App::launch_with(trainer).await;
    app.client.set_window_size(1280, 800).await.unwrap();
    // The skip link: the first thing Tab reaches, shown when focused, and it moves the focus to
    // the view without leaving it (the hash is the router's).
    show(&app, "costs", "#/costs").await;
    app.script("document.activeElement?.blur();").await;
    let tab = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: Key::Tab.into() })
        .then(KeyAction::Up { value: Key::Tab.into() });
    app.client.perform_actions(tab).await.unwrap();
    app.eventually("Tab reaches the skip link first", || async {
        app.script("return document.activeElement?.id ?? null;").await == "skip-link"
    })
    .await;
    let shown = app.script(
        "const r = document.getElementById('skip-link').getBoundingClientRect();
         return r.width > 20 && r.height > 10 && r.top >= 0 && r.left >= 0;",
    );
    assert_eq!(shown.await, true, "the skip link shows when it has the focus");
    app.screenshot("skip-link").await;
    app.find("#skip-link").await.send_keys(&Key::Enter.to_string()).await.unwrap();
    app.eventually("the focus in the view", || async {
        app.script("return document.getElementById('main').contains(document.activeElement);").await == true
    })
    .await;
    assert_eq!(app.script("return location.hash;").await, "#/costs", "still on the same screen");
    app.close().await;
}

/// A card is a link to its credential: Enter or Space on it opens the detail; Enter on a button
/// inside it does that button's work and nothing else.
#[tokio::test(flavor = "multi_thread")]
async fn a_card_opens_with_the_keyboard_and_its_buttons_keep_their_keys() {
    let app = App::launch_with(trainer).await;
    let cards = app.find_all(".credential-card").await;
    assert!(cards.len() >= 2, "two cards to open");
    let second = cards[1].attr("data-credential-id").await.unwrap().unwrap();
    cards[0].send_keys(&Key::Enter.to_string()).await.unwrap();
    app.wait_for("#detail").await;
    assert!(app.script("return location.hash;").await.as_str().unwrap().starts_with("#/credential/"));
    app.script("location.hash = '#/dashboard';").await;
    let card = format!(".credential-card[data-credential-id='{second}']");
    app.wait_for(&card).await.send_keys(" ").await.unwrap();
    app.eventually("Space opens the second card", || async {
        app.script("return location.hash;").await == format!("#/credential/{second}")
    })
    .await;
    app.script("location.hash = '#/dashboard';").await;
    let button = app.wait_for(".credential-card .fill-in").await;
    button.send_keys(&Key::Enter.to_string()).await.unwrap();
    app.wait_for(".credential-card .fill-in-form").await;
    assert_eq!(app.script("return location.hash;").await, "#/dashboard", "the button's Enter opened no detail");
    app.close().await;
}

/// The CSS pixel width of the page: it shrinks as the page zooms in.
async fn css_width(app: &App) -> f64 {
    app.script("return window.innerWidth;").await.as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_plus_zooms_and_every_screen_works_at_200_percent() {
    let app = App::launch_with(trainer).await;
    app.client.set_window_size(1280, 800).await.unwrap();
    let before = css_width(&app).await;
    let zoom_in = format!("{}={}", Key::Control, Key::Control);
    app.find("#nav-dashboard").await.send_keys(&zoom_in).await.unwrap();
    app.eventually("Ctrl+= zooms in", || async { css_width(&app).await < before * 0.9 }).await;
    let zoomed = css_width(&app).await;
    app.find("#nav-dashboard").await.send_keys(&format!("{}-{}", Key::Control, Key::Control)).await.unwrap();
    app.eventually("Ctrl+- zooms out again", || async { css_width(&app).await > zoomed * 1.1 }).await;

    // 200 %, as Ctrl+plus five times gives: 640 CSS pixels across a 1280×800 window.
    app.script("return window.__TAURI_INTERNALS__.invoke('plugin:webview|set_webview_zoom', { value: 2 });").await;
    app.eventually("200 %", || async { (css_width(&app).await - before / 2.0).abs() < 20.0 }).await;
    for (name, hash) in SCREENS {
        show(&app, name, hash).await;
        app.screenshot(&format!("zoom200-{name}")).await;
        // Nothing wider than the window: no sideways scrolling of the page, every control reachable.
        let overflow = app
            .script(
                "const width = document.documentElement.clientWidth;
                 const wide = [...document.querySelectorAll('#app *')]
                   .filter((e) => e.getClientRects().length && !e.closest('.table-scroll, .timeline-scroll, [hidden]'))
                   .filter((e) => e.getBoundingClientRect().right > width + 1)
                   .map((e) => (e.id ? '#' + e.id : e.tagName.toLowerCase() + '.' + [...e.classList].join('.')));
                 return { page: document.documentElement.scrollWidth - width, wide: wide.slice(0, 8) };",
            )
            .await;
        assert_eq!(overflow["page"], 0, "{name} scrolls sideways at 200 %: {overflow}");
        assert_eq!(overflow["wide"], Value::Array(vec![]), "{name} at 200 %: {overflow}");
        // The primary action and the navigation stay on screen.
        let reachable = app
            .script(
                "return ['#log-cecs-button', '#nav-settings'].every((css) => {
                   const r = document.querySelector(css).getBoundingClientRect();
                   return r.width > 0 && r.height > 0 && r.right <= document.documentElement.clientWidth;
                 });",
            )
            .await;
        assert_eq!(reachable, true, "{name}: the navigation at 200 %");
    }
    // The calendar beside a date field fits the window too.
    show(&app, "log", "#/log").await;
    // Clicked from the page: WebKitWebDriver's own click misses its target on a zoomed page.
    app.script("const b = document.getElementById('log-date-calendar'); b.scrollIntoView(); b.click();").await;
    app.wait_for("#log-date ~ .calendar-popup .calendar-day").await;
    app.screenshot("zoom200-calendar").await;
    let inside = app
        .script(
            "const r = document.querySelector('#log-date ~ .calendar-popup').getBoundingClientRect();
             return r.left >= 0 && r.right <= document.documentElement.clientWidth;",
        )
        .await;
    assert_eq!(inside, true, "the calendar is cut off at 200 %");
    app.close().await;
}

/// Opens the calendar of `input`, picks the 6th of the month shown, and answers the echo.
async fn pick_the_sixth(app: &App, input: &str) -> String {
    app.click(&format!("#{input}-calendar")).await;
    let day = app.wait_for(&format!("#{input} ~ .calendar-popup .calendar-day:not(.other-month)")).await;
    let month_day = day.attr("data-date").await.unwrap().unwrap();
    let sixth = format!("{}-06", &month_day[..7]);
    app.click(&format!("#{input} ~ .calendar-popup .calendar-day[data-date='{sixth}']")).await;
    app.eventually("the date picked", || async { app.value(&format!("#{input}")).await == sixth }).await;
    let echo = format!("#{input}-echo");
    app.eventually("the echo of the date picked", || async { !app.find(&echo).await.text().await.unwrap().is_empty() })
        .await;
    app.find(&echo).await.text().await.unwrap()
}

/// Types a US date and waits for the echo to read it back in words.
async fn typed_date_echoes(app: &App, input: &str) {
    app.type_into(&format!("#{input}"), "12/06/2026").await;
    let echo = format!("#{input}-echo");
    app.eventually(&format!("{input} reads 12/06/2026 back"), || async {
        app.find(&echo).await.text().await.unwrap() == "= Dec 6, 2026"
    })
    .await;
    app.type_into(&format!("#{input}"), "2026-13-45").await;
    app.eventually(&format!("{input}: no echo for a date it cannot read"), || async {
        app.find(&echo).await.text().await.unwrap().is_empty()
    })
    .await;
    // Nor does the calendar read one into it (month 13, day 45: February 14, 2027).
    app.click(&format!("#{input}-calendar")).await;
    let month = app.wait_for(&format!("#{input} ~ .calendar-popup .calendar-month")).await.text().await.unwrap();
    assert_ne!(month, "February 2027", "{input}: the calendar opened on an impossible date");
    app.click(&format!("#{input}-calendar")).await;
}

/// Whether the calendar of `input` offers the day after today (the tests' today is Nov 23, 2026).
async fn offers_tomorrow(app: &App, input: &str) -> bool {
    app.type_into(&format!("#{input}"), "2026-11-06").await; // the calendar opens on that month
    app.click(&format!("#{input}-calendar")).await;
    let tomorrow = app.wait_for(&format!("#{input} ~ .calendar-popup .calendar-day[data-date='2026-11-24']")).await;
    let offered = tomorrow.attr("disabled").await.unwrap().is_none();
    app.click(&format!("#{input}-calendar")).await;
    offered
}

/// On the screen at `hash`: each of `inputs` reads a typed date back and has a working calendar.
async fn check_date_fields(app: &App, hash: &str, inputs: &[&str]) {
    app.script(&format!("location.hash = '{hash}';")).await;
    app.wait_for(&format!("#{}", inputs[0])).await;
    for input in inputs {
        typed_date_echoes(app, input).await;
        pick_the_sixth(app, input).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_date_field_has_a_calendar_and_reads_the_date_back() {
    let app = App::launch().await;
    app.client.set_window_size(1280, 800).await.unwrap();
    // Setting up.
    app.script("location.hash = '#/welcome';").await;
    app.type_into("#welcome-search", "CSCS").await;
    app.find("#welcome-search").await.send_keys(&Key::Enter.to_string()).await.unwrap();
    app.eventually("CSCS ticked", || async {
        app.script("return document.getElementById('pick-nsca-cscs').checked;").await == true
    })
    .await;
    app.click("#welcome-next").await;
    for input in ["w-0-earned", "w-0-expires"] {
        typed_date_echoes(&app, input).await;
        let echo = pick_the_sixth(&app, input).await;
        assert!(echo.starts_with("= ") && echo.contains(" 6, "), "{input}: {echo}");
    }
    // Earned (as renewed) cannot be in the future: the calendar offers no later day; an expiry can.
    assert!(!offers_tomorrow(&app, "w-0-earned").await, "an earned date after today");
    assert!(offers_tomorrow(&app, "w-0-expires").await, "an expiry after today");
    app.screenshot("dates-welcome").await;

    // Adding a credential.
    check_date_fields(&app, "#/add", &["earned-on", "expires"]).await;
    assert!(!offers_tomorrow(&app, "earned-on").await, "an earned date after today");
    app.screenshot("dates-add").await;
    app.close().await;

    // Renewing and editing the expiry.
    let app = App::launch_with(|dir| {
        support::cli(dir, &["add", "--preset", "nsca-cscs", "--earned", "2015-06-01", "--json"]);
    })
    .await;
    app.client.set_window_size(1280, 800).await.unwrap();
    check_date_fields(&app, "#/credential/1", &["renew-date", "renew-expires"]).await;
    assert!(!offers_tomorrow(&app, "renew-date").await, "a renewal after today");
    app.script("location.hash = '#/credential/1/edit';").await;
    app.wait_for("#edit-expires").await;
    // The expiry starts as it is, read back at once.
    app.eventually("the current expiry read back", || async {
        app.find("#edit-expires-echo").await.text().await.unwrap() == "= Dec 31, 2026"
    })
    .await;
    typed_date_echoes(&app, "edit-expires").await;
    pick_the_sixth(&app, "edit-expires").await;
    app.screenshot("dates-edit").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_buttons_calendar_stop_backup_times_category_table_and_pace() {
    let app = App::launch_with_env(
        |dir| {
            trainer(dir);
            // A backup written at 09:15 UTC: 4:15 AM in New York.
            std::fs::create_dir_all(dir.join("backups")).unwrap();
            std::fs::copy(dir.join("recert.sqlite3"), dir.join("backups/recert-20261128T091500Z.sqlite3")).unwrap();
        },
        &[],
        &[("TZ", std::ffi::OsStr::new("America/New_York"))],
    )
    .await;
    app.client.set_window_size(1280, 800).await.unwrap();
    show(&app, "settings", "#/settings").await;
    app.screenshot("settings").await;
    // "Choose…" sits beside its field at its own width, not a full-width bar under it.
    for id in ["import-path", "export-path", "calendar-path", "restore-path"] {
        let sizes = app
            .script(&format!(
                "const b = document.getElementById('{id}-choose').getBoundingClientRect();
                 const i = document.getElementById('{id}').getBoundingClientRect();
                 return {{ button: b.width, input: i.width, beside: Math.abs(b.top - i.top) < 8 }};"
            ))
            .await;
        assert!(sizes["button"].as_f64().unwrap() < 160.0, "{id}: {sizes}");
        assert_eq!(sizes["beside"], true, "{id}: {sizes}");
    }
    // Every other Settings button is as wide as its words.
    let wide = app
        .script(
            "return [...document.querySelectorAll('#view button')].filter((b) => b.getClientRects().length)
               .filter((b) => b.getBoundingClientRect().width > 400).map((b) => b.id || b.textContent);",
        )
        .await;
    assert_eq!(wide, Value::Array(vec![]), "full-width buttons in Settings");
    app.script("document.getElementById('export').scrollIntoView();").await;
    app.screenshot("settings-paths").await;

    // No calendar file kept: nothing to stop. Once one is kept, Stop appears, and goes again.
    assert_eq!(app.script("return document.getElementById('calendar-stop')?.hidden ?? true;").await, true);
    let ics = app.data_path().join("deadlines.ics");
    app.type_into("#calendar-path", ics.to_str().unwrap()).await;
    app.click("#calendar-save").await;
    app.eventually("Stop offered", || async {
        app.script("return document.getElementById('calendar-stop')?.hidden === false;").await == true
    })
    .await;
    app.click("#calendar-stop").await;
    app.eventually("Stop gone once stopped", || async {
        app.script("return document.getElementById('calendar-stop')?.hidden ?? true;").await == true
    })
    .await;

    // Backup times in local time.
    let listed = app.find("#backup-list li[data-file='recert-20261128T091500Z.sqlite3']").await.text().await.unwrap();
    assert!(listed.contains("4:15") && !listed.contains("UTC") && !listed.contains("09:15"), "{listed}");

    // The category table beside the money panel: whole, not cut off.
    show(&app, "detail", "#/credential/1").await;
    app.screenshot("detail-categories").await;
    for (width, height) in [(1280, 800), (1100, 760)] {
        app.client.set_window_size(width, height).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let clipped = app
            .script(
                "const s = document.querySelector('#cycle-progress .table-scroll');
                 return s.scrollWidth - s.clientWidth;",
            )
            .await;
        assert_eq!(clipped, 0, "the category table is cut off at {width}×{height}");
    }
    // 38 days left: no monthly pace larger than what is left, in words a person says.
    let still = app.find("#cycle-progress").await.text().await.unwrap();
    assert!(!still.contains("a month"), "{still}");
    app.close().await;
}
