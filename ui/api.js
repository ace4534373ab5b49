// The only caller of Tauri's `invoke`: one function per backend command; also the one place that
// listens to events the backend emits.
//
// Arguments at the top level of `invoke` are matched by Tauri against the Rust parameter names
// converted to camelCase (`activity_id` is expected as `activityId`); the fields *inside* `form`
// and `changes` are plain serde structs and keep their snake_case names.

/**
 * A refusal from the backend: `{code, message, field, errors}` as sent by `ipc_error.rs`;
 * `errors` lists every `{field, message}` of a form with several problems (the first is also
 * `field`/`message`).
 */
export class RecertError extends Error {
  constructor({ code, message, field, errors }) {
    super(message);
    this.name = 'RecertError';
    this.code = code;
    this.field = field ?? null;
    this.errors = Array.isArray(errors) ? errors : [];
  }
}

// Commands and events go straight through Tauri's IPC primitives (`__TAURI_INTERNALS__`, which
// Tauri injects into its pages), the same two calls @tauri-apps/api makes. Not the global API
// bundle (`withGlobalTauri`): parsing its 41 KB on every start cost ~20 ms before the first view.
function tauriInternals() {
  return typeof window.__TAURI_INTERNALS__?.invoke === 'function' ? window.__TAURI_INTERNALS__ : null;
}

/** False when this page is opened outside the Recert app (no backend to call). */
export const backendAvailable = () => tauriInternals() !== null;

function backend() {
  const internals = tauriInternals();
  if (!internals) {
    throw new RecertError({
      code: 'no_backend',
      message: 'Recert’s backend is not available: open this window from the Recert app.',
      field: null,
    });
  }
  return internals;
}

/** Converts whatever the IPC layer rejected with into a RecertError. */
function asRecertError(rejection) {
  if (rejection instanceof RecertError) return rejection;
  if (rejection && typeof rejection === 'object' && typeof rejection.code === 'string') {
    return new RecertError(rejection);
  }
  // Tauri itself rejects with a plain string, e.g. when the arguments do not deserialize.
  const message = typeof rejection === 'string' ? rejection : String(rejection?.message ?? rejection);
  return new RecertError({ code: 'internal', message, field: null });
}

async function call(command, args) {
  try {
    return await backend().invoke(command, args);
  } catch (rejection) {
    throw asRecertError(rejection);
  }
}

// The first screen's data is asked for the moment this module runs: index.html runs it on its own,
// before the other modules have arrived, so the answer is on its way while they load. Only the
// first view takes it; app.js drops it once a view is drawn, and later screens ask afresh.
let earlyStatus = backendAvailable() ? call('get_status') : null;
// Whoever takes it is told of a refusal; untaken, it is no unhandled rejection.
earlyStatus?.catch(() => {});

export const getStatus = () => {
  const early = earlyStatus;
  earlyStatus = null;
  return early ?? call('get_status');
};
/** After the first view: whatever was asked for at start-up is out of date from now on. */
export const dropEarlyStatus = () => { earlyStatus = null; };
export const getCatalog = () => call('get_catalog');
export const searchCatalog = (query) => call('search_catalog', { query });
export const addCredential = (form) => call('add_credential', { form });
export const editCredential = (id, changes) => call('edit_credential', { id, changes });
export const removeCredential = (id, confirmed) => call('remove_credential', { id, confirmed });
export const confirmExpiry = (id) => call('confirm_expiry', { id });
export const setUp = (forms) => call('set_up', { forms });
export const chooseFile = (purpose) => call('choose_file', { purpose });
export const chooseSavePath = (purpose, suggested) => call('choose_save_path', { purpose, suggested });
export const importCsv = (path, dryRun, allowDuplicates = false) =>
  call('import_csv', { path, dryRun, allowDuplicates });
