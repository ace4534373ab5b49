// The user's data in and out, in Settings: import a spreadsheet (a preview first, bad lines named,
// nothing written until confirmed), export the ledger, keep a calendar file up to date, and
// restore a backup. Paths come from the desktop's own dialogs, or typed.

import {
  chooseFile, chooseSavePath, exportCsv, importCsv, listBackups, restoreBackup, setCalendarFile,
} from '../api.js';
import { checkboxField, h, replaceChildren, textField } from '../dom.js';
import { confirmDialog, flash } from '../feedback.js';
import { dateElement, dateTimeElement, formatNumber, formatUnits } from '../format.js';

/** A path field with a button that fills it from the desktop's dialog. */
export function pathField({ id, label, hint, choose }) {
  const field = textField({ id, label, hint, placeholder: '/home/you/…' });
  const button = h('button', { type: 'button', class: 'button', id: `${id}-choose` }, 'Choose…');
  button.addEventListener('click', async () => {
    const path = await choose();
    if (path) field.querySelector('input').value = path;
  });
  const input = field.querySelector('input');
  const row = h('div', { class: 'input-row path-row' });
  input.replaceWith(row);
  row.append(input, button);
  return field;
}

const pathOf = (root, id) => root.querySelector(`#${id}`).value.trim();

/** `root` with `children` in it. */
function filled(root, ...children) {
  replaceChildren(root, ...children);
  return root;
}

function status(id) {
  return h('div', { id, class: 'inline-status', role: 'status' });
}

// --- import --------------------------------------------------------------------------------------

function previewTable(report) {
  const errorsByLine = new Map();
  for (const error of report.errors) {
    if (!errorsByLine.has(error.line)) errorsByLine.set(error.line, []);
    errorsByLine.get(error.line).push(error);
  }
  const fileErrors = errorsByLine.get(0) ?? [];
  const lines = [...new Set([...report.rows.map((r) => r.line), ...[...errorsByLine.keys()].filter((l) => l > 0)])].sort((a, b) => a - b);
  const row = (line) => {
    const preview = report.rows.find((r) => r.line === line);
    const errors = errorsByLine.get(line) ?? [];
    const earned = preview
      ? preview.outcomes.filter((o) => o.credited).map((o) => `${o.abbreviation} +${formatUnits(o.units, o.unit)}`).join(' · ') || 'counts for no credential'
      : '';
    return h('tr', { class: errors.length ? 'import-line bad' : 'import-line', 'data-line': String(line) },
      h('td', null, String(line)),
      h('td', null, preview ? (preview.date ? `${preview.date} — ${preview.title}` : preview.title) : ''),
      h('td', null, earned,
        errors.map((error) => h('p', { class: 'field-error', role: 'alert' },
          h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '⚠ '),
          error.column ? `Column ${error.column}: ${error.message}` : error.message))));
  };
  return [
    fileErrors.map((error) => h('p', { class: 'form-error', role: 'alert' }, error.message)),
    lines.length ? h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Import preview' },
      h('table', { id: 'import-preview-table' },
        h('thead', null, h('tr', null, ['Line', 'Activity', 'Earns'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, lines.map(row)))) : null,
  ];
}

