// The dashboard shell: sign-in with an API key (kept in sessionStorage), the project picker, the unread bell and a
// hash router over the views. Each view renders into <main> and returns a function that tears it down.
import { api, session, ApiError } from './api.js';
import { h, replace, toast } from './ui.js';
import * as live from './live.js';
import * as flaky from './views/flaky.js';
import * as runs from './views/runs.js';
import * as uploads from './views/uploads.js';
import * as notifications from './views/notifications.js';
import * as test from './views/test.js';

const PROJECT = 'seismo.project';
const views = { flaky, runs, uploads, notifications, tests: test };

const main = document.getElementById('main');
const topbar = document.querySelector('.topbar');
const picker = document.getElementById('project');
const unreadBadge = document.getElementById('unread');

const ctx = { me: null, projects: [], projectId: null, unread: 0, project: () => ctx.projects.find((p) => p.id === ctx.projectId) };
let teardown = null;
let offNotification = null;

ctx.setUnread = (count) => {
  ctx.unread = Math.max(0, count);
  unreadBadge.textContent = ctx.unread > 99 ? '99+' : String(ctx.unread);
  unreadBadge.hidden = ctx.unread === 0;
  document.getElementById('bell').setAttribute('aria-label', `Notifications, ${ctx.unread} unread`);
};

function showSignIn(message) {
  topbar.hidden = true;
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false',
    placeholder: 'smo_…', 'aria-describedby': 'key-help' });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'signin-error' }, message ?? '');
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'signin card', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Seismo'),
    h('label', { for: 'key' }, 'API key'), input,
    h('p', { class: 'hint', id: 'key-help' }, 'An account or project key. It stays in this tab only (session storage).'),
    error, button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    error.textContent = '';
    try {
      await signIn(input.value.trim());
    } catch (err) {
      session.key = null;
      error.textContent = err instanceof ApiError && err.status === 401 ? 'That key is unknown, inactive or expired.' : err.message;
      button.disabled = false;
      input.focus();
    }
  });
  replace(main, form);
  input.focus();
}

async function signIn(key) {
  ctx.me = await api('/api/me', { key });
  session.key = key;
  const list = await api('/api/projects');
  ctx.projects = list.data;
  replace(picker, ctx.projects.map((p) => h('option', { value: p.id }, p.name)));
  const saved = sessionStorage.getItem(PROJECT);
  ctx.projectId = ctx.projects.some((p) => p.id === saved) ? saved : ctx.projects[0]?.id ?? null;
  picker.value = ctx.projectId ?? '';
  picker.disabled = ctx.projects.length < 2;
  topbar.hidden = false;
  live.start(ctx.projectId, document.getElementById('live'));
  offNotification = live.on('notification', (n) => { if (!n.read) ctx.setUnread(ctx.unread + 1); });
  api('/api/notifications/unread').then((r) => ctx.setUnread(r.count), () => {});
  if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/flaky';
  else route();
}

function signOut() {
  teardown?.();
  teardown = null;
  offNotification?.();
  live.stop();
  session.key = null;
  sessionStorage.removeItem(PROJECT);
  ctx.me = null;
  history.replaceState(null, '', '/');
  showSignIn();
}

function route() {
  if (!ctx.me) return;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const view = views[name] ? name : 'flaky';
  for (const link of document.querySelectorAll('.tabs a')) {
    const current = link.dataset.view === view || (view === 'tests' && link.dataset.view === 'flaky');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  teardown?.();
  main.replaceChildren();
  if (!ctx.projectId && view !== 'notifications' && view !== 'uploads') {
    replace(main, h('div', { class: 'state empty' }, h('p', { class: 'state-title' }, 'No projects yet'),
      h('p', {}, 'Create one with POST /api/projects, then send results to /collect.')));
    teardown = null;
    return;
  }
  teardown = views[view].render(main, ctx, rest.map(decodeURIComponent)) ?? null;
  main.focus({ preventScroll: true });
}

picker.addEventListener('change', () => {
  ctx.projectId = picker.value;
  sessionStorage.setItem(PROJECT, ctx.projectId);
  live.watchProject(ctx.projectId);
  if (location.hash.startsWith('#/tests/')) location.hash = '#/flaky'; else route();
});
document.getElementById('signout').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', (e) => {
  if (e.reason instanceof ApiError) { e.preventDefault(); toast(e.reason.message); }
});

if (session.key) {
  signIn(session.key).catch((err) => showSignIn(err instanceof ApiError && err.status === 401 ? 'Your key is no longer valid; sign in again.' : err.message));
} else {
  showSignIn();
}
