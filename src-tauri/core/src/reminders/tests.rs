use super::*;
use crate::credential::Credential;
use crate::progress::CycleTotals;
use crate::test_support::{d, held_on};

/// Added on 2026-01-01, or on the day it was earned when later.
fn held(id: i64, preset: &str, earned: &str, expires: Option<&str>) -> Credential {
    held_on(id, preset, earned, expires, &d("2026-01-01").max(d(earned)).to_string())
}
use crate::service::reports;

fn plan(credentials: &[Credential], history: &ReminderHistory, today: &str) -> Vec<Reminder> {
    let mut totals: HashMap<i64, CycleTotals> = HashMap::new();
    let reports = reports(credentials, &mut totals, d(today), 90);
    due_now(&reports, &LeadTimes::default(), history, d(today))
}

fn summary(reminders: &[Reminder]) -> Vec<(String, u32)> {
    reminders.iter().map(|r| (r.kind.as_str().to_string(), r.lead_days)).collect()
}

/// Raises what is due and records it as shown, as the app does.
fn raise(credentials: &[Credential], history: &mut ReminderHistory, today: &str) -> Vec<(String, u32)> {
    let due = plan(credentials, history, today);
    for reminder in &due {
        history.shown.insert(reminder.key.clone());
        history.snoozed_until.remove(&reminder.key);
    }
    summary(&due)
}

fn s(kind: &str, lead: u32) -> (String, u32) {
    (kind.to_string(), lead)
}

#[test]
fn lead_times_fire_one_by_one() {
    // ACSM with its cycle ending 2026-12-31 and 45 CEC still needed; card valid long enough.
    let acsm = held(1, "acsm-cpt", "2024-03-01", Some("2026-12-31"));
    let card = held(2, "cpr-aed-aha", "2025-09-12", None);
    let credentials = [acsm, card];
    let mut history = ReminderHistory::default();
    assert_eq!(raise(&credentials, &mut history, "2026-10-01"), vec![], "91 days before: nothing yet");
    assert_eq!(raise(&credentials, &mut history, "2026-10-02"), vec![s("deadline", 90), s("shortfall", 90)]);
    assert_eq!(raise(&credentials, &mut history, "2026-10-03"), vec![], "never twice");
    assert_eq!(raise(&credentials, &mut history, "2026-11-01"), vec![s("deadline", 60), s("shortfall", 60)]);
    assert_eq!(raise(&credentials, &mut history, "2026-12-30"), vec![s("deadline", 1), s("shortfall", 1)]);
    assert_eq!(raise(&credentials, &mut history, "2026-12-31"), vec![]);
}

#[test]
fn after_a_long_gap_only_the_most_urgent_is_raised() {
    let acsm = held(1, "acsm-cpt", "2024-03-01", Some("2026-12-31"));
    let card = held(2, "cpr-aed-aha", "2025-09-12", None);
    let credentials = [acsm, card];
    let mut history = ReminderHistory::default();
    // Closed from September to 20 December: 90, 60, 30 and 14 were all missed.
    assert_eq!(raise(&credentials, &mut history, "2026-12-20"), vec![s("deadline", 14), s("shortfall", 14)]);
    // The missed ones never come later.
    assert_eq!(raise(&credentials, &mut history, "2026-12-21"), vec![]);
    assert_eq!(raise(&credentials, &mut history, "2026-12-24"), vec![s("deadline", 7), s("shortfall", 7)]);
}

#[test]
fn a_snoozed_reminder_comes_back_after_the_snooze() {
    let ncsf = held(1, "ncsf-cpt", "2025-03-14", None); // ends 2027-03-31
    let card = held(2, "cpr-aed-aha", "2026-01-10", None);
    let credentials = [ncsf, card];
    let mut history = ReminderHistory::default();
    let raised = plan(&credentials, &history, "2027-01-01");
    let deadline = raised.iter().find(|r| r.kind == ReminderKind::Deadline).unwrap().clone();
    assert_eq!(deadline.lead_days, 90);
    history.shown.insert(deadline.key.clone());
    history.snoozed_until.insert(deadline.key.clone(), d("2027-01-02"));
    let kinds = |today| summary(&plan(&credentials, &history, today));
    assert!(!kinds("2027-01-01").contains(&s("deadline", 90)), "snoozed today");
    assert!(kinds("2027-01-02").contains(&s("deadline", 90)), "back after the snooze");
}

#[test]
fn renewing_drops_the_old_cycles_reminders() {
    let mut acsm = held(1, "acsm-cpt", "2024-03-01", Some("2026-12-31"));
    let card = held(2, "cpr-aed-aha", "2026-09-12", None);
    let mut history = ReminderHistory::default();
    assert_eq!(raise(&[acsm.clone(), card.clone()], &mut history, "2026-12-20").len(), 2);
    // Renewed: the new cycle ends 2029-12-31; nothing is due for it yet.
    acsm.cycle = crate::rules::Cycle { start: d("2027-01-01"), end: d("2029-12-31") };
    assert_eq!(raise(&[acsm, card], &mut history, "2026-12-24"), vec![]);
}

