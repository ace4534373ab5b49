// The activities already logged, newest first, each with Edit, Delete and (when kept) its proof.

import { deleteActivity, listActivities, openProof } from '../api.js';
import { h, replaceChildren } from '../dom.js';
import { confirmDialog } from '../feedback.js';
import { dateElement, formatMoney, formatNumber, formatUnits } from '../format.js';

function creditText(credit, held) {
  const status = held.get(credit.credential_id);
  const category = credit.category ? ` (category ${credit.category})` : '';
  const typed = credit.overridden ? ', as typed' : '';
  return `${status?.abbreviation ?? `#${credit.credential_id}`} ${formatUnits(credit.units, status?.unit)}${category}${typed}`;
}

function alertInline(section, error) {
  section.prepend(h('p', { class: 'form-error', role: 'alert' }, error.message));
}

function activityItem(activity, held, { onEdit, onDelete, section }) {
  const credits = activity.credits.map((credit) => creditText(credit, held));
  const id = String(activity.id);
  return h('li', { class: 'activity-item', 'data-activity-id': id },
    h('div', { class: 'activity-main' },
      h('strong', { class: 'activity-title' }, activity.title),
      h('span', { class: 'hint' }, ' · ', dateElement(activity.completed_on), ` · ${formatNumber(activity.hours)} h`,
        activity.cost_cents ? ` · ${formatMoney(activity.cost_cents)}` : '',
        activity.provider ? ` · ${activity.provider}` : ''),
      h('span', { class: 'block hint activity-credits' }, credits.length ? `Credited: ${credits.join(', ')}` : 'Not credited to any credential')),
    h('div', { class: 'activity-actions' },
      activity.proof ? h('button', {
        type: 'button', class: 'button small open-proof', 'data-activity-id': id,
        on: { click: () => openProof(activity.id).catch((error) => alertInline(section, error)) },
      }, 'Open proof') : null,
      h('button', {
        type: 'button', class: 'button small edit-activity', 'data-activity-id': id,
        'aria-label': `Edit “${activity.title}”`, on: { click: () => onEdit(activity) },
      }, 'Edit'),
      h('button', {
        type: 'button', class: 'button small danger delete-activity', 'data-activity-id': id,
        'aria-label': `Delete “${activity.title}”`, on: { click: () => onDelete(activity) },
      }, 'Delete')));
}

/** Draws the list into `section`; `onEdit(activity)` opens an activity in the form. */
export async function fillActivityLog(section, statuses, { onEdit }) {
  const activities = await listActivities();
  const held = new Map(statuses.map((status) => [status.id, status]));
  const onDelete = async (activity) => {
    const sure = await confirmDialog({
      title: `Delete “${activity.title}”?`,
      message: 'Its credits are taken back from every credential, and its proof copy is no longer listed.',
      confirmLabel: 'Delete activity',
      danger: true,
    });
    if (!sure) return;
    try {
      await deleteActivity(activity.id);
      await fillActivityLog(section, statuses, { onEdit });
    } catch (error) {
      alertInline(section, error);
    }
  };
  const recent = [...activities].sort((a, b) => b.completed_on.localeCompare(a.completed_on) || b.id - a.id);
  replaceChildren(section,
    h('h2', { id: 'activity-log-title' }, 'Your log'),
    recent.length
      ? h('ul', { class: 'activity-list', 'aria-labelledby': 'activity-log-title' },
        recent.map((activity) => activityItem(activity, held, { onEdit, onDelete, section })))
      : h('p', { class: 'hint' }, 'Nothing logged yet.'));
}

export function showListError(section, error) {
  alertInline(section, error);
}
