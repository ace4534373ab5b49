//! Tauri commands: each a few lines that call the core and map its errors to `{code, message}`.
//! No SQL and no rules here.

use chrono::{NaiveDate, Utc};
use recert_core::activity::{ActivityChanges, ActivityForm};
use recert_core::certificate::CertificateView;
use recert_core::credential::{CredentialChanges, CredentialForm};
use recert_core::service::RenewalForm;
use recert_core::view::{
    ActivityView, CostsView, CredentialView, DetailView, LoggedView, PresetView, PreviewView, StatusView,
};
use serde::Serialize;
use tauri::{Manager, State};

use crate::app_state::AppState;
use crate::ipc_error::IpcError;
use recert_background::scheduler::SchedulerMsg;

type Reply<T> = Result<T, IpcError>;

/// Off the window's thread (`async`): at start-up it runs while that thread serves the page's
/// modules.
#[tauri::command(async)]
pub fn get_status(state: State<'_, AppState>) -> Reply<Vec<StatusView>> {
    Ok(state.recert()?.status(state.today())?.iter().map(StatusView::from).collect())
}

/// The day the core reads in a date field as typed (ISO or MM/DD/YYYY), for the "= Dec 6, 2026"
/// shown under it; none when it reads no date (the form's own check says why on saving).
#[tauri::command]
pub fn read_date(text: String) -> Option<NaiveDate> {
    recert_core::dates::parse_typed_date("date", &text).ok()
}

#[tauri::command]
pub fn get_catalog(state: State<'_, AppState>) -> Reply<Vec<PresetView>> {
    Ok(state.recert()?.catalog().presets().iter().map(PresetView::from).collect())
}

/// The ids of the presets matching `query`, by the same search as `recert catalog --search`.
#[tauri::command]
pub fn search_catalog(state: State<'_, AppState>, query: String) -> Reply<Vec<String>> {
    Ok(state.recert()?.catalog().search(&query).into_iter().map(|preset| preset.id.clone()).collect())
}

#[tauri::command]
pub fn add_credential(state: State<'_, AppState>, form: CredentialForm) -> Reply<CredentialView> {
    let credential = state.recert()?.add_credential(&form, Utc::now(), state.today())?;
    state.data_changed();
    Ok(CredentialView::from(&credential))
}

/// The first-run flow: every credential the user holds, saved together. Reminders wait for it and
/// then come as one summary.
#[tauri::command]
pub fn set_up(state: State<'_, AppState>, forms: Vec<CredentialForm>) -> Reply<Vec<CredentialView>> {
    let added = state.recert()?.add_credentials(&forms, Utc::now(), state.today())?;
    let _ = state.scheduler.send(SchedulerMsg::SetUp);
    Ok(added.iter().map(CredentialView::from).collect())
}

#[tauri::command]
pub fn edit_credential(state: State<'_, AppState>, id: i64, changes: CredentialChanges) -> Reply<CredentialView> {
    let edited = state.recert()?.edit_credential(id, &changes, Utc::now(), state.today())?;
    state.data_changed();
    Ok(CredentialView::from(&edited))
}

/// The user checked a deadline Recert worked out and says it is right.
#[tauri::command]
pub fn confirm_expiry(state: State<'_, AppState>, id: i64) -> Reply<CredentialView> {
    let confirmed = state.recert()?.confirm_expiry(id)?;
    state.data_changed();
    Ok(CredentialView::from(&confirmed))
}

#[tauri::command]
pub fn remove_credential(state: State<'_, AppState>, id: i64, confirmed: bool) -> Reply<()> {
    state.recert()?.remove_credential(id, confirmed)?;
    state.data_changed();
    Ok(())
}

#[tauri::command]
pub fn renew_credential(state: State<'_, AppState>, id: i64, form: RenewalForm) -> Reply<CredentialView> {
    let renewed = state.recert()?.renew(id, &form, state.today())?;
    state.data_changed();
    Ok(CredentialView::from(&renewed))
}

#[tauri::command]
pub fn undo_renewal(state: State<'_, AppState>, id: i64) -> Reply<CredentialView> {
    let reopened = state.recert()?.undo_renewal(id)?;
    state.data_changed();
    Ok(CredentialView::from(&reopened))
}

#[tauri::command]
pub fn credential_detail(state: State<'_, AppState>, id: i64) -> Reply<DetailView> {
    Ok(DetailView::from(&state.recert()?.credential_detail(id, state.today())?))
}