#[test]
fn late_fee_then_grace_ending() {
    let acsm = held(1, "acsm-cpt", "2024-03-01", Some("2026-12-31"));
    let card = held(2, "cpr-aed-aha", "2026-09-12", None);
    let credentials = [acsm, card];
    let mut history = ReminderHistory::default();
    assert_eq!(raise(&credentials, &mut history, "2027-01-01"), vec![s("late_fee", 0)]);
    let late = plan(&credentials, &ReminderHistory::default(), "2027-01-01");
    assert!(late[0].body.contains("$80.00 late fee"), "{}", late[0].body);
    assert_eq!(late[0].title, "ACSM-CPT deadline passed: a $80.00 late fee now applies");
    assert!(late[0].body.contains("Jun 30, 2027"), "{}", late[0].body);
    // Grace ends 2027-06-30: warnings 30, 14, 7 and 1 days before.
    assert_eq!(raise(&credentials, &mut history, "2027-05-31"), vec![s("grace_ending", 30)]);
    assert_eq!(raise(&credentials, &mut history, "2027-06-29"), vec![s("grace_ending", 1)]);
    assert_eq!(raise(&credentials, &mut history, "2027-07-01"), vec![], "lapsed: nothing more to act on in time");
}

#[test]
fn month_ends_and_leap_days() {
    // AHA card issued 2026-02-10 is valid through 2028-02-29 (a leap year).
    let card = held(1, "cpr-aed-aha", "2026-02-10", None);
    assert_eq!(card.cycle.end, d("2028-02-29"));
    let mut history = ReminderHistory::default();
    assert_eq!(raise(std::slice::from_ref(&card), &mut history, "2027-11-30"), vec![], "91 days before");
    assert_eq!(raise(std::slice::from_ref(&card), &mut history, "2027-12-01"), vec![s("deadline", 90)]);
    assert_eq!(raise(std::slice::from_ref(&card), &mut history, "2028-02-28"), vec![s("deadline", 1)]);
    let body = &plan(&[card], &ReminderHistory::default(), "2028-02-28")[0].body;
    assert!(body.contains("Feb 29, 2028"), "{body}");
}

#[test]
fn a_credential_with_several_prerequisite_checks() {
    // CSCS (due 2026-12-31) and NCSF-CPT (due 2027-03-31) both need the card that ends 2026-10-31.
    let cscs = held(1, "nsca-cscs", "2015-06-01", None);
    let ncsf = held(2, "ncsf-cpt", "2025-03-14", None);
    let card = held(3, "cpr-aed-aha", "2024-10-05", None);
    let credentials = [cscs, ncsf, card];
    let due = plan(&credentials, &ReminderHistory::default(), "2026-08-15");
    let prerequisite: Vec<_> = due.iter().filter(|r| r.kind == ReminderKind::Prerequisite).collect();
    assert_eq!(prerequisite.len(), 2, "one per guarded credential");
    assert!(prerequisite.iter().all(|r| r.lead_days == 90));
    assert!(prerequisite[0].body.contains("Oct 31, 2026"), "{}", prerequisite[0].body);
    // After the card has expired: "needs a current card", once.
    let mut history = ReminderHistory::default();
    let expired_text = plan(&credentials, &ReminderHistory::default(), "2026-11-23");
    let card_reminder = expired_text.iter().find(|r| r.kind == ReminderKind::Prerequisite).unwrap();
    assert_eq!(card_reminder.title, "CSCS needs a current CPR/AED card");
    assert_eq!(
        card_reminder.body,
        "Your CPR/AED card (AHA CPR/AED) expired on 2026-10-31; CSCS requires a current one — renew it."
    );
    let expired = raise(&credentials, &mut history, "2026-11-23");
    assert_eq!(expired.iter().filter(|(k, _)| k == "prerequisite").count(), 2);
    assert!(raise(&credentials, &mut history, "2026-11-24").iter().all(|(k, _)| k != "prerequisite"));
}

#[test]
fn text_says_what_by_when_and_how_much() {
    let acsm = held(1, "acsm-cpt", "2024-03-01", Some("2026-12-31"));
    let card = held(2, "cpr-aed-aha", "2026-09-12", None);
    let due = plan(&[acsm, card], &ReminderHistory::default(), "2026-12-17");
    let deadline = due.iter().find(|r| r.kind == ReminderKind::Deadline).unwrap();
    assert_eq!(deadline.title, "ACSM-CPT renewal due in 14 days");
    assert_eq!(deadline.body, "Renew ACSM-CPT by Dec 31, 2026 — $60.00.");
    let shortfall = due.iter().find(|r| r.kind == ReminderKind::Shortfall).unwrap();
    // 45 CEC in 14 days: the days left, not "about 97.8 a month".
    assert_eq!(shortfall.body, "Log 45.0 more CEC by Dec 31, 2026 (14 days left) to renew ACSM-CPT.");
    assert_eq!(deadline.key, "1:2026-12-31:deadline:14");
}

