// Recert's window: a hash router over a handful of views. Each view module exports
// `render(params, app)` which fetches what it needs and returns one element; the router swaps it in.

import * as dashboard from './views/dashboard.js';
import * as addCredential from './views/add-credential.js';
import * as logActivity from './views/log.js';
import * as detail from './views/detail.js';
import * as timeline from './views/timeline.js';
import * as costs from './views/costs.js';
import * as settings from './views/settings.js';
import { onEvent } from './api.js';
import { h } from './dom.js';
import { errorPanel, showBanner, takeFlash } from './feedback.js';
performance.mark('recert:app-start');

const ROUTES = [
  { pattern: /^#?\/?(dashboard)?$/, name: 'dashboard', nav: 'dashboard', view: dashboard },
  { pattern: /^#\/add$/, name: 'add', nav: 'dashboard', view: addCredential },
  { pattern: /^#\/log$/, name: 'log', nav: 'log', view: logActivity },
  { pattern: /^#\/credential\/(\d+)$/, name: 'detail', nav: 'dashboard', view: detail, params: (m) => ({ id: Number(m[1]) }) },
  { pattern: /^#\/timeline$/, name: 'timeline', nav: 'timeline', view: timeline },
  { pattern: /^#\/costs$/, name: 'costs', nav: 'costs', view: costs },
  { pattern: /^#\/settings$/, name: 'settings', nav: 'settings', view: settings },
];

function matchRoute(hash) {
  for (const route of ROUTES) {
    const match = route.pattern.exec(hash);
    if (match) return { route, params: route.params ? route.params(match) : {} };
  }
  // Unknown or in-page anchors fall back to the dashboard rather than a blank window.
  return { route: ROUTES[0], params: {} };
}

function markCurrentNav(navName) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === navName) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** What views may ask of the shell. */
const app = {
  /** Shows `hash`; draws it again when it is already the current one (after a save). */
  navigate(hash) {
    if (location.hash === hash) showCurrentRoute();
    else location.hash = hash;
  },
  refresh() {
    showCurrentRoute();
  },
};

let renderCount = 0;

async function showCurrentRoute() {
  renderCount += 1;
  const thisRender = renderCount;
  const { route, params } = matchRoute(location.hash);
  const viewRoot = document.getElementById('view');
  markCurrentNav(route.nav);
  document.title = 'Recert';
  viewRoot.setAttribute('aria-busy', 'true');
  let content;
  try {
    content = await route.view.render(params, app);
  } catch (error) {
    console.error(error);
    content = errorPanel(error);
  }
  // A later navigation finished first: its view wins.
  if (thisRender !== renderCount) return;
  viewRoot.replaceChildren(...[takeFlash(), content].filter(Boolean));
  // A new view starts at its top, not where the previous one was scrolled to.
  window.scrollTo(0, 0);
  viewRoot.dataset.view = route.name;
  viewRoot.setAttribute('aria-busy', 'false');
  moveFocusToView(viewRoot, thisRender === 1);
  document.getElementById('app').dataset.ready = 'true';
  if (thisRender === 1) {
    performance.mark('recert:first-view-drawn');
    // Two frames later the first view has been painted: start-up measurements read this mark.
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('recert:first-view-painted')));
  }
}

/** After navigating, keyboard and screen-reader users land on the new view's heading. */
function moveFocusToView(viewRoot, firstRender) {
  if (firstRender) return;
  const target = viewRoot.querySelector('#flash') ?? viewRoot.querySelector('h1');
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: false });
}

// --- events from the backend (the reminder scheduler, the tray, notification clicks) ------------

const settingsShowing = () => document.getElementById('view').dataset.view === 'settings';

// The scheduler reports the same failure on every hourly check; once dismissed, it stays so.
let dismissedNotificationsError = null;

function warnNotificationsUnavailable(error) {
  if (error === dismissedNotificationsError) return;
  showBanner([
    `Desktop notifications could not be shown (${error}). Recert keeps the reminders due and lists them under `,
    h('a', { href: '#/settings' }, 'Settings → Reminders'), '.',
  ], 'warning', { dismissible: true, onDismiss: () => { dismissedNotificationsError = error; } });
}

function listenToBackend() {
  const listeners = [
    // Only the reminder list is drawn again (not the whole view): it can arrive while the user types.
    onEvent('reminders-changed', () => { if (settingsShowing()) settings.refreshReminders(); }),
    onEvent('notifications-unavailable', (error) => {
      warnNotificationsUnavailable(String(error ?? 'no notification server answered'));
      if (settingsShowing()) settings.refreshReminders();
    }),
    onEvent('open-view', (hash) => {
      // Only routes of this window: the payload is a hash such as "#/dashboard".
      if (typeof hash === 'string' && hash.startsWith('#/')) app.navigate(hash);
    }),
  ];
  for (const listener of listeners) listener.catch((error) => console.error('Could not listen to the backend:', error));
}

function start() {
  if (!window.__TAURI__?.core?.invoke) {
    showBanner('Recert’s backend is not reachable: this window only works inside the Recert app.', 'warning');
  }
  window.addEventListener('hashchange', showCurrentRoute);
  // Before the first view, so an event sent while it loads is not missed.
  listenToBackend();
  showCurrentRoute();
}

start();
