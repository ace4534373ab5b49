//! `recert catalog`: the presets, each on one line, with what rests on a third party marked; the
//! catalog as a rules file (`--json`); `catalog update FILE` and `catalog undo`.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use recert_core::catalog::{read_rules_file, Catalog};
use recert_core::service::CatalogChange;
use recert_core::Recert;

use super::output::{out, print_json, Outcome};

/// Lists the presets of `catalog` (the one in use) matching `query`; with `json`, writes them as a
/// rules file that `catalog update` reads.
pub fn list(catalog: &Catalog, origin: &str, query: &str, json: bool) -> Outcome {
    let presets = if query.trim().is_empty() { catalog.presets().iter().collect() } else { catalog.search(query) };
    if json {
        return print_json(&catalog.document(presets.into_iter().cloned().collect()));
    }
    out!("Rules as of {} (version {}, {origin})", catalog.published_on().format("%b %-d, %Y"), catalog.version())?;
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

pub fn update(
    recert: &mut Recert,
    file: &Path,
    yes: bool,
    json: bool,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Outcome {
    let text = read_rules_file(file)?;
    let change = recert.update_catalog(&text, yes, now, today)?;
    if json {
        return print_json(&change);
    }
    report(&change)?;
    if !yes {
        out!("Nothing is changed yet: run `recert catalog update {} --yes` to use these rules.", file.display())?;
    }
    Ok(())
}

pub fn undo(recert: &mut Recert, json: bool, now: DateTime<Utc>, today: NaiveDate) -> Outcome {
    let change = recert.undo_catalog(now, today)?;
    if json {
        return print_json(&change);
    }
    report(&change)
}

/// What a catalog change does, as a person reads it.
fn report(change: &CatalogChange) -> Outcome {
    let verb = if change.applied { "Now using" } else { "This rules file has" };
    out!(
        "{verb} the rules as of {} (version {}); before: {} (version {}).",
        change.to_published_on.format("%b %-d, %Y"),
        change.to_version,
        change.from_published_on.format("%b %-d, %Y"),
        change.from_version
    )?;
    let count = |list: &[String], what: &str| (!list.is_empty()).then(|| format!("{} {what}", list.len()));
    let presets: Vec<String> = [
        count(&change.presets_added, "presets added"),
        count(&change.presets_changed, "changed"),
        count(&change.presets_removed, "removed"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !presets.is_empty() {
        out!("Presets: {}.", presets.join(", "))?;
    }
    if change.credentials.is_empty() {
        return out!("Nothing changes for the credentials you hold.");
    }
    for update in &change.credentials {
        out!("{}:", update.abbreviation)?;
        for field in &update.changes {
            out!("  {}: {} → {}", field.field, field.before, field.after)?;
        }
        for field in &update.kept {
            out!("  {}: kept as you set it ({}; the rules file says {})", field.field, field.before, field.after)?;
        }
    }
    Ok(())
}
