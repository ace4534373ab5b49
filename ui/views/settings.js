// Where the data lives, how to back it up, and when Recert reminds you of deadlines.

import {
  appInfo, backupNow, checkRemindersNow, getSettings, reminderHistory, setLeadDays, setStartAtLogin, snoozeReminder,
} from '../api.js';
import { checkboxField, h, replaceChildren, textField } from '../dom.js';
import { clearErrors, clearFieldError, showError } from '../feedback.js';
import { dateElement, dateTimeElement, formatNumber } from '../format.js';
import { backupsSection, calendarSection, exportSection, importSection } from './data-exchange.js';
import { rulesSection } from './rules-file.js';
import { syncSection } from './sync-settings.js';

function dataSection(info) {
  return h('section', { class: 'panel', id: 'data-settings', 'aria-labelledby': 'data-settings-title' },
    h('h2', { id: 'data-settings-title' }, 'Your data'),
    h('p', null, 'Everything Recert knows is in one file on this computer; proof files are copied beside it.'),
    h('dl', { class: 'rules' },
      h('dt', null, 'Data folder'), h('dd', null, h('code', { id: 'data-dir', class: 'path' }, info.data_dir)),
      h('dt', null, 'Database'), h('dd', null, h('code', { id: 'database-path', class: 'path' }, info.database_path)),
      h('dt', null, 'Today'), h('dd', null, dateElement(info.today)),
      h('dt', null, 'Version'), h('dd', null, info.version)));
}

function backupSection() {
  const result = h('div', { id: 'backup-result', class: 'inline-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button primary', id: 'backup-now' }, 'Back up now');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replaceChildren(result, 'Backing up…');
    try {
      const path = await backupNow();
      replaceChildren(result, h('p', null, '✓ Backup written to ', h('code', { class: 'path', id: 'backup-path' }, path)),
        h('p', { class: 'hint' }, 'Copy that file anywhere safe (another disk, a cloud folder).'));
    } catch (error) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, `Backup failed: ${error.message}`));
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'panel', id: 'backup', 'aria-labelledby': 'backup-title' },
    h('h2', { id: 'backup-title' }, 'Backup'),
    h('p', null, 'Writes a consistent copy of your database to the backups folder inside the data folder. ',
      'Do not copy the database file itself while Recert runs: recent changes may not be in it yet.'),
    button, result);
}

// --- reminders ---------------------------------------------------------------------------------

const joinDays = (days) => days.join(', ');

