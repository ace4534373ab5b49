use super::*;
use crate::catalog::Catalog;
use crate::test_support::d;

const NSCA: CycleRule = CycleRule::Fixed {
    ends_on: match NaiveDate::from_ymd_opt(2026, 12, 31) {
        Some(date) => date,
        None => panic!(),
    },
    years: 3,
};

#[test]
fn first_cycle_end_for_each_rule() {
    let cases: &[(&str, CycleRule, &str, &str)] = &[
        ("NSCA earned long ago", NSCA, "2015-06-01", "2017-12-31"),
        ("NSCA earned inside the cycle", NSCA, "2025-03-14", "2026-12-31"),
        ("NSCA earned on the cycle end", NSCA, "2026-12-31", "2026-12-31"),
        ("NSCA earned the day after", NSCA, "2027-01-01", "2029-12-31"),
        ("CSCCa 31 July", CycleRule::Fixed { ends_on: d("2028-07-31"), years: 3 }, "2026-11-23", "2028-07-31"),
        (
            "CSCCa before the cohort start",
            CycleRule::Fixed { ends_on: d("2028-07-31"), years: 3 },
            "2025-07-31",
            "2025-07-31",
        ),
        ("NCSF month end", CycleRule::AnniversaryMonthEnd { years: 2 }, "2025-03-14", "2027-03-31"),
        ("AHA card issued on a leap day", CycleRule::AnniversaryMonthEnd { years: 2 }, "2024-02-29", "2026-02-28"),
        ("month end of a leap February", CycleRule::AnniversaryMonthEnd { years: 2 }, "2026-02-10", "2028-02-29"),
        ("exact anniversary", CycleRule::Anniversary { years: 2 }, "2025-06-15", "2027-06-15"),
        ("exact anniversary of a leap day", CycleRule::Anniversary { years: 2 }, "2024-02-29", "2026-02-28"),
        ("exact anniversary four years on", CycleRule::Anniversary { years: 4 }, "2024-02-29", "2028-02-29"),
        ("ACSM year end", CycleRule::YearEnd { years: 3 }, "2025-05-10", "2028-12-31"),
    ];
    for (name, rule, earned, expected) in cases {
        assert_eq!(rule.first_end(d(earned)), Some(d(expected)), "{name}");
    }
    assert_eq!(CycleRule::Manual.first_end(d("2025-01-01")), None);
}

#[test]
fn renewal_starts_the_next_cycle_by_the_rule() {
    type Span = (&'static str, &'static str);
    let cases: &[(&str, CycleRule, RenewsFrom, Span, &str, Span)] = &[
        (
            "ACSM cycle ending 2026-12-31",
            CycleRule::YearEnd { years: 3 },
            RenewsFrom::CycleEnd,
            ("2024-01-01", "2026-12-31"),
            "2026-10-02",
            ("2027-01-01", "2029-12-31"),
        ),
        ("NSCA", NSCA, RenewsFrom::CycleEnd, ("2024-01-01", "2026-12-31"), "2026-12-20", ("2027-01-01", "2029-12-31")),
        (
            "NCSF month end",
            CycleRule::AnniversaryMonthEnd { years: 2 },
            RenewsFrom::CycleEnd,
            ("2025-03-14", "2027-03-31"),
            "2027-03-01",
            ("2027-04-01", "2029-03-31"),
        ),
        (
            "NASM anniversary, renewed late",
            CycleRule::Anniversary { years: 2 },
            RenewsFrom::CycleEnd,
            ("2024-06-15", "2026-06-15"),
            "2026-08-01",
            ("2026-06-16", "2028-06-15"),
        ),
        (
            "AHA card reissued on the course day",
            CycleRule::AnniversaryMonthEnd { years: 2 },
            RenewsFrom::RenewalDate,
            ("2024-10-05", "2026-10-31"),
            "2026-09-12",
            ("2026-09-12", "2028-09-30"),
        ),
    ];
    for (name, rule, renews_from, (start, end), renewed_on, (next_start, next_end)) in cases {
        let previous = Cycle { start: d(start), end: d(end) };
        let next = next_cycle(rule, *renews_from, previous, d(renewed_on), d(start)).unwrap();
        assert_eq!(next, Cycle { start: d(next_start), end: d(next_end) }, "{name}");
    }
    let manual = Cycle { start: d("2025-01-01"), end: d("2027-01-01") };
    assert_eq!(next_cycle(&CycleRule::Manual, RenewsFrom::CycleEnd, manual, d("2026-12-01"), d("2025-01-01")), None);
}