export const exportCsv = (path, replace) => call('export_csv', { path, replace });
export const setCalendarFile = (path) => call('set_calendar_file', { path });
export const listBackups = () => call('list_backups');
export const restoreBackup = (path, confirmed = false) => call('restore_backup', { path, confirmed });
export const auditPacket = (id, cycle) => call('audit_packet', { id, cycle });
export const renewCredential = (id, date, fee, expires, confirmed = false) =>
  call('renew_credential', { id, form: { date, fee, expires, confirmed } });
export const undoRenewal = (id) => call('undo_renewal', { id });
export const credentialDetail = (id) => call('credential_detail', { id });
/** `{completed_on, hours, outcomes, problems}`: the date and hours as the core read them, and
 * the credits (or every problem of the form). With `activityId`, as saved over that activity. */
export const previewCredits = (form, activityId = null) => call('preview_credits', { form, activityId });
export const logActivity = (form) => call('log_activity', { form });
export const editActivity = (id, changes) => call('edit_activity', { id, changes });
export const listActivities = () => call('list_activities');
export const deleteActivity = (id) => call('delete_activity', { id });
export const upcomingCosts = (months) => call('upcoming_costs', { months });
export const listPlanned = () => call('list_planned');
export const addPlanned = (form) => call('add_planned', { form });
export const removePlanned = (id) => call('remove_planned', { id });
/** The plan for `{objective, budget, hours_per_week}` as typed (empty: no limit); the core reads them. */
export const getPlan = (form) => call('get_plan', { form });
export const plannedLogForm = (id) => call('planned_log_form', { id });
export const completePlanned = (id, form) => call('complete_planned', { id, form });
export const plannedOnTimeline = () => call('planned_on_timeline');
export const appInfo = () => call('app_info');
export const backupNow = () => call('backup_now');
// Sync with the user's other computers through a shared folder (issue 22).
export const syncStatus = () => call('sync_status');
export const setSyncFolder = (path, name) => call('set_sync_folder', { path, name });
export const syncNow = () => call('sync_now');
export const leaveSync = () => call('leave_sync');
export const chooseFolder = () => call('choose_folder');
export const pickProofFile = () => call('pick_proof_file');
export const openProof = (activityId) => call('open_proof', { activityId });
/** Reads a certificate (the dialog's choice, or `path` dropped on the window); null if cancelled. */
export const readCertificate = (path) => call('read_certificate', { path });
export const getSettings = () => call('get_settings');
export const setLeadDays = (text) => call('set_lead_days', { text });
export const setStartAtLogin = (enabled) => call('set_start_at_login', { enabled });
export const reminderHistory = () => call('reminder_history');
export const snoozeReminder = (key, days) => call('snooze_reminder', { key, days });
export const checkRemindersNow = () => call('check_reminders_now');
export const catalogInfo = () => call('catalog_info');
/** What the rules file at `path` changes (`apply`: use it). */
export const updateCatalog = (path, apply) => call('update_catalog', { path, apply });
export const undoCatalog = () => call('undo_catalog');
/** A body's answer to a course it had to approve: the units it granted, or null (refused). */
export const settleCredit = (activityId, credentialId, acceptedUnits) =>
  call('settle_credit', { activityId, credentialId, acceptedUnits });
/** The ISO day the core reads in `text` (ISO or MM/DD/YYYY), or null. */
export const readDate = (text) => call('read_date', { text });

/**
 * Calls `handler(payload)` on every backend event `name`. Resolves to a function that stops
 * listening; outside the app (no Tauri) there are no events, so it resolves to one that does nothing.
 */
export async function onEvent(name, handler) {
  const internals = tauriInternals();
  if (!internals) return () => {};
  const eventId = await internals.invoke('plugin:event|listen', {
    event: name,
    target: { kind: 'Any' },
    handler: internals.transformCallback((event) => handler(event.payload)),
  });
  return async () => {
    window.__TAURI_EVENT_PLUGIN_INTERNALS__?.unregisterListener(name, eventId);
    await internals.invoke('plugin:event|unlisten', { event: name, eventId });
  };
}