function leadDaysForm(settings) {
  const saved = h('p', { id: 'lead-days-saved', class: 'inline-status', role: 'status' });
  const button = h('button', { type: 'submit', class: 'button primary', id: 'save-lead-days' }, 'Save');
  const form = h('form', { id: 'lead-days-form', class: 'form', novalidate: true },
    textField({
      id: 'lead-days',
      label: 'Remind me this many days before each deadline',
      value: joinDays(settings.lead_days),
      hint: 'Comma-separated days, e.g. 90, 60, 30, 14, 7, 1',
      field: 'lead-days',
    }),
    h('div', { class: 'input-row' }, button, saved));
  const input = form.querySelector('#lead-days');
  form.addEventListener('input', (event) => {
    clearFieldError(event.target.closest('.field'));
    // A confirmation would now describe text the user has since changed.
    saved.textContent = '';
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    saved.textContent = '';
    button.disabled = true;
    try {
      const { lead_days: days } = await setLeadDays(input.value);
      // Shown as the backend stored it (sorted, spaced), so the field matches what is in effect.
      input.value = joinDays(days);
      saved.textContent = days.length
        ? `✓ Saved: reminders ${joinDays(days)} days before each deadline.`
        : '✓ Saved: no reminders ahead of deadlines.';
    } catch (error) {
      showError(form, error);
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'settings-group' },
    h('h3', null, 'When to remind you'),
    form);
}

function autostartText(result) {
  return result.start_at_login
    ? ['Recert starts at login from ', h('code', { class: 'path', id: 'autostart-path' }, result.autostart_path)]
    : [];
}

function startAtLoginGroup(settings) {
  const field = checkboxField({
    id: 'start-at-login',
    label: 'Start Recert at login (hidden, in the background)',
    checked: settings.start_at_login,
    hint: 'So reminders arrive even when you have not opened Recert that day.',
  });
  const checkbox = field.querySelector('#start-at-login');
  const status = h('p', { id: 'start-at-login-status', class: 'inline-status hint', role: 'status' }, autostartText(settings));
  const group = h('div', { class: 'settings-group' }, h('h3', null, 'Start at login'), field, status);
  checkbox.addEventListener('change', async () => {
    const wanted = checkbox.checked;
    clearFieldError(field);
    checkbox.disabled = true;
    try {
      const result = await setStartAtLogin(wanted);
      checkbox.checked = result.start_at_login;
      replaceChildren(status, autostartText(result));
    } catch (error) {
      // Nothing changed on disk: the checkbox goes back to the truth.
      checkbox.checked = !wanted;
      showError(group, { field: 'start-at-login', message: error.message });
    } finally {
      checkbox.disabled = false;
    }
  });
  return group;
}

function checkNowGroup() {
  const result = h('div', { id: 'check-result', class: 'inline-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button', id: 'check-now' }, 'Check reminders now');
  button.addEventListener('click', async () => {
    button.disabled = true;
    replaceChildren(result, 'Checking…');
    try {
      const raised = await checkRemindersNow();
      replaceChildren(result, raised === 0 ? 'No reminders are due right now.'
        : `✓ ${formatNumber(raised)} ${raised === 1 ? 'reminder' : 'reminders'} raised.`);
      await refreshReminders();
    } catch (error) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, `Checking failed: ${error.message}`));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'settings-group input-row' }, button, result);
}

function notificationsWarning(settings) {
  if (!settings.notifications_error) return null;
  return h('p', { id: 'notifications-warning', class: 'notice notice-warning' },
    h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '⚠ '),
    `Desktop notifications are unavailable (${settings.notifications_error}). `,
    'Recert still checks for reminders and lists each one below.');
}

const entryElement = (key) => document.querySelector(`.reminder-entry[data-key="${CSS.escape(key)}"]`);

function snoozeButton(entry) {
  const button = h('button', { type: 'button', class: 'button small snooze-button' }, 'Snooze 1 day');
  button.setAttribute('aria-label', `Snooze 1 day: ${entry.title}`);
  button.addEventListener('click', async () => {
    button.closest('.reminder-entry').querySelector('.field-error')?.remove();
    button.disabled = true;
    try {
      const until = await snoozeReminder(entry.key, 1);
      await refreshReminders();
      const status = document.getElementById('reminder-status');
      if (status) replaceChildren(status, `✓ Snoozed “${entry.title}” until `, dateElement(until), '.');
      // The list was drawn again: keep keyboard focus on the same entry.
      entryElement(entry.key)?.querySelector('.snooze-button')?.focus();
    } catch (error) {
      button.disabled = false;
      // A background refresh may have drawn the list again meanwhile: report on the entry on screen.
      (entryElement(entry.key) ?? button.closest('.reminder-entry')).append(h('p', { class: 'field-error', role: 'alert' },
        h('span', { class: 'error-icon', 'aria-hidden': 'true' }, '⚠ '), `Could not snooze: ${error.message}`));
    }
  });
  return button;
}

