//! The headless `recert <subcommand>` interface over the core. Readable output by default, JSON
//! with `--json`; any error is one line on stderr and a non-zero exit, with nothing changed.

use std::io::Write;
use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use clap::{Args, Parser, Subcommand};
use recert_core::activity::{ActivityForm, CreditChoice, CreditDecision};
use recert_core::credential::{CredentialChanges, CredentialForm};
use recert_core::dates::parse_date;
use recert_core::paths::data_dir_from_env;
use recert_core::status::CredentialReport;
use recert_core::view::{ActivityView, CredentialView, DetailView, LoggedView, StatusView};
use recert_core::{Error, Recert};
use serde::Serialize;

#[derive(Parser, Debug)]
#[command(name = "recert", version, about = "Keeps your fitness credentials from lapsing.")]
#[command(after_help = "Without a subcommand, Recert opens its window.")]
pub struct Cli {
    /// Folder holding recert.sqlite3 (default: $RECERT_DATA_DIR, else ~/.local/share/recert)
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The day used for status and reminders (default: today)
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// Start the window hidden (used by "start at login")
    #[arg(long)]
    pub hidden: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the certification presets (optionally matching words)
    Catalog {
        query: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add a credential you hold, from a preset or typed in
    Add(AddArgs),
    /// Log a course or activity once; it is credited to every credential it can serve
    Log(LogArgs),
    /// Where every credential stands, most urgent first
    Status {
        #[arg(long)]
        json: bool,
    },
    /// One credential in detail: progress by category, credits, past cycles, rules
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Mark a credential renewed: closes the cycle and starts the next
    Renew {
        id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: String,
        /// Fee paid, e.g. 60.00
        #[arg(long, allow_negative_numbers = true)]
        fee: Option<String>,
        /// End of the new cycle, when the rule can't compute it or the body says otherwise
        #[arg(long, value_name = "YYYY-MM-DD")]
        expires: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change a held credential (anything not given stays; an empty value clears it)
    Edit(EditArgs),
    /// Remove a credential (its activities stay in the ledger)
    Remove {
        id: i64,
        /// Confirm removing a credential that has past cycles
        #[arg(long)]
        yes: bool,
    },
    /// The activity ledger, newest first
    Activities {
        #[arg(long)]
        json: bool,
    },
    /// Remove a logged activity and its credits
    RemoveActivity { id: i64 },
    /// Renewal fees due over the coming months
    Costs {
        #[arg(long, default_value_t = 24)]
        months: u32,
        #[arg(long)]
        json: bool,
    },
    /// Write a copy of the database into the data folder's backups/
    Backup,
    /// Raise the reminders due today as desktop notifications, record them, and exit
    Remind {
        /// Show what is due without raising or recording anything
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Reminder history, newest first
    Reminders {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Show or change settings
    Settings {
        /// Reminder lead times in days before a deadline, e.g. "90,60,30,14,7,1"
        #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
        lead_days: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// Fields a credential has whether it is being added or edited (an empty value clears one).
#[derive(Args, Debug)]
pub struct CredentialFields {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    body: Option<String>,
    #[arg(long)]
    abbreviation: Option<String>,
    /// Credential (certificate) number
    #[arg(long)]
    number: Option<String>,
    /// Current expiry date (always wins over the computed one)
    #[arg(long, value_name = "YYYY-MM-DD")]
    expires: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    /// anniversary, month-end, year-end, fixed:YYYY-MM-DD or manual
    #[arg(long, value_name = "RULE")]
    cycle_rule: Option<String>,
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    cycle_years: Option<String>,
    /// Units required per cycle
    #[arg(long, allow_negative_numbers = true, value_name = "U")]
    units: Option<String>,
    /// The unit's name (CEU, CEC)
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
    /// Clock hours per 1.0 unit
    #[arg(long, allow_negative_numbers = true, value_name = "H")]
    hours_per_unit: Option<String>,
    /// Renewal fee, e.g. 60.00
    #[arg(long, allow_negative_numbers = true)]
    fee: Option<String>,
    #[arg(long, allow_negative_numbers = true)]
    late_fee: Option<String>,
    /// Days after the deadline during which late renewal is accepted
    #[arg(long, allow_negative_numbers = true, value_name = "DAYS")]
    grace_days: Option<String>,
    /// Days before the deadline from which the credential counts as due soon
    #[arg(long, allow_negative_numbers = true, value_name = "DAYS")]
    due_soon_days: Option<String>,
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// Catalog preset id (see `recert catalog`)
    #[arg(long)]
    preset: Option<String>,
    /// Date first earned
    #[arg(long, value_name = "YYYY-MM-DD")]
    earned: String,
    /// You are a member of the body (member renewal fee)
    #[arg(long)]
    member: bool,
    /// This credential requires a current CPR/AED card
    #[arg(long)]
    requires_cpr: bool,
    /// This credential is itself a CPR/AED card
    #[arg(long)]
    cpr_card: bool,
    #[command(flatten)]
    fields: CredentialFields,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    #[arg(long)]
    title: String,
    /// Completion date
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    /// Clock hours
    #[arg(long, allow_negative_numbers = true)]
    hours: String,
    #[arg(long)]
    provider: Option<String>,
    /// What it cost, e.g. 12.50
    #[arg(long, allow_negative_numbers = true)]
    cost: Option<String>,
    /// A category tag (A, cpr, ethics…); repeat for several
    #[arg(long = "category", value_name = "C")]
    categories: Vec<String>,
    /// Credit only this credential, optionally with the units the body granted; repeat for several
    #[arg(long = "for", value_name = "ID[=UNITS]")]
    credit_to: Vec<String>,
    /// A certificate or receipt to keep with the activity
    #[arg(long, value_name = "FILE")]
    proof: Option<PathBuf>,
    #[arg(long)]
    notes: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct EditArgs {
    id: i64,
    #[arg(long, value_name = "YYYY-MM-DD")]
    earned: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    cycle_start: Option<String>,
    #[arg(long)]
    member: Option<bool>,
    #[arg(long, allow_negative_numbers = true)]
    member_fee: Option<String>,
    #[arg(long)]
    requires_cpr: Option<bool>,
    /// Replace the categories: KEY[:MIN[:MAX]], repeat for several
    #[arg(long = "category", value_name = "KEY[:MIN[:MAX]]")]
    categories: Vec<String>,
    #[command(flatten)]
    fields: CredentialFields,
    #[arg(long)]
    json: bool,
}

/// Exit code of `recert remind` when some reminders could not be shown (they stay due).
const EXIT_NOT_SHOWN: i32 = 3;

/// Runs a subcommand; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("recert: {}", one_line(&error.to_string()));
            match error {
                Error::Invalid { .. } | Error::NotFound { .. } | Error::NeedsConfirmation(_) => 2,
                _ => 1,
            }
        }
    }
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn today_from(flag: Option<&str>) -> Result<NaiveDate, Error> {
    match flag {
        Some(text) => parse_date("today", text),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

fn print_json<T: Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Corrupt(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// Runs the subcommand; returns the exit code on success (0, or EXIT_NOT_SHOWN for remind).
fn execute(cli: Cli) -> Result<i32, Error> {
    let today = today_from(cli.today.as_deref())?;
    let now = Utc::now();
    let command = cli.command.expect("run is only called with a subcommand");
    if let Command::Catalog { query, json } = &command {
        return catalog(&query.join(" "), *json).map(|()| 0);
    }
    let data_dir = data_dir_from_env(cli.data_dir)?;
    let mut recert = Recert::open(&data_dir, now)?;
    if let Command::Remind { dry_run, json } = command {
        return remind(&mut recert, dry_run, json, now, today);
    }
    run_command(&mut recert, command, now, today).map(|()| 0)
}

/// The subcommands that print and report errors only (no exit code of their own).
fn run_command(
    recert: &mut Recert,
    command: Command,
    now: chrono::DateTime<Utc>,
    today: NaiveDate,
) -> Result<(), Error> {
    match command {
        Command::Catalog { .. } | Command::Remind { .. } => unreachable!("handled by execute"),
        Command::Add(args) => {
            let json = args.json;
            let credential = recert.add_credential(&args.into_form(), now, today)?;
            if json {
                print_json(&CredentialView::from(&credential))
            } else {
                println!(
                    "Added {} (id {}): current cycle {} to {}",
                    credential.abbreviation, credential.id, credential.cycle.start, credential.cycle.end
                );
                Ok(())
            }
        }
        Command::Log(args) => log(recert, args, now, today),
        Command::Status { json } => status(recert, today, json),
        Command::Show { id, json } => show(recert, id, today, json),
        Command::Renew { id, date, fee, expires, json } => {
            let credential = recert.renew(id, &date, fee.as_deref(), expires.as_deref(), today)?;
            if json {
                print_json(&CredentialView::from(&credential))
            } else {
                println!(
                    "Renewed {}: new cycle {} to {}",
                    credential.abbreviation, credential.cycle.start, credential.cycle.end
                );
                Ok(())
            }
        }
        Command::Edit(args) => {
            let (id, json) = (args.id, args.json);
            let credential = recert.edit_credential(id, &args.into_changes(), today)?;
            if json {
                print_json(&CredentialView::from(&credential))
            } else {
                println!("Updated {} (id {})", credential.abbreviation, credential.id);
                Ok(())
            }
        }
        Command::Remove { id, yes } => {
            let removed = recert.remove_credential(id, yes)?;
            println!("Removed {} (id {}); its activities stay in the ledger", removed.abbreviation, removed.id);
            Ok(())
        }
        Command::Activities { json } => activities(recert, json),
        Command::RemoveActivity { id } => {
            let removed = recert.delete_activity(id)?;
            println!("Removed activity {} ({})", removed.id, removed.title);
            Ok(())
        }
        Command::Costs { months, json } => costs(recert, today, months, json),
        Command::Backup => {
            let path = recert.backup_now(now)?;
            println!("Backed up to {}", path.display());
            Ok(())
        }
        Command::Reminders { limit, json } => {
            let log = recert.reminder_log(limit)?;
            if json {
                return print_json(&log);
            }
            for entry in &log {
                let outcome = if entry.shown {
                    String::new()
                } else {
                    format!(" (not shown: {})", entry.error.clone().unwrap_or_default())
                };
                println!("{}  {} — {}{outcome}", entry.raised_at, entry.title, entry.body);
            }
            Ok(())
        }
        Command::Settings { lead_days, json } => {
            let lead_times = match lead_days {
                Some(text) => recert.set_lead_times(&text)?,
                None => recert.lead_times()?,
            };
            if json {
                return print_json(&serde_json::json!({ "lead_days": lead_times.days() }));
            }
            println!("Reminder lead times: {} days before each deadline", lead_times.to_text());
            Ok(())
        }
    }
}

/// Raises what is due. A reminder no notification server took is recorded as failed and stays
/// due for the next run; the exit code then says so (3), for cron or a systemd timer to report.
fn remind(
    recert: &mut Recert,
    dry_run: bool,
    json: bool,
    now: chrono::DateTime<Utc>,
    today: NaiveDate,
) -> Result<i32, Error> {
    let due = recert.due_reminders(today)?;
    let mut failures = Vec::new();
    if !dry_run {
        for notice in recert_core::reminders::notices(&due) {
            let outcome = crate::notifier::show(&notice).map(drop);
            for reminder in &notice.reminders {
                recert.record_reminder(reminder, outcome.as_ref().err().map(String::as_str), now)?;
            }
            if let Err(error) = outcome {
                failures.push((error, notice.reminders.len()));
            }
        }
    }
    if json {
        let rows: Vec<_> = due
            .iter()
            .map(|r| {
                serde_json::json!({
                    "credential_id": r.credential_id, "kind": r.kind, "title": r.title, "body": r.body,
                    "due_on": r.due_on, "key": r.key,
                })
            })
            .collect();
        print_json(&rows)?;
    } else {
        if due.is_empty() {
            println!("Nothing is due.");
        }
        for reminder in &due {
            println!("{}: {}", reminder.title, reminder.body);
        }
    }
    if let Some((error, _)) = failures.first() {
        let count: usize = failures.iter().map(|(_, count)| count).sum();
        eprintln!("recert: {count} reminder(s) not shown ({error}); they stay due");
        return Ok(EXIT_NOT_SHOWN);
    }
    Ok(0)
}

impl AddArgs {
    fn into_form(self) -> CredentialForm {
        let f = self.fields;
        CredentialForm {
            preset: self.preset,
            name: f.name,
            body: f.body,
            abbreviation: f.abbreviation,
            number: f.number,
            earned_on: self.earned,
            expires: f.expires,
            member: self.member,
            notes: f.notes,
            cycle_rule: f.cycle_rule,
            cycle_years: f.cycle_years,
            units_required: f.units,
            unit: f.unit,
            hours_per_unit: f.hours_per_unit,
            renewal_fee: f.fee,
            late_fee: f.late_fee,
            grace_days: f.grace_days,
            requires_cpr_aed: self.requires_cpr.then_some(true),
            cpr_card: self.cpr_card,
            due_soon_days: f.due_soon_days,
        }
    }
}

impl EditArgs {
    fn into_changes(self) -> CredentialChanges {
        let f = self.fields;
        CredentialChanges {
            name: f.name,
            body: f.body,
            abbreviation: f.abbreviation,
            number: f.number,
            earned_on: self.earned,
            cycle_start: self.cycle_start,
            expires: f.expires,
            member: self.member,
            notes: f.notes,
            cycle_rule: f.cycle_rule,
            cycle_years: f.cycle_years,
            units_required: f.units,
            unit: f.unit,
            hours_per_unit: f.hours_per_unit,
            renewal_fee: f.fee,
            renewal_fee_member: self.member_fee,
            late_fee: f.late_fee,
            grace_days: f.grace_days,
            requires_cpr_aed: self.requires_cpr,
            due_soon_days: f.due_soon_days,
            categories: (!self.categories.is_empty()).then_some(self.categories),
        }
    }
}

fn catalog(query: &str, json: bool) -> Result<(), Error> {
    let catalog = recert_core::catalog::Catalog::builtin();
    let presets = if query.trim().is_empty() { catalog.presets().iter().collect() } else { catalog.search(query) };
    if json {
        return print_json(&presets);
    }
    let mut out = std::io::stdout().lock();
    for preset in presets {
        let rules = preset.rules();
        let requirement = match (rules.units_required, &rules.unit) {
            (Some(units), Some(unit)) => format!("{units} {unit}"),
            (None, Some(unit)) => format!("{unit}: amount unknown"),
            _ => "no units".into(),
        };
        let years = rules.cycle.years().map_or("cycle unknown".into(), |y| format!("{y}-year cycle"));
        let _ = writeln!(out, "{:<12} {} ({}) — {years}, {requirement}", preset.id, preset.name, preset.body_short);
    }
    Ok(())
}

fn log(recert: &mut Recert, args: LogArgs, now: chrono::DateTime<Utc>, today: NaiveDate) -> Result<(), Error> {
    let credit_to = args.credit_to.iter().map(|text| CreditChoice::parse(text)).collect::<Result<Vec<_>, _>>()?;
    let form = ActivityForm {
        title: args.title,
        provider: args.provider,
        completed_on: args.date,
        hours: args.hours,
        cost: args.cost,
        categories: args.categories,
        notes: args.notes,
        proof_file: args.proof,
        credit_to,
    };
    let logged = recert.log_activity(&form, now, today)?;
    if args.json {
        return print_json(&LoggedView::from(&logged));
    }
    println!("Logged \"{}\" (activity {})", logged.activity.title, logged.activity.id);
    for outcome in &logged.outcomes {
        match &outcome.decision {
            CreditDecision::Credited { units, category, capped, .. } => {
                let unit = outcome.unit.as_deref().unwrap_or("units");
                let category = category.as_ref().map(|c| format!(" in {c}")).unwrap_or_default();
                let capped = if *capped { " (capped per event)" } else { "" };
                println!("  + {units} {unit} to {}{category}{capped}", outcome.abbreviation);
            }
            CreditDecision::NotCredited { reason } => println!("  - not for {}: {reason}", outcome.abbreviation),
        }
    }
    Ok(())
}

fn money(cents: Option<i64>) -> String {
    cents.map_or_else(|| "unknown".to_string(), |c| recert_core::amount::Cents(c).to_string())
}

fn status(recert: &Recert, today: NaiveDate, json: bool) -> Result<(), Error> {
    let reports = recert.status(today)?;
    let views: Vec<StatusView> = reports.iter().map(StatusView::from).collect();
    if json {
        return print_json(&views);
    }
    if views.is_empty() {
        println!("No credentials yet. Add one: recert add --preset ID --earned YYYY-MM-DD (see recert catalog)");
        return Ok(());
    }
    for (view, report) in views.iter().zip(&reports) {
        print_status(view, report);
    }
    Ok(())
}

fn print_status(view: &StatusView, report: &CredentialReport) {
    let days = match view.days_left {
        d if d > 1 => format!("{d} days left"),
        1 => "1 day left".into(),
        0 => "due today".into(),
        d => format!("{} days past", -d),
    };
    let who = &view.identity;
    println!("{} — {} ({}), id {}", who.abbreviation, who.name, who.body_short, who.id);
    println!("  {} · {days} · deadline {}", view.status_label, who.cycle_end);
    if let (Some(unit), true) =
        (&view.unit, report.credential.kind == recert_core::credential::CredentialKind::Credential)
    {
        let required = report.progress.units_required.map_or("unknown".into(), |u| u.to_string());
        let prorated = if view.prorated { " (prorated)" } else { "" };
        println!("  {unit}: {} of {required}{prorated}", report.progress.units_earned);
    }
    println!("  {}", view.next_action);
    for problem in view.prerequisite_problems.iter().chain(&view.requirement_problems) {
        println!("  ! {problem}");
    }
    if report.credential.kind == recert_core::credential::CredentialKind::Credential {
        let body = &view.identity.body_short;
        let fee_or_unknown =
            |cents: Option<i64>| cents.map_or_else(|| format!("unknown — check with {body}"), |c| money(Some(c)));
        let mut line = format!("  Renewal fee {}", fee_or_unknown(view.renewal_fee_cents));
        if view.status == "grace" {
            line.push_str(&format!(" + late fee {}", fee_or_unknown(view.late_fee_cents)));
        }
        if view.course_costs_cents > 0 {
            line.push_str(&format!(" · courses this cycle {}", money(Some(view.course_costs_cents))));
        }
        println!("{line}");
    }
}

fn show(recert: &Recert, id: i64, today: NaiveDate, json: bool) -> Result<(), Error> {
    let detail = recert.credential_detail(id, today)?;
    let view = StatusView::from(&detail.report);
    if json {
        return print_json(&DetailView::from(&detail));
    }
    print_status(&view, &detail.report);
    for category in &view.categories {
        let limits = match (category.min, category.max) {
            (Some(min), Some(max)) => format!(" (min {min:.1}, max {max:.1})"),
            (Some(min), None) => format!(" (min {min:.1})"),
            (None, Some(max)) => format!(" (max {max:.1})"),
            (None, None) => String::new(),
        };
        println!("    {}: {:.2}{limits}", category.name, category.earned);
    }
    for unknown in &view.unknowns {
        println!("  ? {unknown}");
    }
    if !detail.credits.is_empty() {
        println!("  Credits:");
        for (credit, activity) in &detail.credits {
            println!(
                "    {} {} — {} {}",
                activity.completed_on,
                activity.title,
                credit.units,
                view.unit.as_deref().unwrap_or("")
            );
        }
    }
    for cycle in &detail.past_cycles {
        println!("  Past cycle {} to {}, renewed {}", cycle.start, cycle.end, cycle.renewed_on);
    }
    Ok(())
}

fn activities(recert: &Recert, json: bool) -> Result<(), Error> {
    let list = recert.activities()?;
    if json {
        return print_json(&list.iter().map(ActivityView::from).collect::<Vec<_>>());
    }
    if list.is_empty() {
        println!("No activities logged yet. Log one: recert log --title T --date YYYY-MM-DD --hours H");
    }
    for entry in &list {
        let a = &entry.activity;
        let provider = a.provider.as_ref().map(|p| format!(" ({p})")).unwrap_or_default();
        println!("{}  #{} {}{provider} — {} h, {}", a.completed_on, a.id, a.title, a.hours, a.cost);
    }
    Ok(())
}

fn costs(recert: &Recert, today: NaiveDate, months: u32, json: bool) -> Result<(), Error> {
    let costs = recert.upcoming_costs(today, months)?;
    if json {
        return print_json(&costs);
    }
    for cost in &costs {
        println!(
            "{}  {:<12} {:<28} {}",
            cost.due_on,
            cost.abbreviation,
            cost.what,
            cost.amount.map_or("unknown".to_string(), |a| a.to_string())
        );
    }
    let (known, unknown) = recert_core::costs::total(&costs);
    let unknown = if unknown > 0 { format!(" (+{unknown} unknown)") } else { String::new() };
    println!("Next {months} months: {known}{unknown}");
    Ok(())
}