/// Rules with the given cycle rule and nothing else known (90-day late window).
fn bare(cycle: CycleRule, renews_from: RenewsFrom) -> RenewalRules {
    let mut rules = Catalog::builtin().preset("issa-sc").unwrap().rules();
    rules.cycle = cycle;
    rules.renews_from = renews_from;
    rules
}

#[test]
fn current_cycle_walks_forward_only_past_deadlines_outside_their_late_window() {
    let today = d("2026-11-23");
    let nsca = bare(NSCA, RenewsFrom::CycleEnd);
    let placed = current_cycle(&nsca, d("2015-06-01"), None, today).unwrap();
    assert_eq!(placed.cycle, Cycle { start: d("2024-01-01"), end: d("2026-12-31") });
    assert_eq!(placed.assumed_renewals, 3, "2017, 2020 and 2023 were assumed");

    let placed = current_cycle(&nsca, d("2025-03-14"), None, today).unwrap();
    assert_eq!(placed.cycle, Cycle { start: d("2025-03-14"), end: d("2026-12-31") }, "earned mid-cycle");
    assert_eq!(placed.assumed_renewals, 0);

    // NASM: a deadline inside the one-year late window is not assumed renewed.
    let nasm = Catalog::builtin().preset("nasm-cpt").unwrap().rules();
    let placed = current_cycle(&nasm, d("2018-03-01"), None, today).unwrap();
    assert_eq!(placed.cycle, Cycle { start: d("2024-03-02"), end: d("2026-03-01") });
    assert_eq!(placed.assumed_renewals, 3);

    // With no grace or late fee known, 90 days: a deadline 91 days ago is passed, 90 days ago not.
    let plain = bare(CycleRule::Anniversary { years: 2 }, RenewsFrom::CycleEnd);
    let placed = current_cycle(&plain, d("2024-08-24"), None, d("2026-11-22")).unwrap();
    assert_eq!(placed.cycle.end, d("2026-08-24"), "90 days after the deadline");
    let placed = current_cycle(&plain, d("2024-08-24"), None, d("2026-11-23")).unwrap();
    assert_eq!(placed.cycle.end, d("2028-08-24"), "91 days after the deadline");
    assert_eq!(placed.assumed_renewals, 1);

    let given = current_cycle(&plain, d("2018-03-01"), Some(d("2026-11-30")), today).unwrap();
    assert_eq!(given.cycle, Cycle { start: d("2024-12-01"), end: d("2026-11-30") }, "--expires wins");
    assert_eq!(given.assumed_renewals, 0);

    let aha = bare(CycleRule::AnniversaryMonthEnd { years: 2 }, RenewsFrom::RenewalDate);
    let lapsed_card = current_cycle(&aha, d("2022-01-10"), None, today).unwrap();
    assert_eq!(lapsed_card.cycle.end, d("2024-01-31"), "a card is not assumed renewed");

    let month_end = bare(CycleRule::AnniversaryMonthEnd { years: 2 }, RenewsFrom::CycleEnd);
    let first = current_cycle(&month_end, d("2025-03-14"), Some(d("2027-03-31")), today).unwrap();
    assert_eq!(first.cycle.start, d("2025-03-14"), "an expiry matching the first cycle keeps the earned date");

    let error =
        current_cycle(&bare(CycleRule::Manual, RenewsFrom::CycleEnd), d("2025-01-01"), None, today).unwrap_err();
    assert_eq!(error.field(), Some("expires"));
    let error = current_cycle(&plain, d("2025-01-01"), Some(d("2024-01-01")), today).unwrap_err();
    assert_eq!(error.field(), Some("expires"));
}