function reminderEntry(entry) {
  return h('li', { class: `reminder-entry${entry.resolved ? ' resolved' : ''}`, 'data-key': entry.key, 'data-kind': entry.kind, 'data-resolved': String(entry.resolved) },
    h('div', { class: 'reminder-main' },
      h('strong', { class: 'reminder-title' }, entry.title),
      h('p', { class: 'reminder-body' }, entry.body),
      h('p', { class: 'reminder-meta' }, 'Raised ', dateTimeElement(entry.raised_at),
        entry.shown ? null : [' ', h('span', { class: 'badge badge-warning' }, `not shown: ${entry.error ?? 'reason unknown'}`)],
        entry.resolved ? [' · ', h('span', { class: 'badge badge-resolved' }, '✓ Resolved')] : null)),
    // A resolved reminder has nothing left to snooze.
    entry.resolved ? null : h('div', { class: 'reminder-actions' }, snoozeButton(entry)));
}

function historyList(history) {
  if (!history.length) {
    return h('p', { id: 'reminder-history', class: 'hint reminder-empty' },
      'No reminders yet. Recert checks every hour and when you change something.');
  }
  return h('ul', { id: 'reminder-history', class: 'reminder-list' }, history.map(reminderEntry));
}

/** The parts that change when reminders are raised or snoozed; drawn again by `refreshReminders`. */
function historyBlock(settings, history) {
  return h('div', { id: 'reminder-history-block', class: 'settings-group' },
    h('h3', { id: 'reminder-history-title' }, 'Recent reminders'),
    notificationsWarning(settings),
    h('div', { id: 'reminder-status', class: 'inline-status', role: 'status' }),
    historyList(history));
}

let refreshCount = 0;

/**
 * Draws the warning and history again in place, leaving the lead-days field and checkbox alone
 * so a reminder arriving in the background never wipes what the user is typing or moves focus.
 * Does nothing when the settings view is not showing.
 */
export async function refreshReminders() {
  if (!document.getElementById('reminder-history-block')) return;
  refreshCount += 1;
  const thisRefresh = refreshCount;
  let content;
  try {
    const [settings, history] = await Promise.all([getSettings(), reminderHistory()]);
    content = historyBlock(settings, history);
  } catch (error) {
    content = h('div', { id: 'reminder-history-block', class: 'settings-group' },
      h('p', { class: 'form-error', role: 'alert' }, `Reminders could not be loaded: ${error.message}`));
  }
  // A later refresh (or another view) got there first.
  if (thisRefresh !== refreshCount) return;
  document.getElementById('reminder-history-block')?.replaceWith(content);
}

function reminderSection(reminders) {
  const section = (...content) => h('section', { class: 'panel', id: 'reminder-settings', 'aria-labelledby': 'reminder-settings-title' },
    h('h2', { id: 'reminder-settings-title' }, 'Reminders'), ...content);
  if (reminders.error) {
    return section(h('p', { class: 'form-error', role: 'alert' }, `Reminder settings could not be loaded: ${reminders.error.message}`));
  }
  const { settings, history } = reminders;
  return section(
    h('p', null, 'Recert shows a desktop notification ahead of each deadline, and when credits fall short, a prerequisite ',
      'is missing, a late fee starts or a grace period is ending.'),
    leadDaysForm(settings),
    startAtLoginGroup(settings),
    checkNowGroup(),
    historyBlock(settings, history));
}

/** Reminder settings fail on their own: the data folder and backup stay usable without them. */
async function loadReminders() {
  try {
    const [settings, history] = await Promise.all([getSettings(), reminderHistory()]);
    return { settings, history };
  } catch (error) {
    return { error };
  }
}

export async function render(_params, app) {
  const [info, reminders, backups, rules, sync] = await Promise.all(
    [appInfo(), loadReminders(), backupsSection(app), rulesSection(), syncSection(app)]);
  return h('section', { id: 'settings' },
    h('header', { class: 'view-header' }, h('div', null, h('h1', null, 'Settings'))),
    dataSection(info),
    sync,
    backupSection(),
    backups,
    importSection(app),
    exportSection(),
    reminders.settings ? calendarSection(reminders.settings) : null,
    reminderSection(reminders),
    rules);
}