/// What saving the log form would credit (over activity `activity_id` when editing one), with
/// the date and hours as read; problems come back as data beside their fields.
#[tauri::command]
pub fn preview_credits(state: State<'_, AppState>, form: ActivityForm, activity_id: Option<i64>) -> Reply<PreviewView> {
    Ok(PreviewView::from(&state.recert()?.preview_activity(&form, activity_id, state.today())?))
}

#[tauri::command]
pub fn log_activity(state: State<'_, AppState>, form: ActivityForm) -> Reply<LoggedView> {
    let logged = state.recert()?.log_activity(&form, Utc::now(), state.today())?;
    state.data_changed();
    Ok(LoggedView::from(&logged))
}

#[tauri::command]
pub fn edit_activity(state: State<'_, AppState>, id: i64, changes: ActivityChanges) -> Reply<LoggedView> {
    let edited = state.recert()?.edit_activity(id, &changes, state.today())?;
    state.data_changed();
    Ok(LoggedView::from(&edited))
}

#[tauri::command]
pub fn list_activities(state: State<'_, AppState>) -> Reply<Vec<ActivityView>> {
    Ok(state.recert()?.activities()?.iter().map(ActivityView::from).collect())
}

#[tauri::command]
pub fn delete_activity(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.recert()?.delete_activity(id)?;
    state.data_changed();
    Ok(())
}

#[tauri::command]
pub fn upcoming_costs(state: State<'_, AppState>, months: u32) -> Reply<CostsView> {
    Ok(CostsView::from(state.recert()?.upcoming_costs(state.today(), months.clamp(1, 120))?))
}

#[derive(Serialize)]
pub struct AppInfo {
    data_dir: String,
    database_path: String,
    today: NaiveDate,
    version: &'static str,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    let recert = state.recert()?;
    Ok(AppInfo {
        data_dir: recert.data_dir().display().to_string(),
        database_path: recert.database_path().display().to_string(),
        today: state.today(),
        version: env!("CARGO_PKG_VERSION"),
    })
}

// --- sync with the user's other computers (issue 22) -------------------------------------------

#[tauri::command]
pub fn sync_status(state: State<'_, AppState>) -> Reply<recert_core::service::SyncStatus> {
    Ok(state.recert()?.sync_status()?)
}

/// Syncs through `path` from now on (naming this computer `name`, else its host name), then syncs.
// Reads and writes the shared folder (a network or USB drive may be slow): off the window's thread.
#[tauri::command(async)]
pub fn set_sync_folder(
    state: State<'_, AppState>,
    path: String,
    name: Option<String>,
) -> Reply<recert_core::service::SyncReport> {
    let report = {
        let mut recert = state.recert()?;
        recert.set_sync_folder(std::path::Path::new(path.trim()), name.as_deref())?;
        recert.sync(Utc::now())?
    };
    state.data_changed();
    Ok(report)
}

// Reads and writes the shared folder (a network or USB drive may be slow): off the window's thread.
#[tauri::command(async)]
pub fn sync_now(state: State<'_, AppState>) -> Reply<recert_core::service::SyncReport> {
    let report = state.recert()?.sync(Utc::now())?;
    if report.changed_here() {
        state.data_changed();
    }
    Ok(report)
}

#[tauri::command]
pub fn leave_sync(state: State<'_, AppState>) -> Reply<Option<String>> {
    Ok(state.recert()?.leave_sync()?.map(|folder| folder.display().to_string()))
}

/// A folder, chosen in the desktop's own dialog (the shared folder to sync through).
#[tauri::command]
pub fn choose_folder(app: tauri::AppHandle) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    app.dialog().file().blocking_pick_folder()?.into_path().ok().map(|p| p.display().to_string())
}

#[tauri::command]
pub fn backup_now(state: State<'_, AppState>) -> Reply<String> {
    Ok(state.recert()?.backup_now(Utc::now())?.display().to_string())
}

/// The native file dialog, opened from Rust so the window needs no file-system permission.
#[tauri::command(async)]
pub fn pick_proof_file(app: tauri::AppHandle) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    app.dialog()
        .file()
        .add_filter("Certificates and receipts", &["pdf", "png", "jpg", "jpeg", "webp", "heic", "txt"])
        .blocking_pick_file()
        .and_then(|path| path.into_path().ok())
        .map(|path| path.display().to_string())
}