#[test]
fn nsca_requirement_is_prorated_by_certification_date() {
    let catalog = Catalog::builtin();
    let rules = catalog.preset("nsca-cscs").unwrap().rules();
    let end = d("2026-12-31");
    let cases = [
        ("2019-05-01", 600, 550, 400),
        ("2023-12-31", 600, 550, 400),
        ("2024-01-01", 400, 350, 300),
        ("2024-12-31", 400, 350, 300),
        ("2025-01-01", 200, 150, 100),
        ("2025-12-31", 200, 150, 100),
        ("2026-01-01", 100, 100, 100),
        ("2026-06-30", 100, 100, 100),
        ("2026-07-01", 0, 0, 0),
        ("2026-12-31", 0, 0, 0),
    ];
    for (earned, required, a_max, b_max) in cases {
        let requirement = rules.requirement(d(earned), end);
        assert_eq!(requirement.units_required, Some(Units(required)), "earned {earned}");
        let max_of = |key: &str| requirement.categories.iter().find(|c| c.key == key).unwrap().max;
        assert_eq!(max_of("A"), Some(Units(a_max)), "A max, earned {earned}");
        assert_eq!(max_of("B"), Some(Units(b_max)), "B max, earned {earned}");
    }
    // The next cycle is a full one again.
    assert_eq!(rules.requirement(d("2026-08-01"), d("2029-12-31")).units_required, Some(Units(600)));
}

#[test]
fn late_fee_tiers_and_unknowns() {
    let mut rules = Catalog::builtin().preset("nasm-cpt").unwrap().rules();
    let end = d("2026-07-15");
    assert_eq!(rules.late_fee_on(end, d("2026-07-16")), Some(Cents(3000)));
    assert_eq!(rules.late_fee_on(end, d("2026-10-13")), Some(Cents(3000)), "day 90");
    assert_eq!(rules.late_fee_on(end, d("2026-10-14")), Some(Cents(5000)), "day 91");
    assert_eq!(rules.late_fee_on(end, d("2027-07-14")), Some(Cents(5000)), "the day before one year on");
    assert_eq!(rules.late_fee_on(end, d("2027-07-15")), None, "one year on: too late to renew");
    rules.late_fees = None;
    assert_eq!(rules.late_fee_on(end, d("2026-07-20")), None, "unknown stays unknown");
    rules.late_fees = Some(vec![]);
    assert_eq!(rules.late_fee_on(end, d("2026-07-20")), Some(Cents::ZERO));
}

#[test]
fn anniversary_less_one_day_and_the_acsm_change() {
    let acsm = CycleRule::YearEndBefore { changed_on: d("2025-01-01"), years: 3 };
    let cases = [
        ("2025-05-08", "2028-05-07"), // ACSM's own example
        ("2024-05-08", "2027-12-31"), // earned before the change: Dec 31
        ("2025-01-01", "2027-12-31"), // the day of the change: one day short of the anniversary
        ("2024-02-29", "2027-12-31"),
        ("2028-02-29", "2031-02-27"), // Feb 28 2031 (no Feb 29), less a day
        ("2025-03-01", "2028-02-29"), // leap year: Mar 1 2028 less a day
    ];
    for (earned, expected) in cases {
        assert_eq!(acsm.first_end(d(earned)), Some(d(expected)), "earned {earned}");
    }
    assert_eq!(acsm.end_after(d("2028-05-07")), Some(d("2031-05-07")), "renewal: three years from the expiry");
    assert_eq!(acsm.end_after(d("2027-12-31")), Some(d("2030-12-31")), "Dec 31 stays Dec 31");
    // An early renewal keeps the schedule and starts the next cycle the day after renewing.
    let next = next_cycle(
        &acsm,
        RenewsFrom::RenewalDayKeepingSchedule,
        Cycle { start: d("2025-05-08"), end: d("2028-05-07") },
        d("2028-02-10"),
        d("2025-05-08"),
    );
    assert_eq!(next, Some(Cycle { start: d("2028-02-11"), end: d("2031-05-07") }));
    let late = next_cycle(
        &acsm,
        RenewsFrom::RenewalDayKeepingSchedule,
        Cycle { start: d("2025-05-08"), end: d("2028-05-07") },
        d("2028-07-01"),
        d("2025-05-08"),
    );
    assert_eq!(late, Some(Cycle { start: d("2028-05-08"), end: d("2031-05-07") }), "renewed in grace");
}

