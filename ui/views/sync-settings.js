// Settings → "Sync with your other computers" (issue 22): the shared folder, this computer's
// name, the other computers and when each last sent something, "Sync now", and leaving.

import { chooseFolder, leaveSync, setSyncFolder, syncNow, syncStatus } from '../api.js';
import { h, replaceChildren, textField } from '../dom.js';
import { clearErrors, showError } from '../feedback.js';
import { dateTimeElement, formatNumber } from '../format.js';
import { pathField } from './data-exchange.js';

const plural = (n, one, many) => `${formatNumber(n)} ${n === 1 ? one : many}`;

function reportText(report) {
  const parts = [`✓ Synced: sent ${plural(report.sent, 'change', 'changes')}`,
    `received ${plural(report.files_applied, 'file', 'files')} from your other computers`];
  if (report.proofs_received) parts.push(`${plural(report.proofs_received, 'proof', 'proofs')} copied in`);
  return `${parts.join(', ')}.`;
}

function waitingList(lines) {
  if (!lines?.length) return null;
  return h('ul', { id: 'sync-waiting', class: 'notice notice-warning' }, lines.map((line) => h('li', null, line)));
}

function devicesList(status) {
  if (!status.devices.length) {
    return h('p', { id: 'sync-devices', class: 'hint' }, 'No other computer has sent anything yet.');
  }
  return h('ul', { id: 'sync-devices', class: 'reminder-list' }, status.devices.map((device) =>
    h('li', { class: 'sync-device', 'data-device': device.device },
      h('strong', null, device.name ?? device.device), ' — last sent ',
      device.last_sent_at ? dateTimeElement(device.last_sent_at) : 'never',
      ', received here ', device.received_at ? dateTimeElement(device.received_at) : 'never')));
}

function joinForm(root, app) {
  const result = h('div', { id: 'sync-result', class: 'inline-status', role: 'status' });
  const button = h('button', { type: 'submit', class: 'button primary', id: 'sync-start' }, 'Start syncing');
  const form = h('form', { id: 'sync-form', class: 'form', novalidate: true },
    pathField({
      id: 'sync-folder',
      label: 'Shared folder',
      hint: 'A folder your sync tool (Syncthing, Dropbox, Nextcloud, OneDrive) or a USB stick already carries between your computers. Recert writes only small change files there, never its database.',
      choose: () => chooseFolder(),
    }),
    textField({ id: 'sync-name', label: 'This computer’s name', hint: 'How your other computers name this one (default: its host name).' }),
    h('div', { class: 'input-row' }, button, result));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    button.disabled = true;
    replaceChildren(result, 'Syncing…');
    try {
      const report = await setSyncFolder(form.querySelector('#sync-folder').value, form.querySelector('#sync-name').value);
      await draw(root, app, reportText(report));
    } catch (error) {
      replaceChildren(result, '');
      showError(form, { field: 'sync-folder', message: error.message });
      button.disabled = false;
    }
  });
  return form;
}

function syncingBlock(root, app, status, message) {
  const result = h('div', { id: 'sync-result', class: 'inline-status', role: 'status' }, message ?? '');
  const now = h('button', { type: 'button', class: 'button primary', id: 'sync-now' }, 'Sync now');
  now.addEventListener('click', async () => {
    now.disabled = true;
    replaceChildren(result, 'Syncing…');
    try {
      const report = await syncNow();
      await draw(root, app, reportText(report));
    } catch (error) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, `Sync failed: ${error.message}`));
      now.disabled = false;
    }
  });
  const leave = h('button', { type: 'button', class: 'button', id: 'sync-leave' }, 'Stop syncing this computer');
  leave.addEventListener('click', async () => {
    leave.disabled = true;
    try {
      await leaveSync();
      await draw(root, app, 'This computer no longer syncs; the shared folder keeps its files for your other computers.');
    } catch (error) {
      replaceChildren(result, h('p', { class: 'form-error', role: 'alert' }, error.message));
      leave.disabled = false;
    }
  });
  return [
    h('p', { id: 'sync-state' }, `This computer (${status.name ?? 'unnamed'}) syncs through `,
      h('code', { class: 'path', id: 'sync-folder-current' }, status.folder)),
    h('h3', null, 'Your other computers'),
    devicesList(status),
    status.unsent ? h('p', { class: 'hint' }, `${plural(status.unsent, 'change', 'changes')} of this computer not sent yet.`) : null,
    waitingList(status.waiting),
    h('div', { class: 'input-row' }, now, leave, result),
  ];
}

async function draw(root, app, message) {
  let status;
  try {
    status = await syncStatus();
  } catch (error) {
    replaceChildren(root, h('h2', { id: 'sync-title' }, 'Sync with your other computers'),
      h('p', { class: 'form-error', role: 'alert' }, `Sync could not be loaded: ${error.message}`));
    return;
  }
  replaceChildren(root,
    h('h2', { id: 'sync-title' }, 'Sync with your other computers'),
    h('p', null, 'Keep a laptop and a home computer in step without an account or a server: Recert writes each change ',
      'as a small file in a folder you already sync, and every computer merges them the same way. When two computers ',
      'changed the same field, the later edit wins and the credential’s history shows what the other had.'),
    status.warning ? h('p', { id: 'sync-warning', class: 'notice notice-warning' },
      h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '⚠ '), status.warning) : null,
    ...(status.folder ? syncingBlock(root, app, status, message) : [joinForm(root, app),
      message ? h('p', { id: 'sync-result', class: 'inline-status', role: 'status' }, message) : null]));
}

export async function syncSection(app) {
  const root = h('section', { class: 'panel', id: 'sync', 'aria-labelledby': 'sync-title' });
  await draw(root, app);
  return root;
}
