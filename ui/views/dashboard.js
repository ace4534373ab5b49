// The first screen answers "what must I do next, by when, and what will it cost?": one card per
// credential, most urgent first (the backend sorts them).

import { getStatus } from '../api.js';
import { h, uniqueId } from '../dom.js';
import { formatNumber, sentenceWithDates, statusBadge } from '../format.js';
import {
  confirmExpiryPanel, deadlineLine, moneyLine, progressBlock, warningsList,
} from './credential-parts.js';

function credentialCard(status, app) {
  const titleId = uniqueId('card-title');
  const statusId = uniqueId('card-status');
  const deadlineId = uniqueId('card-deadline');
  const actionId = uniqueId('card-action');
  return h('div', { // a link to the detail (an article may not take the link role); see openCard
    class: `credential-card status-${status.status}`,
    'data-credential-id': String(status.id),
    'data-status': status.status,
    tabindex: '0',
    role: 'link',
    'aria-labelledby': titleId,
    'aria-describedby': `${statusId} ${deadlineId} ${actionId}`,
  },
  h('header', { class: 'card-header' },
    h('div', { class: 'card-heading' },
      h('h2', { class: 'card-title', id: titleId }, status.name),
      h('p', { class: 'card-body' }, status.abbreviation, ' · ', status.body)),
    statusBadge(status.status, status.status_label, statusId)),
  deadlineLine(status, deadlineId),
  confirmExpiryPanel(status, app),
  progressBlock(status, app),
  h('p', { class: 'next-action', id: actionId }, sentenceWithDates(status.next_action)),
  // While anything is short the next action says what, category minimums included (NASM's CPR/AED
  // card); the card adds the requirement's other problems only once nothing is short.
  warningsList(status, { requirementProblems: !(status.shortfall > 0) }),
  moneyLine(status, app));
}

/**
 * A click, Enter or Space on a card opens its detail. One listener on the list for all cards
 * (fewer to set up at start-up); buttons inside a card keep their events to themselves.
 */
function openCard(event, app) {
  if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
  const card = event.target.closest('.credential-card');
  if (!card) return;
  event.preventDefault();
  app.navigate(`#/credential/${card.dataset.credentialId}`);
}

function summaryLine(statuses) {
  const count = (name) => statuses.filter((s) => s.status === name).length;
  const parts = [`${formatNumber(statuses.length)} ${statuses.length === 1 ? 'credential' : 'credentials'}`];
  const urgent = [['due_soon', 'due soon'], ['grace', 'in grace period'], ['lapsed', 'lapsed']]
    .filter(([name]) => count(name) > 0)
    .map(([name, words]) => `${formatNumber(count(name))} ${words}`);
  parts.push(urgent.length ? urgent.join(', ') : 'all current');
  return parts.join(' · ');
}

function emptyState() {
  return h('section', { class: 'empty-state' },
    h('h2', null, 'Never let a certification lapse again'),
    h('p', null,
      'Recert keeps your fitness certifications and CPR/AED card in one place: each body’s renewal rules, ',
      'the continuing-education units you earn (log a course once, it counts toward every credential it serves), ',
      'your deadlines and the fees ahead. Everything stays on this computer.'),
    h('p', null, 'Start with what you hold: tick your certifications and CPR/AED card in the catalog of NSCA, NASM, ',
      'ACE, ACSM, ISSA, NCSF, CSCCa, AFAA, NESTA and CPR/AED presets (or describe your own), say where each stands, ',
      'and the dashboard is true from the first minute.'),
    h('div', { class: 'actions start' },
      h('a', { class: 'button primary large', id: 'set-up', href: '#/welcome' }, 'Set up Recert'),
      h('a', { class: 'button', id: 'add-first-credential', href: '#/add' }, 'Add one credential')));
}

export async function render(_params, app) {
  const statuses = await getStatus();
  const header = h('header', { class: 'view-header' },
    h('div', null,
      h('h1', null, 'Dashboard'),
      statuses.length ? h('p', { class: 'subtitle' }, summaryLine(statuses)) : null),
    statuses.length ? h('a', { class: 'button', id: 'add-credential', href: '#/add' }, '+ Add credential') : null);
  if (!statuses.length) return h('section', { id: 'dashboard' }, header, emptyState());
  return h('section', { id: 'dashboard' }, header,
    h('div', { class: 'cards', on: { click: (event) => openCard(event, app), keydown: (event) => openCard(event, app) } },
      statuses.map((status) => credentialCard(status, app))));
}
