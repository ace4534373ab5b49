//! `recert catalog`: the presets, each on one line, with what rests on a third party marked.

use recert_core::catalog::Catalog;

use super::output::{out, print_json, Outcome};

pub fn catalog(query: &str, json: bool) -> Outcome {
    let catalog = Catalog::builtin();
    let presets = if query.trim().is_empty() { catalog.presets().iter().collect() } else { catalog.search(query) };
    if json {
        return print_json(&presets);
    }
    for preset in presets {
        let rules = preset.rules();
        let requirement = match (rules.units_required, &rules.unit) {
            (Some(units), Some(unit)) => format!("{units} {unit}"),
            (None, Some(unit)) => format!("{unit}: amount unknown"),
            _ => "no units".into(),
        };
        let years = rules.cycle.years().map_or("cycle unknown".into(), |y| format!("{y}-year cycle"));
        let unverified = if rules.provenance.unverified.is_empty() {
            String::new()
        } else {
            let fields: Vec<&str> = rules.provenance.unverified.keys().map(|k| k.as_str()).collect();
            format!(" [unverified: {}]", fields.join(", ").replace('_', " "))
        };
        out!("{:<12} {} ({}) — {years}, {requirement}{unverified}", preset.id, preset.name, preset.body_short)?;
    }
    Ok(())
}
