//! Rules files: `recert catalog update FILE` previews, applies with --yes and keeps what the user
//! typed; `recert catalog undo` takes it back; a bad file changes nothing.

use serde_json::Value;

use super::Recert;

/// The built-in catalog as a rules file, with `change` applied to it.
fn rules_file(recert: &Recert, name: &str, change: impl FnOnce(&mut Value)) -> std::path::PathBuf {
    let mut catalog = recert.ok(&["catalog", "--json"]).json();
    change(&mut catalog);
    let path = recert.data_dir().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&catalog).unwrap()).unwrap();
    path
}

fn preset<'a>(catalog: &'a mut Value, id: &str) -> &'a mut Value {
    catalog["presets"].as_array_mut().unwrap().iter_mut().find(|p| p["id"] == id).unwrap()
}

/// A newer edition: NSCA publishes its fee, NASM's units change, ISSA's fee changes.
fn newer(catalog: &mut Value) {
    catalog["version"] = "2027.01".into();
    catalog["published_on"] = "2027-01-15".into();
    preset(catalog, "nsca-cscs")["renewal_fee_usd"] = 345.into();
    preset(catalog, "nasm-cpt")["units_required"] = 2.5.into();
    preset(catalog, "issa-cpt")["renewal_fee_usd"] = 109.into();
    preset(catalog, "acsm-cpt")["grace"] = serde_json::json!({"months": 3});
}

#[test]
fn a_newer_rules_file_is_previewed_applied_and_undone_keeping_what_the_user_typed() {
    let recert = Recert::new();
    let cscs = recert.add("nsca-cscs", "2015-06-01");
    let nasm = recert.add("nasm-cpt", "2025-02-10");
    let issa = recert.add("issa-cpt", "2025-01-10");
    recert.ok(&["edit", &issa.to_string(), "--fee", "120"]);
    let file = rules_file(&recert, "newer.json", newer);
    let before = recert.dump();

    // Without --yes: what would change, and nothing changed.
    let preview = recert.ok(&["catalog", "update", file.to_str().unwrap()]);
    assert!(preview.stdout.contains("CSCS:\n  renewal fee: unknown → $345.00"), "{}", preview.stdout);
    assert!(preview.stdout.contains("NASM-CPT:\n  units required: 2.0 CEU → 2.5 CEU"), "{}", preview.stdout);
    assert!(preview.stdout.contains("renewal fee: kept as you set it ($120.00"), "{}", preview.stdout);
    assert!(!preview.stdout.contains("ACSM"), "no ACSM credential is held: {}", preview.stdout);
    assert!(preview.stdout.contains("--yes"), "{}", preview.stdout);
    assert_eq!(recert.dump(), before, "a preview changes nothing");

    let applied = recert.ok(&["catalog", "update", file.to_str().unwrap(), "--yes", "--json"]).json();
    assert_eq!(applied["applied"], true);
    assert_eq!(applied["to_version"], "2027.01");
    assert_eq!(recert.status_of(cscs)["renewal_fee_cents"], 34500);
    assert_eq!(recert.status_of(nasm)["units_required"], 2.5);
    assert_eq!(recert.status_of(issa)["renewal_fee_cents"], 12000, "the user's own fee stays");
    let listed = recert.ok(&["catalog"]).stdout;
    assert!(listed.starts_with("Rules as of Jan 15, 2027 (version 2027.01, from a rules file you loaded)"), "{listed}");

    // An older file than the rules in use is refused.
    let older = rules_file(&recert, "older.json", |c| {
        c["published_on"] = "2026-01-01".into();
    });
    let refused = recert.run(&["catalog", "update", older.to_str().unwrap(), "--yes"]);
    assert_eq!(refused.code, 2, "{}", refused.stdout);
    assert!(refused.stderr.contains("older than the rules in use"), "{}", refused.stderr);

    // Undo: the built-in rules again, the user's fee still theirs.
    recert.ok(&["catalog", "undo"]);
    assert_eq!(recert.status_of(cscs)["renewal_fee_cents"], Value::Null);
    assert_eq!(recert.status_of(nasm)["units_required"], 2.0);
    assert_eq!(recert.status_of(issa)["renewal_fee_cents"], 12000);
    assert!(recert.ok(&["catalog"]).stdout.starts_with("Rules as of Dec 6, 2026 (version 2026.12, built in)"));
    let nothing = recert.run(&["catalog", "undo"]);
    assert_eq!(nothing.code, 2);
    assert!(nothing.stderr.contains("no rules file was loaded"), "{}", nothing.stderr);
}

/// A change to a rules file's JSON.
type Change = dyn FnOnce(&mut Value);

#[test]
fn a_bad_rules_file_is_one_clear_line_and_changes_nothing() {
    let recert = Recert::new();
    recert.add("nasm-cpt", "2025-02-10");
    let before = recert.dump();
    let cases: Vec<(&str, Box<Change>, &str)> = vec![
        (
            "a fee that is text",
            Box::new(|c| preset(c, "nasm-cpt")["late_fees_usd"][0]["fee"] = "thirty".into()),
            "preset nasm-cpt (presets[0]), field late_fees_usd[0].fee: invalid type: string \"thirty\", expected a number",
        ),
        (
            "a misspelt field",
            Box::new(|c| {
                preset(c, "ace-cpt").as_object_mut().unwrap().insert("renewal_fee".into(), 99.into());
            }),
            "preset ace-cpt",
        ),
        (
            "three decimals",
            Box::new(|c| preset(c, "ncsf-cpt")["units_required"] = 10.125.into()),
            "preset ncsf-cpt: units_required must be a number from 0 with at most two decimals",
        ),
        (
            "a minimum over its maximum",
            Box::new(|c| preset(c, "nasm-cpt")["categories"][0]["min"] = 0.5.into()),
            "preset nasm-cpt: rules:",
        ),
        ("a newer format", Box::new(|c| c["format"] = 2.into()), "needs a newer Recert"),
        ("two presets with one id", Box::new(|c| preset(c, "ace-gfi")["id"] = "ace-cpt".into()), "appears twice"),
    ];
    for (what, change, message) in cases {
        let file = rules_file(&recert, "bad.json", change);
        let run = recert.run(&["catalog", "update", file.to_str().unwrap(), "--yes"]);
        assert_eq!(run.code, 2, "{what}: {}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "{what}: one line: {}", run.stderr);
        assert!(run.stderr.contains(message), "{what}: {}", run.stderr);
        assert_eq!(recert.dump(), before, "{what}: nothing changed");
    }
    std::fs::write(recert.data_dir().join("text.json"), "not json at all").unwrap();
    let run = recert.run(&["catalog", "update", recert.data_dir().join("text.json").to_str().unwrap()]);
    assert!(run.stderr.contains("is not JSON (line 1, column"), "{}", run.stderr);
    let run = recert.run(&["catalog", "update", recert.data_dir().to_str().unwrap()]);
    assert!(run.stderr.contains("is not a file"), "{}", run.stderr);
}
