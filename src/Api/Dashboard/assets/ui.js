// Small DOM helpers. Text always goes in as text nodes, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(name, value);
  for (const child of children.flat()) if (child) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

export const loading = (what) => h('p', { class: 'state loading', role: 'status' }, `Loading ${what}…`);
export const empty = (title, hint) => h('div', { class: 'state empty' }, h('p', { class: 'state-title' }, title), hint && h('p', {}, hint));
export const failed = (error, retry) => h('div', { class: 'state error', role: 'alert' },
  h('p', { class: 'state-title' }, 'Something went wrong'), h('p', {}, error.message),
  retry && h('button', { type: 'button', onclick: retry }, 'Try again'));

export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
export function ago(iso) {
  if (!iso) return '—';
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const steps = [[60, 'second'], [60, 'minute'], [24, 'hour'], [30, 'day'], [12, 'month'], [Infinity, 'year']];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return '';
}

export const when = (iso) => iso ? h('time', { datetime: iso, title: new Date(iso).toLocaleString() }, ago(iso)) : '—';

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s % 60)} s`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const percent = (value) => `${(value ?? 0).toFixed(1)}%`;
export const score = (value) => (value ?? 0).toFixed(2);
export const shortSha = (sha) => sha ? sha.slice(0, 7) : '—';
export const label = (name) => h('span', { class: `label label-${(name || 'stable').toLowerCase()}` }, name || 'STABLE');
export const status = (name) => h('span', { class: `status status-${name}` }, name);

/** Calls fn at most once per animation-ish window: live bursts (a storm of events) become one refresh. */
export function debounce(fn, ms = 250) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

let toastTimer = null;
export function toast(message) {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 5000);
}
