//! Reminder claims, resolved reminders and the notifications kept on screen.

use super::*;

#[test]
fn a_claimed_reminder_waits_for_its_outcome_or_for_the_claim_to_lapse() {
    let (dir, mut window) = open();
    let today = d("2026-12-17");
    let form = CredentialForm {
        preset: Some("acsm-cpt".into()),
        earned_on: "2024-03-01".into(),
        fields: CredentialText { expires: Some("2026-12-31".into()), ..Default::default() },
        ..Default::default()
    };
    window.add_credential(&form, now(), today).unwrap();
    let claimed = window.claim_due_reminders(today, now(), |_| true).unwrap();
    assert_eq!(claimed.len(), 3, "the deadline, the missing credits and the missing CPR/AED card");
    let mut cron = Recert::open(dir.path(), now()).unwrap();
    assert!(cron.claim_due_reminders(today, now(), |_| true).unwrap().is_empty(), "the window is raising them");

    // No server took the first one: it is due again at once, for whichever checker comes next.
    window.record_reminder(&claimed[0], Some("no notification server"), now()).unwrap();
    assert_eq!(cron.claim_due_reminders(today, now(), |_| true).unwrap(), vec![claimed[0].clone()]);
    cron.record_reminder(&claimed[0], None, now()).unwrap();

    // The window died before recording the others: its claims lapse after five minutes.
    let soon = now() + chrono::Duration::minutes(4);
    assert!(cron.claim_due_reminders(today, soon, |_| true).unwrap().is_empty());
    let later = now() + chrono::Duration::minutes(6);
    assert_eq!(cron.claim_due_reminders(today, later, |_| true).unwrap(), claimed[1..].to_vec());
    for reminder in &claimed[1..] {
        cron.record_reminder(reminder, None, later).unwrap();
    }
    assert!(window.claim_due_reminders(today, later, |_| true).unwrap().is_empty(), "each was shown once");
    assert!(window.due_reminders(today, later).unwrap().is_empty());
}

#[test]
fn a_reminder_whose_cause_is_gone_reads_as_resolved() {
    let (_dir, mut recert) = open();
    let today = d("2026-11-23");
    let cscs = add(&mut recert, "nsca-cscs", "2015-06-01");
    for reminder in recert.claim_due_reminders(today, now(), |_| true).unwrap() {
        recert.record_reminder(&reminder, None, now()).unwrap();
    }
    let resolved = |recert: &Recert, kind: &str| {
        recert.reminder_log(50, today).unwrap().iter().find(|r| r.kind == kind).unwrap().resolved
    };
    assert!(!resolved(&recert, "prerequisite") && !resolved(&recert, "deadline"));
    add_on(&mut recert, "cpr-aed-aha", "2026-11-02", "2026-11-23"); // valid through 2028-11-30
    assert!(resolved(&recert, "prerequisite"), "the card was added");
    assert!(!resolved(&recert, "deadline"));
    recert.renew(cscs.id, &renewal("2026-11-23", None), today).unwrap();
    assert!(resolved(&recert, "deadline") && resolved(&recert, "shortfall"), "renewed");
}

#[test]
fn open_notifications_are_kept_for_another_process_to_take_over() {
    use crate::reminders::OpenNotification;
    let (_dir, mut recert) = open();
    let shown = |bus: &str, id: u32, keys: &[&str]| OpenNotification {
        bus: bus.into(),
        id,
        title: format!("title {id}"),
        body: format!("body {id}\nsecond line"),
        reminder_keys: keys.iter().map(|k| k.to_string()).collect(),
    };
    let earlier = now() - chrono::Duration::days(8);
    recert.note_open_notification(&shown("unix:a", 7, &["1:due:60"]), now()).unwrap();
    recert.note_open_notification(&shown("unix:a", 8, &["1:due:30", "2:cpr:14"]), now()).unwrap();
    recert.note_open_notification(&shown("unix:a", 3, &["3:due:90"]), earlier).unwrap();
    recert.note_open_notification(&shown("unix:old-session", 9, &["1:due:60"]), now()).unwrap();
    recert.forget_notification("unix:a", 7).unwrap();

    let open = recert.notifications_to_take_over("unix:a", now()).unwrap();
    assert_eq!(open, vec![shown("unix:a", 8, &["1:due:30", "2:cpr:14"])], "closed, old and other-session ones are out");
    assert_eq!(
        recert.notifications_to_take_over("unix:a", now()).unwrap().len(),
        1,
        "taking over keeps the row: the new owner forgets it on close"
    );
    assert!(
        recert.notifications_to_take_over("unix:old-session", now()).unwrap().is_empty(),
        "forgotten when another session took over"
    );
}

#[test]
fn a_notification_raised_only_by_a_mistaken_renewal_is_withdrawn_when_it_is_undone() {
    use crate::reminders::{OpenNotification, ReminderKind};
    let (_dir, mut recert) = open();
    let today = d("2026-12-06");
    // ACSM-CPT due Dec 31, 2026; the card is valid through Jan 31, 2027: no problem yet.
    let form = CredentialForm {
        preset: Some("acsm-cpt".into()),
        earned_on: "2023-05-01".into(),
        fields: CredentialText { expires: Some("2026-12-31".into()), ..Default::default() },
        ..Default::default()
    };
    let acsm = recert.add_credential(&form, now(), today).unwrap();
    add_on(&mut recert, "cpr-aed-aha", "2025-01-10", "2026-12-06");
    let before = recert.claim_due_reminders(today, now(), |_| true).unwrap();
    assert!(before.iter().all(|r| r.kind != ReminderKind::Prerequisite), "{before:?}");
    let shown = |id: u32, reminders: &[crate::reminders::Reminder]| OpenNotification {
        bus: "unix:a".into(),
        id,
        title: reminders[0].title.clone(),
        body: reminders[0].body.clone(),
        reminder_keys: reminders.iter().map(|r| r.key.clone()).collect(),
    };
    recert.note_open_notification(&shown(1, &before), now()).unwrap();

    // A renewal recorded by mistake: ACSM now runs to 2029, and the card lapses before it.
    recert.renew(acsm.id, &renewal("2026-12-06", None), today).unwrap();
    let mistaken = recert.claim_due_reminders(today, now(), |_| true).unwrap();
    let card: Vec<_> = mistaken.into_iter().filter(|r| r.kind == ReminderKind::Prerequisite).collect();
    assert_eq!(card.len(), 1, "the seconds of the mistake raise the card reminder");
    recert.note_open_notification(&shown(2, &card), now()).unwrap();

    recert.undo_renewal(acsm.id).unwrap();
    let withdrawn = recert.withdraw_resolved_notifications("unix:a", today).unwrap();
    assert_eq!(withdrawn.iter().map(|n| n.id).collect::<Vec<_>>(), vec![2], "only the mistake's notification");
    let left = recert.notifications_to_take_over("unix:a", now()).unwrap();
    assert_eq!(left.iter().map(|n| n.id).collect::<Vec<_>>(), vec![1], "the deadline's own notification stays");
    assert!(recert.withdraw_resolved_notifications("unix:a", today).unwrap().is_empty());
}
