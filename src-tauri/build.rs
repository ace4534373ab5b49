/// Every command the window may call. Declaring them makes each an explicit permission that the
/// capability in src-tauri/capabilities/main.json must grant; anything not listed is refused.
const COMMANDS: &[&str] = &[
    "get_status",
    "get_catalog",
    "search_catalog",
    "add_credential",
    "edit_credential",
    "remove_credential",
    "confirm_expiry",
    "audit_packet",
    "restore_backup",
    "list_backups",
    "set_calendar_file",
    "export_csv",
    "import_csv",
    "choose_save_path",
    "choose_file",
    "set_up",
    "undo_renewal",
    "renew_credential",
    "credential_detail",
    "preview_credits",
    "log_activity",
    "edit_activity",
    "list_activities",
    "delete_activity",
    "upcoming_costs",
    "list_planned",
    "add_planned",
    "remove_planned",
    "get_plan",
    "planned_log_form",
    "complete_planned",
    "planned_on_timeline",
    "app_info",
    "backup_now",
    "pick_proof_file",
    "open_proof",
    "read_certificate",
    "get_settings",
    "set_lead_days",
    "set_start_at_login",
    "reminder_history",
    "snooze_reminder",
    "check_reminders_now",
    "catalog_info",
    "update_catalog",
    "undo_catalog",
    "settle_credit",
    "read_date",
    "sync_status",
    "set_sync_folder",
    "sync_now",
    "leave_sync",
    "choose_folder",
];

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step failed");
}
