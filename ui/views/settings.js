// Where the data lives and how to back it up. Reminder settings arrive with desktop reminders.

import { appInfo, backupNow } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { dateElement } from '../format.js';

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

function reminderSection() {
  return h('section', { class: 'panel', id: 'reminder-settings', 'aria-labelledby': 'reminder-settings-title' },
    h('h2', { id: 'reminder-settings-title' }, 'Reminders'),
    h('p', null, 'Reminder settings arrive with desktop reminders.'));
}

export async function render() {
  const info = await appInfo();
  return h('section', { id: 'settings' },
    h('header', { class: 'view-header' }, h('div', null, h('h1', null, 'Settings'))),
    dataSection(info),
    backupSection(),
    reminderSection());
}