/// Reads a certificate for the log form: the file chosen in the desktop's dialog, or `path` (a
/// file dropped on the window). On a worker thread (Tesseract takes seconds), so the window stays
/// responsive; saves nothing. `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn read_certificate(app: tauri::AppHandle, path: Option<String>) -> Reply<Option<CertificateView>> {
    use tauri_plugin_dialog::DialogExt;
    let chosen = path.map(std::path::PathBuf::from).or_else(|| {
        let filter = ["pdf", "png", "jpg", "jpeg"];
        app.dialog().file().add_filter("Certificates", &filter).blocking_pick_file()?.into_path().ok()
    });
    let Some(file) = chosen else { return Ok(None) };
    let state = app.state::<AppState>();
    // The data is not held while the file is read (seconds for a picture).
    let bodies = state.recert()?.certificate_bodies()?;
    let read = recert_core::certificate::read_certificate_naming(&file, &Default::default(), &bodies)?;
    let recert = state.recert()?;
    Ok(Some(CertificateView::new(&read, &recert)?))
}

/// Opens a stored proof with the desktop's default viewer (tauri-plugin-opener: xdg-open or its
/// equivalents on Linux, Launch Services on macOS, ShellExecute on Windows). Called from Rust, so
/// the window needs no opener permission.
#[tauri::command]
pub fn open_proof(state: State<'_, AppState>, activity_id: i64) -> Reply<()> {
    let path = state.recert()?.proof_path(activity_id)?;
    tauri_plugin_opener::open_path(&path, None::<&str>)
        .map_err(|e| IpcError::internal(format!("could not open {}: {e}", path.display())))
}

#[derive(Serialize)]
pub struct SettingsView {
    lead_days: Vec<u32>,
    start_at_login: bool,
    autostart_path: String,
    notifications_error: Option<String>,
    /// The calendar file kept up to date, if one is chosen.
    calendar_file: Option<String>,
}