#[test]
fn lead_time_settings_are_checked() {
    assert_eq!(LeadTimes::parse("30, 90,7").unwrap().days(), &[90, 30, 7]);
    for bad in ["-1", "30,30", "2000", "", "soon", "1.5"] {
        assert_eq!(LeadTimes::parse(bad).unwrap_err().field(), Some("lead-days"), "{bad}");
    }
}

#[test]
fn a_per_credential_override_wins() {
    let mut acsm = held(1, "acsm-cpt", "2024-03-01", Some("2026-12-31"));
    acsm.rules.reminder_lead_days = Some(vec![120]);
    let card = held(2, "cpr-aed-aha", "2026-01-10", None);
    let due = plan(&[acsm, card], &ReminderHistory::default(), "2026-09-02");
    assert_eq!(summary(&due), vec![s("deadline", 120), s("shortfall", 120)]);
}

#[test]
fn many_reminders_at_once_become_one_summary() {
    let cscs = held(1, "nsca-cscs", "2015-06-01", None);
    let ncsf = held(2, "ncsf-cpt", "2025-03-14", None);
    let card = held(3, "cpr-aed-aha", "2024-10-05", None);
    let due = plan(&[cscs.clone(), ncsf, card], &ReminderHistory::default(), "2026-11-23");
    assert!(due.len() > MAX_SEPARATE_NOTIFICATIONS, "{}", due.len());
    let summary = notices(&due);
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].title, format!("{} Recert reminders", due.len()));
    assert_eq!(summary[0].reminders.len(), due.len(), "every reminder is accounted for");
    assert!(summary[0].body.starts_with(&format!("• {}", due[0].title)), "{}", summary[0].body);

    let few = plan(std::slice::from_ref(&cscs), &ReminderHistory::default(), "2026-11-23");
    assert!(few.len() <= MAX_SEPARATE_NOTIFICATIONS);
    let separate = notices(&few);
    assert_eq!(separate.len(), few.len());
    assert_eq!(separate[0].title, few[0].title);
}

#[test]
fn an_unknown_fee_is_said_plainly() {
    let cscs = held(1, "nsca-cscs", "2015-06-01", None);
    let card = held(2, "cpr-aed-aha", "2026-01-10", None);
    let due = plan(&[cscs, card], &ReminderHistory::default(), "2026-11-23");
    let deadline = due.iter().find(|r| r.kind == ReminderKind::Deadline).unwrap();
    assert_eq!(deadline.body, "Renew CSCS by Dec 31, 2026 (renewal fee unknown — check with NSCA).");
}

#[test]
fn a_joint_fee_is_said_as_one_fee() {
    let cpt = held(1, "ncsf-cpt", "2025-03-14", None);
    let csc = held(2, "ncsf-csc", "2025-03-02", None);
    let due = plan(&[cpt, csc], &ReminderHistory::default(), "2027-03-17");
    let deadline = due.iter().find(|r| r.kind == ReminderKind::Deadline).unwrap();
    assert_eq!(
        deadline.body,
        "Renew NCSF-CPT by Mar 31, 2027 — $50.00, share of NCSF's $100.00 fee for NCSF-CPT and NCSF-CSC renewed together."
    );
}

#[test]
fn after_setting_up_everything_due_comes_as_one_summary() {
    let cscs = held(1, "nsca-cscs", "2015-06-01", None);
    let card = held(2, "cpr-aed-aha", "2026-11-02", None);
    let due = plan(&[cscs, card], &ReminderHistory::default(), "2026-11-23");
    assert!(due.len() >= 2 && due.len() <= MAX_SEPARATE_NOTIFICATIONS, "{}", due.len());
    assert_eq!(notices(&due).len(), due.len(), "a few reminders come one by one");
    let summary = setup_notices(&due);
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0].title, format!("Recert is set up: {} things to look at", due.len()));
    assert_eq!(summary[0].reminders.len(), due.len(), "every reminder is recorded with it");
}

#[test]
fn a_late_fee_of_unknown_amount_says_so() {
    let ace = held(1, "ace-cpt", "2024-06-06", Some("2026-06-06"));
    let late: Vec<Reminder> = plan(&[ace], &ReminderHistory::default(), "2026-06-07")
        .into_iter()
        .filter(|r| r.kind == ReminderKind::LateFee)
        .collect();
    assert_eq!(late[0].title, "ACE-CPT deadline passed: late fee now applies (amount unknown)");
}

#[test]
fn a_missing_cpr_card_credit_is_named_not_hours_of_courses() {
    let nasm = held(1, "nasm-cpt", "2025-03-01", None);
    let mut totals = HashMap::from([(
        1,
        CycleTotals { by_category: vec![(Some("courses".into()), crate::amount::Units(210))], ..Default::default() },
    )]);
    let reports = reports(&[nasm], &mut totals, d("2026-12-06"), 90);
    let due = due_now(&reports, &LeadTimes::default(), &ReminderHistory::default(), d("2026-12-06"));
    let shortfall = due.iter().find(|r| r.kind == ReminderKind::Shortfall).unwrap();
    assert!(shortfall.body.starts_with("Renew or record your CPR/AED card by Mar 1, 2027"), "{}", shortfall.body);
}
