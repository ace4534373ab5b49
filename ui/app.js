// Recert's window: a hash router over a handful of views. Each view module exports
// `render(params, app)` which fetches what it needs and returns one element; the router swaps it in.

import * as dashboard from './views/dashboard.js';
import { backendAvailable, dropEarlyStatus, onEvent } from './api.js';
import { h } from './dom.js';
import { errorPanel, showBanner, takeFlash } from './feedback.js';
performance.mark('recert:app-start');

// Only the dashboard is loaded with the window; every other view is fetched the first time it is
// shown (and warmed up once the dashboard is painted), so start-up parses a third of the code.
const loadSettings = () => import('./views/settings.js');

const ROUTES = [
  { pattern: /^#?\/?(dashboard)?$/, name: 'dashboard', nav: 'dashboard', load: async () => dashboard },
  { pattern: /^#\/add$/, name: 'add', nav: 'dashboard', load: () => import('./views/add-credential.js') },
  { pattern: /^#\/welcome$/, name: 'welcome', nav: 'dashboard', load: () => import('./views/onboarding.js') },
  { pattern: /^#\/log$/, name: 'log', nav: 'log', load: () => import('./views/log.js') },
  {
    // "Mark as done" on the Plan screen: the log form filled in from a planned course.
    pattern: /^#\/log\/planned\/(\d+)$/, name: 'log', nav: 'log', load: () => import('./views/log.js'),
    params: (m) => ({ planned: Number(m[1]) }),
  },
  {
    pattern: /^#\/credential\/(\d+)(\/edit)?$/, name: 'detail', nav: 'dashboard', load: () => import('./views/detail.js'),
    params: (m) => ({ id: Number(m[1]), edit: Boolean(m[2]) }),
  },
  { pattern: /^#\/timeline$/, name: 'timeline', nav: 'timeline', load: () => import('./views/timeline.js') },
  { pattern: /^#\/costs$/, name: 'costs', nav: 'costs', load: () => import('./views/costs.js') },
  { pattern: /^#\/plan$/, name: 'plan', nav: 'plan', load: () => import('./views/plan.js') },
  { pattern: /^#\/settings$/, name: 'settings', nav: 'settings', load: loadSettings },
];

/** Fetches the other views while the user reads the first one, so navigating never waits. */
function warmUpViews() {
  for (const route of ROUTES) route.load().catch((error) => console.error('Could not load a view:', error));
}

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
    const view = await route.load();
    content = await view.render(params, app);
  } catch (error) {
    console.error(error);
    content = errorPanel(error);
  }
  // What was asked for at start-up is out of date once any view has been drawn.
  dropEarlyStatus();
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
    requestAnimationFrame(() => requestAnimationFrame(() => {
      performance.mark('recert:first-view-painted');
      setTimeout(warmUpViews, 0);
    }));
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

const SHOWS_DATA_ONLY = new Set(['dashboard', 'timeline', 'costs', 'plan']);
const settingsShowing = () => document.getElementById('view').dataset.view === 'settings';
const refreshReminderList = () => loadSettings().then((settings) => settings.refreshReminders());

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
    onEvent('reminders-changed', () => { if (settingsShowing()) refreshReminderList(); }),
    onEvent('notifications-unavailable', (error) => {
      warnNotificationsUnavailable(String(error ?? 'no notification server answered'));
      if (settingsShowing()) refreshReminderList();
    }),
    // Another computer's change came in through the shared folder (sync): a screen that only
    // shows data draws itself again; a form being filled in is left alone.
    onEvent('data-changed', () => {
      if (SHOWS_DATA_ONLY.has(document.getElementById('view').dataset.view)) showCurrentRoute();
    }),
    onEvent('open-view', (hash) => {
      // Only routes of this window: the payload is a hash such as "#/dashboard".
      if (typeof hash === 'string' && hash.startsWith('#/')) app.navigate(hash);
    }),
  ];
  for (const listener of listeners) listener.catch((error) => console.error('Could not listen to the backend:', error));
}

/** The skip link moves the focus into the view without touching the hash (the router's). */
function skipToContent(event) {
  event.preventDefault();
  const viewRoot = document.getElementById('view');
  const heading = viewRoot.querySelector('h1');
  if (heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  (heading ?? document.getElementById('main')).focus();
}

function start() {
  if (!backendAvailable()) {
    showBanner('Recert’s backend is not reachable: this window only works inside the Recert app.', 'warning');
  }
  window.addEventListener('hashchange', showCurrentRoute);
  document.getElementById('skip-link').addEventListener('click', skipToContent);
  // Before the first view, so an event sent while it loads is not missed.
  listenToBackend();
  showCurrentRoute();
}

start();