#[tauri::command]
pub fn get_settings(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<SettingsView> {
    use tauri_plugin_autostart::ManagerExt;
    let start_at_login = crate::autostart::is_enabled(&*app.autolaunch(), crate::autostart::legacy_entry().as_deref())
        .map_err(|e| IpcError::internal(format!("could not read start at login: {e}")))?;
    // One lock for both reads: a second `state.recert()` in the same expression would wait for the
    // first guard forever (it lives until the end of the statement).
    let (lead_days, calendar_file) = {
        let recert = state.recert()?;
        (recert.lead_times()?.days().to_vec(), recert.calendar_file()?)
    };
    Ok(SettingsView {
        lead_days,
        start_at_login,
        autostart_path: crate::autostart::location(),
        notifications_error: state.notifier.lock().ok().and_then(|s| s.error.clone()),
        calendar_file: calendar_file.map(|p| p.display().to_string()).filter(|p| !p.is_empty()),
    })
}

#[derive(Serialize)]
pub struct LeadDaysView {
    lead_days: Vec<u32>,
}

#[tauri::command]
pub fn set_lead_days(state: State<'_, AppState>, text: String) -> Reply<LeadDaysView> {
    let lead_times = state.recert()?.set_lead_times(&text)?;
    state.data_changed();
    Ok(LeadDaysView { lead_days: lead_times.days().to_vec() })
}

#[derive(Serialize)]
pub struct StartAtLoginView {
    start_at_login: bool,
    autostart_path: String,
}

#[tauri::command]
pub fn set_start_at_login(app: tauri::AppHandle, enabled: bool) -> Reply<StartAtLoginView> {
    use tauri_plugin_autostart::ManagerExt;
    let start_at_login =
        crate::autostart::set(&*app.autolaunch(), crate::autostart::legacy_entry().as_deref(), enabled)
            .map_err(|e| IpcError::internal(format!("could not change start at login: {e}")))?;
    Ok(StartAtLoginView { start_at_login, autostart_path: crate::autostart::location() })
}

#[tauri::command]
pub fn reminder_history(state: State<'_, AppState>) -> Reply<Vec<recert_core::store::LoggedReminder>> {
    Ok(state.recert()?.reminder_log(200, state.today())?)
}

#[tauri::command]
pub fn snooze_reminder(state: State<'_, AppState>, key: String, days: u32) -> Reply<NaiveDate> {
    let until = state.recert()?.snooze_reminder(&key, days, state.today())?;
    let _ = state.scheduler.send(SchedulerMsg::Changed);
    Ok(until)
}

/// Checks at once and answers with how many reminders were raised.
#[tauri::command(async)]
pub fn check_reminders_now(state: State<'_, AppState>) -> Reply<usize> {
    let (reply, answer) = std::sync::mpsc::channel();
    state
        .scheduler
        .send(SchedulerMsg::CheckNow(reply))
        .map_err(|_| IpcError::internal("the reminder scheduler stopped"))?;
    answer
        .recv_timeout(std::time::Duration::from_secs(30))
        .map_err(|_| IpcError::internal("the reminder check took too long"))
}

// --- the user's data in and out ---------------------------------------------------------------

/// What a file dialog is for: its title and the files it offers.
fn dialog_filter(purpose: &str) -> (&'static str, &'static [&'static str]) {
    match purpose {
        "spreadsheet" => ("Spreadsheet (CSV)", &["csv"]),
        "calendar" => ("Calendar (iCalendar)", &["ics"]),
        "packet" => ("Audit packet (zip)", &["zip"]),
        "rules" => ("Recert rules file (JSON)", &["json"]),
        _ => ("Recert backup", &["sqlite3"]),
    }
}

/// A file to open, chosen in the desktop's own dialog (the window never browses the disk).
#[tauri::command]
pub fn choose_file(app: tauri::AppHandle, purpose: String) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    let (name, extensions) = dialog_filter(&purpose);
    app.dialog()
        .file()
        .add_filter(name, extensions)
        .blocking_pick_file()?
        .into_path()
        .ok()
        .map(|p| p.display().to_string())
}

/// Where to save a file, chosen in the desktop's own dialog.
#[tauri::command]
pub fn choose_save_path(app: tauri::AppHandle, purpose: String, suggested: String) -> Option<String> {
    use tauri_plugin_dialog::DialogExt;
    let (name, extensions) = dialog_filter(&purpose);
    app.dialog()
        .file()
        .add_filter(name, extensions)
        .set_file_name(suggested)
        .blocking_save_file()?
        .into_path()
        .ok()
        .map(|p| p.display().to_string())
}

#[tauri::command]
pub fn import_csv(
    state: State<'_, AppState>,
    path: String,
    dry_run: bool,
    allow_duplicates: bool,
) -> Reply<recert_core::view::ImportReportView> {
    let bytes = recert_core::service::read_import_file(std::path::Path::new(&path))?;
    let options = recert_core::service::ImportOptions { dry_run, allow_duplicates };
    let report = state.recert()?.import_csv(&bytes, options, Utc::now(), state.today())?;
    if report.imported > 0 {
        state.data_changed();
    }
    Ok(recert_core::view::ImportReportView::from(&report))
}

#[tauri::command]
pub fn export_csv(state: State<'_, AppState>, path: String, replace: bool) -> Reply<usize> {
    let recert = state.recert()?;
    // An existing file only when the user said so (the view asks on `needs_confirmation`).
    let target = recert.output(std::path::Path::new(&path), replace)?;
    Ok(recert.export_csv_to(&target)?)
}

#[tauri::command]
pub fn set_calendar_file(state: State<'_, AppState>, path: String) -> Reply<Option<String>> {
    let kept = state.recert()?.set_calendar_file(&path, state.today())?;
    Ok(kept.map(|p| p.display().to_string()))
}

#[tauri::command]
pub fn list_backups(state: State<'_, AppState>) -> Reply<Vec<recert_core::backups::Backup>> {
    Ok(state.recert()?.backups()?)
}

#[tauri::command]
pub fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    confirmed: bool,
) -> Reply<recert_core::service::RestoreOutcome> {
    let outcome = state.recert()?.restore(std::path::Path::new(&path), confirmed, Utc::now())?;
    state.data_changed();
    Ok(outcome)
}

/// Writes the audit packet of a credential's cycle where the user chooses in the save dialog;
/// `None` when the dialog was cancelled.
#[tauri::command]
pub fn audit_packet(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
    cycle: String,
) -> Reply<Option<recert_core::service::AuditPacket>> {
    let which = recert_core::audit::AuditCycle::parse(&cycle)?;
    let abbreviation = state.recert()?.credential(id)?.abbreviation;
    let safe: String = abbreviation.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    let suggested = format!("recert-audit-{safe}-{}.zip", state.today());
    let Some(path) = choose_save_path(app, "packet".into(), suggested) else { return Ok(None) };
    let recert = state.recert()?;
    // The save dialog asked before replacing a file.
    let target = recert.output(std::path::Path::new(&path), true)?;
    Ok(Some(recert.audit_packet(id, which, &target, state.today())?))
}

