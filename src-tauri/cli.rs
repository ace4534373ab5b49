//! The headless `recert <subcommand>` interface over the core. Readable output by default, JSON
//! with `--json`; any error is one line on stderr and a non-zero exit, with nothing changed.
//! One module per group of commands; this one holds the command table and the dispatch.

mod args;
mod catalog;
mod certificate;
mod costs;
mod credentials;
mod exchange;
mod ledger;
pub mod output;
mod plan;
mod reminders;
mod sync;

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand};
use recert_core::catalog::Catalog;
use recert_core::dates::parse_date;
use recert_core::paths::data_dir_from_env;
use recert_core::quote;
use recert_core::reminders::LeadTimes;
use recert_core::service::RenewalForm;
use recert_core::store::{diagnose, Access, Made};
use recert_core::{Error, Recert};

use args::{AddArgs, EditActivityArgs, EditArgs, LogArgs};
use output::{one_line, out, Failure, Outcome};

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
    /// List the certification presets (optionally matching words); load newer rules from a file
    Catalog(CatalogArgs),
    /// Add a credential you hold, from a preset or typed in
    Add(AddArgs),
    /// Log a course or activity once; it is credited to every credential it can serve
    Log(LogArgs),
    /// Read a course certificate (PDF, PNG, JPEG) and print what it says; changes nothing
    ReadCertificate {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
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
        /// Record it even though the credits logged fall short of the requirement
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Take back the most recent renewal of a credential
    UndoRenewal {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change a held credential (anything not given stays; an empty value clears it)
    Edit(EditArgs),
    /// Confirm a deadline Recert worked out, after checking it on your certificate
    Confirm {
        id: i64,
        #[arg(long)]
        json: bool,
    },
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
    /// Change a logged activity; its credits are worked out again (anything not given stays)
    EditActivity(EditActivityArgs),
    /// Remove a logged activity and its credits
    RemoveActivity { id: i64 },
    /// Record a body's answer to a course that waited for its approval (a petition)
    Petition {
        /// The activity (see `recert activities`)
        activity: i64,
        /// The credential of the body that answered
        credential: i64,
        /// The body accepted it and granted these units
        #[arg(long, value_name = "UNITS", allow_negative_numbers = true, required_unless_present = "refused")]
        accepted: Option<String>,
        /// The body did not accept it
        #[arg(long, conflicts_with = "accepted")]
        refused: bool,
        #[arg(long)]
        json: bool,
    },
    /// Which planned courses to take to stay certified for the least money; add, list, remove,
    /// import and complete the courses you are considering
    Plan(plan::PlanArgs),
    /// Renewal fees due over the coming months
    Costs {
        #[arg(long, default_value_t = 24)]
        months: u32,
        #[arg(long)]
        json: bool,
    },
    /// Write a copy of the database into the data folder's backups/
    Backup,
    /// The backups in the data folder, newest first
    Backups {
        #[arg(long)]
        json: bool,
    },
    /// Put a backup in place of the current data (which is backed up first)
    Restore {
        file: PathBuf,
        /// Confirm replacing the current data
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Write every deadline, late-fee day, grace-period end and card expiry as a calendar (.ics)
    Calendar {
        /// The file to write; "-" writes to standard output
        #[arg(long, value_name = "FILE.ics")]
        out: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Write everything an audit of one credential's cycle asks for into one zip: a printable
    /// transcript, the same rows as CSV, the proof files and SHA256SUMS
    AuditPacket {
        id: i64,
        /// The file to write; "-" writes to standard output
        #[arg(long, value_name = "FILE.zip")]
        out: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
        /// current or previous
        #[arg(long, default_value = "current")]
        cycle: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the activity ledger as a spreadsheet (CSV, one row per activity)
    ExportCsv {
        /// The file to write; "-" writes to standard output
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Import activities from a spreadsheet (CSV with date, title and hours columns), all or nothing
    ImportCsv {
        file: PathBuf,
        /// Show what each line would earn, and write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import lines that look like courses already in the file or the ledger
        #[arg(long)]
        allow_duplicates: bool,
        #[arg(long)]
        json: bool,
    },
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
    /// Sync with your other computers through a folder you already sync (Syncthing, Dropbox,
    /// Nextcloud, OneDrive, a USB stick): --folder DIR sets it and syncs, alone it syncs, --status
    /// shows the other computers and what waits, --leave stops
    Sync(sync::SyncArgs),
    /// Show or change settings
    Settings {
        /// Reminder lead times in days before a deadline, e.g. "90,60,30,14,7,1"
        #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
        lead_days: Option<String>,
        /// Keep this calendar file (.ics, full path) up to date after every change; "" turns it off
        #[arg(long, value_name = "FILE.ics")]
        calendar_file: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CatalogArgs {
    #[command(subcommand)]
    action: Option<CatalogAction>,
    /// Words to search for
    query: Vec<String>,
    /// Write the catalog (or the presets found) as a rules file
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
pub enum CatalogAction {
    /// Show what a newer rules file changes for your credentials; --yes uses it
    Update {
        file: PathBuf,
        /// Use the rules file (without it, nothing is changed)
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Go back to the rules in use before the last rules file was loaded
    Undo {
        #[arg(long)]
        json: bool,
    },
}

/// What a command does to the data folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Reads, and creates nothing.
    Reads,
    /// Writes records of its own (a backup, the reminders raised), not the user's data.
    KeepsRecords,
    /// Changes the user's data that exists.
    ChangesData,
    /// Adds data, creating the data folder when there is none.
    CreatesData,
}

impl Effect {
    fn access(self) -> Access {
        match self {
            Effect::Reads => Access::Read,
            Effect::KeepsRecords | Effect::ChangesData => Access::Write,
            Effect::CreatesData => Access::Create,
        }
    }

    /// The day's backup and the calendar file follow a change of the user's data.
    fn changes_data(self) -> bool {
        matches!(self, Effect::ChangesData | Effect::CreatesData)
    }
}

impl Command {
    /// What the command does to the data folder, declared once per command: whether it may
    /// create the folder, change it or only read it, and whether what it changes is the user's
    /// data (then the day's backup and the calendar file follow).
    fn effect(&self) -> Effect {
        use Effect::*;
        match self {
            Command::Add(_) | Command::Log(_) => CreatesData,
            Command::Settings { lead_days, calendar_file, .. } if lead_days.is_some() || calendar_file.is_some() => {
                CreatesData
            }
            Command::Catalog(CatalogArgs { action: Some(CatalogAction::Update { yes: true, .. }), .. }) => CreatesData,
            Command::Plan(plan::PlanArgs {
                action: Some(plan::PlanAction::Add(_) | plan::PlanAction::Import { .. }),
                ..
            }) => CreatesData,
            Command::Plan(plan::PlanArgs { action: Some(action), .. }) if action.writes() => ChangesData,
            // Choosing the folder on a computer with no data yet is how it gets its data.
            Command::Sync(args) if args.folder.is_some() => CreatesData,
            Command::Sync(args) if !args.reads_only() => ChangesData,
            Command::Catalog(CatalogArgs { action: Some(CatalogAction::Undo { .. }), .. })
            | Command::Renew { .. }
            | Command::UndoRenewal { .. }
            | Command::Edit(_)
            | Command::Confirm { .. }
            | Command::Remove { .. }
            | Command::EditActivity(_)
            | Command::RemoveActivity { .. }
            | Command::Petition { .. }
            | Command::ImportCsv { dry_run: false, .. }
            | Command::Restore { yes: true, .. } => ChangesData,
            // A backup, the reminders raised and a restore not confirmed write to the folder
            // without changing the user's data.
            Command::Backup | Command::Remind { dry_run: false, .. } | Command::Restore { yes: false, .. } => {
                KeepsRecords
            }
            Command::ImportCsv { dry_run: true, .. }
            | Command::Remind { dry_run: true, .. }
            | Command::Settings { .. }
            | Command::Catalog(_)
            | Command::Plan(_)
            | Command::ReadCertificate { .. }
            | Command::Status { .. }
            | Command::Show { .. }
            | Command::Activities { .. }
            | Command::Costs { .. }
            | Command::Backups { .. }
            | Command::Calendar { .. }
            | Command::AuditPacket { .. }
            | Command::ExportCsv { .. }
            | Command::Reminders { .. }
            | Command::Sync(_) => Reads,
        }
    }

    fn access(&self) -> Access {
        self.effect().access()
    }

    /// Checks what can be checked without the database, so that bad input for a command that
    /// would create the data folder creates nothing.
    fn check_input(&self, today: NaiveDate) -> Result<(), Error> {
        match self {
            Command::Add(args) => args.form().to_credential(Catalog::builtin(), today).map(drop),
            // A certificate that can't be read creates no data folder (read again once it is open).
            Command::Log(args) => match &args.from_certificate {
                Some(file) => recert_core::certificate::read_certificate(file, &Default::default()).map(drop),
                None => ledger::activity_form(args)?.validate(today).map(drop),
            },
            Command::Settings { lead_days: Some(text), .. } => LeadTimes::parse(text).map(drop),
            _ => Ok(()),
        }
    }
}

/// Errors quote what was typed in short already; this bounds whatever else a message holds.
pub const MAX_ERROR_CHARS: usize = 400;

/// Runs a subcommand; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let writes = cli.command.as_ref().is_some_and(|command| command.access() != Access::Read);
    match execute(cli).and_then(|code| output::flush().map(|()| code)) {
        Ok(code) => code,
        // The reader went away (`recert status | head -1`): nothing is wrong with the command.
        Err(Failure::Output(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(Failure::Output(error)) if writes => {
            warn!("recert: the change was saved, but its report could not be written: {error}");
            0
        }
        Err(Failure::Output(error)) => {
            warn!("recert: the output could not be written: {error}");
            1
        }
        Err(Failure::Core(error)) => {
            warn!("recert: {}", quote::message(&one_line(&error.to_string()), MAX_ERROR_CHARS));
            match error {
                Error::Invalid { .. }
                | Error::InvalidFields(_)
                | Error::NotFound { .. }
                | Error::NeedsConfirmation(_)
                | Error::NoData { .. } => 2,
                _ => 1,
            }
        }
    }
}

fn today_from(flag: Option<&str>) -> Result<NaiveDate, Error> {
    Ok(recert_core::dates::today_or(flag.map(|text| parse_date("today", text)).transpose()?))
}

/// Runs the subcommand; returns the exit code on success (0, or EXIT_NOT_SHOWN for remind).
fn execute(cli: Cli) -> Outcome<i32> {
    let today = today_from(cli.today.as_deref())?;
    let now = Utc::now();
    let command = cli.command.expect("run is only called with a subcommand");
    // Reading a certificate needs no data folder.
    if let Command::ReadCertificate { file, json } = &command {
        return certificate::read(file, *json).map(|()| 0);
    }
    let data_dir = data_dir_from_env(cli.data_dir)?;
    let access = command.access();
    // The presets, and what a rules file would change, need no data folder: without one, the
    // built-in catalog is in use and no credential is held.
    if access == Access::Read && !data_dir.join(recert_core::store::DATABASE_FILE).exists() {
        if let Command::Catalog(CatalogArgs { action: None, query, json }) = &command {
            return catalog::list(Catalog::builtin(), "built in", &query.join(" "), *json).map(|()| 0);
        }
        if let Command::Catalog(CatalogArgs { action: Some(CatalogAction::Update { file, json, .. }), .. }) = &command {
            let text = recert_core::catalog::read_rules_file(file)?;
            let new = Catalog::parse(&text)?;
            if *json {
                return output::print_json(&new.document(new.presets().to_vec())).map(|()| 0);
            }
            out!(
                "This rules file has the rules as of {} (version {}), {} presets; no credential is held yet.",
                new.published_on().format("%b %-d, %Y"),
                new.version(),
                new.presets().len()
            )?;
            return Ok(0);
        }
    }
    // Checked against the built-in catalog only where no data exists yet (a rules file loaded
    // there may hold presets the built-in one lacks); the command checks again once it is open.
    if access == Access::Create && !data_dir.join(recert_core::store::DATABASE_FILE).exists() {
        command.check_input(today)?;
    }
    let mut opened = Recert::open_for(&data_dir, now, access);
    if let (Ok((recert, _)), Command::Restore { .. }) = (&opened, &command) {
        // Damage the checks at opening miss (a schema page that still parses, without some of
        // its tables) shows when the current data is read; restore must still mend it.
        if let Err(problem) = recert_core::store::Read::summary(recert.store()) {
            opened = Err(Error::Corrupt(format!("the current data cannot be read: {problem}")));
        }
    }
    if let (Err(problem), Command::Restore { file, yes, json }) = (&opened, &command) {
        if can_restore_over(problem) {
            // Restore must work on a folder whose database can't be opened: it is what mends it.
            let outcome = recert_core::service::restore_over_unreadable(&data_dir, file, *yes, problem, now)
                .map_err(exchange::confirm_with_yes)?;
            exchange::print_restored(file, &outcome, *json)?;
            return Ok(0);
        }
    }
    let (mut recert, made) = opened?;
    match made {
        Made::Folder => warn!("recert: created a new Recert data folder at {}", quote::path(&data_dir)),
        Made::Database => warn!("recert: created a new Recert database in {}", quote::path(&data_dir)),
        Made::Nothing => {}
    }
    let done = run_changes(&mut recert, command, now, today);
    // An error met on the way may come from damage the checks at opening could not see.
    done.map_err(|failure| match failure {
        Failure::Core(error) => Failure::Core(diagnose(error, &recert.database_path())),
        output => output,
    })
}

/// Whether a restore may replace a database that failed to open this way: damaged, empty, not
/// Recert's or from a newer version (never one that is merely busy; a missing folder stays
/// "no Recert data").
fn can_restore_over(problem: &Error) -> bool {
    matches!(
        problem,
        Error::Damaged { .. } | Error::EmptyDatabase { .. } | Error::NewerDatabase { .. } | Error::Corrupt(_)
    )
}

/// Runs the command and, after one that changed the data, the day's backup and the calendar file.
fn run_changes(recert: &mut Recert, command: Command, now: chrono::DateTime<Utc>, today: NaiveDate) -> Outcome<i32> {
    if let Command::Remind { dry_run, json } = command {
        return reminders::remind(recert, dry_run, json, now, today);
    }
    let writes = command.effect().changes_data();
    let code = if let Command::ImportCsv { file, dry_run, allow_duplicates, json } = &command {
        let options = recert_core::service::ImportOptions { dry_run: *dry_run, allow_duplicates: *allow_duplicates };
        exchange::import_csv(recert, file, options, *json, now, today)?
    } else if let Command::Plan(args) = command {
        plan::run(recert, args, now, today)?
    } else if let Command::AuditPacket { id, out, force, cycle, json } = &command {
        exchange::audit_packet(recert, *id, cycle, out, *force, *json, today)?
    } else {
        run_command(recert, command, now, today)?;
        0
    };
    if writes && code == 0 {
        // The change itself is already saved: what follows it can only warn.
        for warning in recert.after_change(now, today) {
            warn!("recert: {}", quote::message(&one_line(&warning), MAX_ERROR_CHARS));
        }
    }
    Ok(code)
}

/// The subcommands that print and report errors only (no exit code of their own).
fn run_command(recert: &mut Recert, command: Command, now: chrono::DateTime<Utc>, today: NaiveDate) -> Outcome {
    match command {
        Command::Remind { .. }
        | Command::ImportCsv { .. }
        | Command::AuditPacket { .. }
        | Command::Plan(_)
        | Command::ReadCertificate { .. } => {
            unreachable!("handled by execute")
        }
        Command::Catalog(CatalogArgs { action: None, query, json }) => {
            let origin = if recert.catalog_info()?.built_in { "built in" } else { "from a rules file you loaded" };
            catalog::list(recert.catalog(), origin, &query.join(" "), json)
        }
        Command::Catalog(CatalogArgs { action: Some(CatalogAction::Update { file, yes, json }), .. }) => {
            catalog::update(recert, &file, yes, json, now, today)
        }
        Command::Catalog(CatalogArgs { action: Some(CatalogAction::Undo { json }), .. }) => {
            catalog::undo(recert, json, now, today)
        }
        Command::ExportCsv { out, force } => exchange::export_csv(recert, &out, force),
        Command::Backups { json } => exchange::list_backups(recert, json),
        Command::Restore { file, yes, json } => exchange::restore(recert, &file, yes, json, now),
        Command::Calendar { out, force } => exchange::calendar(recert, &out, force, today),
        Command::Add(args) => credentials::add(recert, args, now, today),
        Command::Log(args) if args.from_certificate.is_some() => {
            certificate::log_from_certificate(recert, args, now, today)
        }
        Command::Log(args) => ledger::log(recert, args, now, today),
        Command::Status { json } => credentials::status(recert, today, json),
        Command::Show { id, json } => credentials::show(recert, id, today, json),
        Command::Renew { id, date, fee, expires, yes, json } => {
            credentials::renew(recert, id, RenewalForm { date, fee, expires, confirmed: yes }, today, json)
        }
        Command::UndoRenewal { id, json } => credentials::undo_renewal(recert, id, json),
        Command::Edit(args) => credentials::edit(recert, args, now, today),
        Command::Confirm { id, json } => credentials::confirm(recert, id, json),
        Command::Remove { id, yes } => credentials::remove(recert, id, yes),
        Command::Activities { json } => ledger::activities(recert, json),
        Command::EditActivity(args) => ledger::edit_activity(recert, args, today),
        Command::RemoveActivity { id } => ledger::remove_activity(recert, id),
        Command::Petition { activity, credential, accepted, refused: _, json } => {
            ledger::petition(recert, activity, credential, accepted, json)
        }
        Command::Costs { months, json } => costs::costs(recert, today, months, json),
        Command::Backup => {
            let path = recert.backup_now(now)?;
            out!("Backed up to {}", path.display())
        }
        Command::Reminders { limit, json } => reminders::history(recert, limit, today, json),
        Command::Sync(args) => sync::run(recert, args, now),
        Command::Settings { lead_days, calendar_file, json } => {
            if let Some(path) = calendar_file {
                let kept = recert.set_calendar_file(&path, today)?;
                if !json {
                    match kept {
                        Some(path) => out!("The calendar file {} is kept up to date", path.display())?,
                        None => out!("No calendar file is kept up to date")?,
                    }
                }
            }
            reminders::settings(recert, lead_days, json)
        }
    }
}