export function importSection(app) {
  const root = h('section', { class: 'panel', id: 'import', 'aria-labelledby': 'import-title' });
  const preview = h('div', { id: 'import-preview' });
  const allow = checkboxField({ id: 'import-allow-duplicates', label: 'Import courses that look like ones already logged' });
  const previewButton = h('button', { type: 'button', class: 'button', id: 'import-preview-button' }, 'Preview');
  const confirm = h('button', { type: 'button', class: 'button primary', id: 'import-confirm', hidden: true }, 'Import');
  const run = async (dryRun) => {
    const path = pathOf(root, 'import-path');
    const allowDuplicates = root.querySelector('#import-allow-duplicates').checked;
    confirm.hidden = true;
    try {
      const report = await importCsv(path, dryRun, allowDuplicates);
      if (!dryRun && report.imported > 0) {
        const behind = report.proofs_left_behind
          ? ` ${formatNumber(report.proofs_left_behind)} had a proof file, which a spreadsheet cannot carry: attach those again.`
          : '';
        flash(`Imported ${formatNumber(report.imported)} activities from the spreadsheet.${behind}`);
        app.refresh();
        return;
      }
      const ok = report.errors.length === 0;
      replaceChildren(preview,
        h('p', { class: ok ? 'hint' : 'form-error', id: 'import-summary' }, ok
          ? `${formatNumber(report.rows.length)} activities are ready to import. Nothing is written until you import them.`
          : `${formatNumber(report.errors.length)} ${report.errors.length === 1 ? 'problem' : 'problems'}: fix the file and preview it again. Nothing was imported.`),
        previewTable(report));
      confirm.hidden = !ok;
      confirm.textContent = `Import ${formatNumber(report.rows.length)} activities`;
    } catch (error) {
      replaceChildren(preview, h('p', { class: 'form-error', role: 'alert' }, error.message));
    }
  };
  previewButton.addEventListener('click', () => run(true));
  confirm.addEventListener('click', () => run(false));
  return filled(root,
    h('h2', { id: 'import-title' }, 'Import a spreadsheet'),
    h('p', null, 'Bring in courses you already took: a CSV file with date, title and hours columns (provider, cost and categories if you have them). ',
      'Each line is credited as if you logged it; if any line is bad, nothing is imported.'),
    pathField({ id: 'import-path', label: 'Spreadsheet (CSV)', choose: () => chooseFile('spreadsheet') }),
    allow,
    h('div', { class: 'actions start' }, previewButton, confirm),
    preview);
}

// --- export ----------------------------------------------------------------------------------------

export function exportSection() {
  const root = h('section', { class: 'panel', id: 'export', 'aria-labelledby': 'export-title' });
  const result = status('export-result');
  const button = h('button', { type: 'button', class: 'button', id: 'export-button' }, 'Export');
  const failed = (error) => replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, error.message));
  button.addEventListener('click', async () => {
    const path = pathOf(root, 'export-path');
    const write = async (replace) => {
      const count = await exportCsv(path, replace);
      replaceChildren(result, `✓ Exported ${formatNumber(count)} activities.`);
    };
    try {
      await write(false);
    } catch (error) {
      if (error.code !== 'needs_confirmation') return failed(error);
      // A typed path names a file that exists: replaced only when the user says so.
      const sure = await confirmDialog({ title: 'Replace the file?', message: `${path} exists. Replace it with the export?`, confirmLabel: 'Replace' });
      if (sure) await write(true).catch(failed);
    }
  });
  return filled(root,
    h('h2', { id: 'export-title' }, 'Export the ledger'),
    h('p', null, 'One row per activity with the units it earned for each credential; it opens in LibreOffice and Excel, and imports back unchanged.'),
    pathField({ id: 'export-path', label: 'Save as', choose: () => chooseSavePath('spreadsheet', 'recert-ledger.csv') }),
    h('div', { class: 'actions start' }, button), result);
}

// --- calendar ---------------------------------------------------------------------------------------