/// Which rules are in use: the version, its date, built in or loaded from a file.
#[tauri::command]
pub fn catalog_info(state: State<'_, AppState>) -> Reply<recert_core::service::CatalogInfo> {
    Ok(state.recert()?.catalog_info()?)
}

/// What a rules file changes for the credentials held; with `apply`, uses it.
#[tauri::command]
pub fn update_catalog(
    state: State<'_, AppState>,
    path: String,
    apply: bool,
) -> Reply<recert_core::service::CatalogChange> {
    let text = recert_core::catalog::read_rules_file(std::path::Path::new(&path))?;
    let change = state.recert()?.update_catalog(&text, apply, Utc::now(), state.today())?;
    if apply {
        state.data_changed();
    }
    Ok(change)
}

/// Goes back to the rules in use before the last rules file.
#[tauri::command]
pub fn undo_catalog(state: State<'_, AppState>) -> Reply<recert_core::service::CatalogChange> {
    let change = state.recert()?.undo_catalog(Utc::now(), state.today())?;
    state.data_changed();
    Ok(change)
}

/// Records a body's answer to a course that waited for its approval: the units it granted, or
/// `None` when it refused.
#[tauri::command]
pub fn settle_credit(
    state: State<'_, AppState>,
    activity_id: i64,
    credential_id: i64,
    accepted_units: Option<String>,
) -> Reply<()> {
    let granted =
        accepted_units.as_deref().map(|text| recert_core::amount::Units::parse("accepted", text)).transpose()?;
    state.recert()?.settle_credit(activity_id, credential_id, granted)?;
    state.data_changed();
    Ok(())
}

// --- planning ahead (issue 20) ---------------------------------------------------------------

#[tauri::command]
pub fn list_planned(state: State<'_, AppState>) -> Reply<Vec<recert_core::view::PlannedCourseView>> {
    Ok(state.recert()?.planned_courses()?.iter().map(recert_core::view::PlannedCourseView::from).collect())
}

#[tauri::command]
pub fn add_planned(
    state: State<'_, AppState>,
    form: recert_core::planner::PlannedForm,
) -> Reply<recert_core::view::PlannedCourseView> {
    let course = state.recert()?.add_planned(&form, Utc::now())?;
    state.data_changed();
    Ok(recert_core::view::PlannedCourseView::from(&course))
}

#[tauri::command]
pub fn remove_planned(state: State<'_, AppState>, id: i64) -> Reply<()> {
    state.recert()?.remove_planned(id)?;
    state.data_changed();
    Ok(())
}

/// The plan, off the window's thread: the inputs are read under the store's lock, the solver
/// (up to 2 s) runs without it.
#[tauri::command(async)]
pub fn get_plan(
    state: State<'_, AppState>,
    form: recert_core::planner::PlanForm,
) -> Reply<recert_core::view::PlanView> {
    let request = form.to_request()?;
    let inputs = state.recert()?.planning_inputs()?;
    Ok(recert_core::view::PlanView::from(&inputs.plan(&request, state.today())))
}

/// The planned courses as the timeline shows them: planned, not earned.
#[tauri::command]
pub fn planned_on_timeline(state: State<'_, AppState>) -> Reply<Vec<recert_core::view::PlannedOnTimelineView>> {
    let planned = state.recert()?.planned_on_timeline(state.today())?;
    Ok(planned.iter().map(recert_core::view::PlannedOnTimelineView::from).collect())
}

/// The log form filled in from a planned course ("Mark as done").
#[tauri::command]
pub fn planned_log_form(state: State<'_, AppState>, id: i64) -> Reply<ActivityForm> {
    Ok(state.recert()?.planned_log_form(id, state.today())?)
}

/// Logs a planned course as done, with the proof the user attached, and takes it off the list.
#[tauri::command]
pub fn complete_planned(state: State<'_, AppState>, id: i64, form: ActivityForm) -> Reply<LoggedView> {
    let logged = state.recert()?.complete_planned(id, &form, Utc::now(), state.today())?;
    state.data_changed();
    Ok(LoggedView::from(&logged))
}