#[test]
fn member_fee_falls_back_to_the_standard_fee() {
    let mut rules = Catalog::builtin().preset("acsm-cpt").unwrap().rules();
    assert_eq!(rules.fee_for(false), Some(Cents(6000)));
    assert_eq!(rules.fee_for(true), Some(Cents(6000)));
    rules.renewal_fee_member = Some(Cents(4500));
    assert_eq!(rules.fee_for(true), Some(Cents(4500)));
    rules.renewal_fee = None;
    assert_eq!(rules.fee_for(false), None);
}

#[test]
fn categories_match_by_key_or_name_then_default() {
    let rules = Catalog::builtin().preset("ncsf-cpt").unwrap().rules();
    let tags = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(rules.category_for(&tags(&["CPR"])).unwrap().key, "cpr");
    assert_eq!(rules.category_for(&tags(&["unrelated", "ethics"])).unwrap().key, "ethics");
    assert_eq!(rules.category_for(&tags(&[])).unwrap().key, "general", "falls into the default");
    let acsm = Catalog::builtin().preset("acsm-cpt").unwrap().rules();
    assert!(acsm.category_for(&tags(&["nutrition"])).is_none());
}

#[test]
fn validation_rejects_impossible_rules() {
    let mut rules = Catalog::builtin().preset("ncsf-cpt").unwrap().rules();
    rules.hours_per_unit = Some(Hours(0));
    assert!(rules.validate().is_err());
    let mut rules = Catalog::builtin().preset("ncsf-cpt").unwrap().rules();
    rules.categories[0].min = Some(Units(500));
    rules.categories[0].max = Some(Units(100));
    assert!(rules.validate().is_err());
    let mut rules = Catalog::builtin().preset("ncsf-cpt").unwrap().rules();
    rules.cycle = CycleRule::Anniversary { years: 0 };
    assert!(rules.validate().is_err());
}

#[test]
fn a_rule_reads_back_as_it_is_typed() {
    let rules = [
        NSCA,
        CycleRule::AnniversaryMonthEnd { years: 2 },
        CycleRule::Anniversary { years: 4 },
        CycleRule::YearEnd { years: 3 },
        CycleRule::AnniversaryLessOneDay { years: 3 },
        CycleRule::YearEndBefore { changed_on: d("2025-01-01"), years: 3 },
        CycleRule::Manual,
    ];
    for rule in rules {
        assert_eq!(CycleRule::from_spec(Some(&rule.spec()), rule.years()).unwrap(), rule, "{}", rule.spec());
    }
    assert_eq!(CycleRule::from_spec(None, Some(2)).unwrap(), CycleRule::Anniversary { years: 2 });
    assert_eq!(CycleRule::from_spec(Some("month-end"), None).unwrap_err().field(), Some("cycle-years"));
    assert_eq!(CycleRule::from_spec(Some("biennial"), Some(2)).unwrap_err().field(), Some("cycle-rule"));
}