export function calendarSection(settings) {
  const root = h('section', { class: 'panel', id: 'calendar', 'aria-labelledby': 'calendar-title' });
  const result = status('calendar-result');
  const current = () => (settings.calendar_file
    ? ['Kept up to date: ', h('code', { class: 'path', id: 'calendar-current' }, settings.calendar_file)]
    : ['No calendar file is kept up to date.']);
  const shown = h('p', { id: 'calendar-state' }, current());
  // Stop is offered only while a file is kept: there is nothing to stop otherwise.
  const stop = h('button', { type: 'button', class: 'button', id: 'calendar-stop', hidden: !settings.calendar_file, on: { click: () => save('') } }, 'Stop');
  const save = async (path) => {
    try {
      settings.calendar_file = await setCalendarFile(path);
      replaceChildren(shown, current());
      stop.hidden = !settings.calendar_file;
      replaceChildren(result, path ? '✓ Written now, and after every change.' : 'Stopped.');
    } catch (error) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, error.message));
    }
  };
  return filled(root,
    h('h2', { id: 'calendar-title' }, 'Keep a calendar file up to date'),
    h('p', null, 'Every deadline, late-fee day, grace-period end and CPR/AED card expiry, with alarms at your reminder lead times. ',
      'Keep the file in a synced folder and subscribe to it from your phone’s calendar.'),
    shown,
    pathField({ id: 'calendar-path', label: 'Calendar file (.ics)', choose: () => chooseSavePath('calendar', 'recert-deadlines.ics') }),
    h('div', { class: 'actions start' },
      h('button', { type: 'button', class: 'button primary', id: 'calendar-save', on: { click: () => save(pathOf(root, 'calendar-path')) } }, 'Keep it up to date'),
      stop),
    result);
}

// --- backups ----------------------------------------------------------------------------------------

/** When a backup was written, in local time; a daily backup's name holds only the day. */
function writtenAt(backup) {
  if (backup.written_at_utc) return dateTimeElement(backup.written_at_utc, 'backup-time');
  return backup.written_at ? dateElement(backup.written_at, 'backup-time') : 'date unknown';
}

const KIND_WORDS = { daily: 'Daily', manual: 'On demand', before_migration: 'Before an upgrade', before_restore: 'Before a restore' };

async function restoreFlow(path, app, result) {
  try {
    await restoreBackup(path, false);
  } catch (error) {
    if (error.code !== 'needs_confirmation') {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, error.message));
      return;
    }
    const sure = await confirmDialog({ title: 'Restore this backup?', message: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`, confirmLabel: 'Restore' });
    if (!sure) return;
    try {
      const outcome = await restoreBackup(path, true);
      flash(`Restored: ${formatNumber(outcome.restored.credentials)} credentials, ${formatNumber(outcome.restored.activities)} activities. Your previous data is saved in the backups.`);
      app.navigate('#/dashboard');
    } catch (second) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, second.message));
    }
  }
}

export async function backupsSection(app) {
  const result = status('restore-result');
  let backups = [];
  try {
    backups = await listBackups();
  } catch (error) {
    replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, error.message));
  }
  const list = backups.length
    ? h('ul', { class: 'plain-list backup-list', id: 'backup-list' }, backups.map((backup) => h('li', { 'data-file': backup.file_name },
      h('span', null, h('strong', null, KIND_WORDS[backup.kind] ?? backup.kind), ' · ', writtenAt(backup), ` · ${formatNumber(Math.ceil(backup.size_bytes / 1024))} KB `),
      h('button', { type: 'button', class: 'button small restore-backup', on: { click: () => restoreFlow(backup.path, app, result) } }, 'Restore'))))
    : h('p', { class: 'hint', id: 'backup-list' }, 'No backups yet. Recert writes one each day you change something.');
  return h('section', { class: 'panel', id: 'backups', 'aria-labelledby': 'backups-title' },
    h('h2', { id: 'backups-title' }, 'Restore a backup'),
    h('p', null, 'Recert keeps a backup of each day you changed something (7 days, then one a week for 4 weeks), one before every upgrade and one before every restore. ',
      'Restoring puts a backup in place of your data; your current data is backed up first.'),
    list,
    pathField({ id: 'restore-path', label: 'Or restore a backup file', choose: () => chooseFile('backup') }),
    h('div', { class: 'actions start' },
      h('button', { type: 'button', class: 'button', id: 'restore-file', on: { click: (event) => restoreFlow(pathOf(event.target.closest('section'), 'restore-path'), app, result) } }, 'Restore this file')),
    result);
}
