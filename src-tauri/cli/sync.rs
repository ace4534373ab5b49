//! `recert sync`: sync with your other computers through a folder you already sync (Syncthing,
//! Dropbox, Nextcloud, OneDrive, a USB stick).

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use recert_core::service::{data_folder_warning, SyncReport};
use recert_core::{quote, Recert};

use super::output::{one_line, out, print_json, Outcome};

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// The shared folder to sync through from now on (then a sync runs)
    #[arg(long, value_name = "DIR", conflicts_with_all = ["status", "leave"])]
    pub folder: Option<PathBuf>,
    /// This computer's name, as the others show it (default: its host name)
    #[arg(long, value_name = "NAME", requires = "folder")]
    pub name: Option<String>,
    /// Show this computer, the others, when each last sent something and what is waiting
    #[arg(long, conflicts_with = "leave")]
    pub status: bool,
    /// Stop syncing this computer (the shared folder keeps its files)
    #[arg(long)]
    pub leave: bool,
    #[arg(long)]
    pub json: bool,
}

impl SyncArgs {
    /// Whether the command changes the data (a sync applies the other computers' changes).
    pub fn reads_only(&self) -> bool {
        self.status
    }
}

pub fn run(recert: &mut Recert, args: SyncArgs, now: DateTime<Utc>) -> Outcome {
    if args.status {
        return status(recert, args.json);
    }
    if args.leave {
        let folder = recert.leave_sync()?;
        if args.json {
            return print_json(&serde_json::json!({ "left": folder }));
        }
        return match folder {
            Some(folder) => out!(
                "This computer no longer syncs through {}; the files there stay for your other computers.",
                quote::path(&folder)
            ),
            None => out!("This computer was not syncing."),
        };
    }
    if let Some(warning) = data_folder_warning(recert.data_dir()) {
        warn!("recert: warning: {}", one_line(&warning));
    }
    if let Some(folder) = &args.folder {
        let folder = recert.set_sync_folder(folder, args.name.as_deref())?;
        if !args.json {
            out!("Syncing through {}", quote::path(&folder))?;
        }
    }
    let report = recert.sync(now)?;
    for waiting in &report.waiting {
        warn!("recert: {}", one_line(waiting));
    }
    if args.json {
        return print_json(&report);
    }
    print_report(&report)
}

fn print_report(report: &SyncReport) -> Outcome {
    out!(
        "Sent {} change(s); applied {} file(s) from other computers ({} field(s) changed here).",
        report.sent,
        report.files_applied,
        report.fields_changed
    )?;
    if report.proofs_sent + report.proofs_received > 0 {
        out!("Proofs: {} sent, {} received.", report.proofs_sent, report.proofs_received)?;
    }
    if report.snapshot {
        out!("Wrote a snapshot and removed this computer's older files.")?;
    }
    Ok(())
}

fn status(recert: &Recert, json: bool) -> Outcome {
    let status = recert.sync_status()?;
    if json {
        return print_json(&status);
    }
    if let Some(warning) = &status.warning {
        out!("Warning: {}", one_line(warning))?;
    }
    let name = status.name.as_deref().unwrap_or("this computer");
    match &status.folder {
        Some(folder) => out!("This computer ({name}) syncs through {}", quote::path(folder))?,
        None => out!("This computer does not sync (recert sync --folder DIR starts it).")?,
    }
    if status.devices.is_empty() && status.folder.is_some() {
        out!("No other computer has sent anything yet.")?;
    }
    for device in &status.devices {
        out!(
            "  {}: last sent {}, received here {}",
            device.name.as_deref().unwrap_or(&device.device),
            device.last_sent_at.as_deref().unwrap_or("never"),
            device.received_at.as_deref().unwrap_or("never")
        )?;
    }
    if status.unsent > 0 {
        out!("{} change(s) of this computer not sent yet.", status.unsent)?;
    }
    for waiting in &status.waiting {
        out!("Waiting: {waiting}")?;
    }
    Ok(())
}
