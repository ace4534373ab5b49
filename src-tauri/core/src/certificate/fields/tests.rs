use super::*;

fn read(text: &str) -> Reading {
    read_fields(text, &catalog_bodies())
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn dates_in_every_spelling() {
    for (text, expected) in [
        ("Date of completion: March 5, 2026", day(2026, 3, 5)),
        ("Completed on 5 March 2026", day(2026, 3, 5)),
        ("Completed: 03/05/2026", day(2026, 3, 5)),
        ("Completed: 13/05/2026", day(2026, 5, 13)),
        ("Completed: 2026-03-05", day(2026, 3, 5)),
        ("Held on Mar. 5th, 2026", day(2026, 3, 5)),
        ("Event dates: March 5-6, 2026", day(2026, 3, 6)),
    ] {
        let reading = read(text);
        assert_eq!(reading.completed_on, expected, "{text}");
        assert_eq!(reading.evidence.completed_on.as_deref(), Some(text));
    }
    // The certificate says it writes the day first.
    assert_eq!(read("Date (DD/MM/YYYY): 03/05/2026").completed_on, day(2026, 5, 3));
}

#[test]
fn completion_date_wins_over_issue_and_expiry_and_two_stay_empty() {
    let card = "Heartsaver CPR AED\nIssue Date: 03/05/2026\nRecommended Renewal Date: 03/31/2028";
    assert_eq!(read(card).completed_on, day(2026, 3, 5));
    let both = "Issued June 1, 2026\nCompleted on May 30, 2026";
    assert_eq!(read(both).completed_on, day(2026, 5, 30));
    let label_above = "Date of Completion\nApril 2, 2026\nValid through\nApril 2, 2028";
    assert_eq!(read(label_above).completed_on, day(2026, 4, 2));
    let two = "Completed on May 30, 2026\nCompleted on June 2, 2026";
    let reading = read(two);
    assert_eq!(reading.completed_on, None);
    assert!(reading.is_unsure("completed_on"));
}

#[test]
fn hours_and_units_per_body() {
    let text = "This course is approved by NASM for 0.8 CEUs (8 contact hours).\n\
                Approved by ACE for 1.0 CEC\nNSCA Category C ... 0.5 CEU";
    let reading = read(text);
    assert_eq!(reading.hours, Some(Hours(800)));
    let units: Vec<(String, i64, String)> =
        reading.units.iter().map(|u| (u.body.clone(), u.amount.hundredths(), u.unit.clone())).collect();
    assert_eq!(
        units,
        [("NASM".into(), 80, "CEU".into()), ("ACE".into(), 100, "CEC".into()), ("NSCA".into(), 50, "CEU".into())]
    );
    assert_eq!(reading.evidence.units.len(), 3);
    assert_eq!(read("Total: 8.0 hours").hours, Some(Hours(800)));
    assert_eq!(read("NASM CEUs: 0.8").units[0].amount.hundredths(), 80);
    assert_eq!(read("ISSA awards 2 CE credits").units[0].unit, "CE credit");
    // Full names count; units without a body are not credited to one.
    let full = read("National Academy of Sports Medicine\n0.6 CEUs");
    assert_eq!(full.units[0].body, "NASM");
    assert!(read("2 CE credits").units.is_empty());
    let two = read("Length: 8 hours\nTotal of 6 hours");
    assert_eq!(two.hours, None);
    assert!(two.is_unsure("hours"));
}

#[test]
fn providers_titles_and_approval_numbers() {
    let text = "CERTIFICATE OF COMPLETION\nThis certifies that\nJordan Lee\nhas successfully completed\n\
                Kettlebell Foundations for Coaches\non March 5, 2026\nProvider: Iron Path Education\n\
                ACE Course Number: CEP-12345   NASM Course ID: 98765";
    let reading = read(text);
    assert_eq!(reading.title.as_deref(), Some("Kettlebell Foundations for Coaches"));
    assert_eq!(reading.provider.as_deref(), Some("Iron Path Education"));
    assert_eq!(
        reading.approval,
        [
            Approval { body: "ACE".into(), number: "CEP-12345".into() },
            Approval { body: "NASM".into(), number: "98765".into() }
        ]
    );
    let letter = "This letter confirms that Sam Ortiz attended the 2026 Coaches Strength Summit, held in Denver \
                  on October 3, 2026, for a total of 12 contact hours. Hosted by Summit Events LLC.";
    let reading = read(letter);
    assert_eq!(reading.title.as_deref(), Some("2026 Coaches Strength Summit"));
    assert_eq!(reading.completed_on, day(2026, 10, 3));
    assert_eq!(reading.hours, Some(Hours(1200)));
    assert_eq!(reading.provider.as_deref(), Some("Summit Events LLC"));
    assert_eq!(read("Course Title: Mobility for Runners").title.as_deref(), Some("Mobility for Runners"));
}

#[test]
fn text_that_is_no_certificate_finds_nothing() {
    let reading = read("Grocery list\nmilk, eggs, bread\nCall Sam back");
    assert!(!reading.found_anything());
    assert_eq!(reading, Reading::default());
}
