// Live updates from Seismo's server-sent event streams: the selected project's events, the key's notifications and
// its upload sessions. Views subscribe by event type; nothing is polled. EventSource resumes a dropped project stream
// with Last-Event-ID by itself; a stream the server closed for good is reopened with back-off.
import { streamUrl } from './api.js';

const PROJECT_EVENTS = ['run.completed', 'run.failed', 'test.status_changed', 'test.quarantined', 'test.unquarantined', 'replay.truncated'];

const handlers = new Map();
const sources = new Map();
const states = new Map();
let statusElement = null;

/** Subscribes to one event type ('notification', 'upload.progress', a project event, or 'resync'); returns the unsubscribe. */
export function on(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set());
  handlers.get(type).add(handler);
  return () => handlers.get(type).delete(handler);
}

function emit(type, data) {
  for (const handler of handlers.get(type) ?? []) {
    try { handler(data); } catch (error) { console.warn('live handler failed', error); }
  }
}

export function start(projectId, status) {
  statusElement = status;
  open('notifications', () => streamUrl('/api/notifications/stream'), (source) => {
    source.addEventListener('notification', (e) => emit('notification', JSON.parse(e.data)));
  });
  open('uploads', () => streamUrl('/api/uploads/stream'), (source) => {
    source.onmessage = (e) => emit('upload.progress', JSON.parse(e.data));
  });
  watchProject(projectId);
}

export function watchProject(projectId) {
  close('project');
  if (!projectId) return;
  open('project', () => streamUrl('/api/events/stream', { projectId }), (source) => {
    for (const type of PROJECT_EVENTS) {
      source.addEventListener(type, (e) => {
        const envelope = JSON.parse(e.data);
        emit(type === 'replay.truncated' ? 'resync' : type, type === 'replay.truncated' ? envelope : envelope.data);
      });
    }
  });
}

export function stop() {
  for (const name of [...sources.keys()]) close(name);
  handlers.clear();
}

function open(name, url, wire, delay = 1000) {
  const source = new EventSource(url());
  sources.set(name, source);
  setState(name, 'connecting');
  let dropped = false;
  source.onopen = () => {
    setState(name, 'live');
    // Anything missed while away (beyond what Last-Event-ID replays) is read again by the views.
    if (dropped) emit('resync', { stream: name });
    dropped = false;
    delay = 1000;
  };
  source.onerror = () => {
    dropped = true;
    if (source.readyState === EventSource.CLOSED) {
      setState(name, 'offline');
      setTimeout(() => { if (sources.get(name) === source) open(name, url, wire, Math.min(delay * 2, 30000)); }, delay);
    } else {
      setState(name, 'reconnecting');
    }
  };
  wire(source);
}

function close(name) {
  sources.get(name)?.close();
  sources.delete(name);
  states.delete(name);
  render();
}

function setState(name, state) {
  states.set(name, state);
  render();
}

function render() {
  if (!statusElement) return;
  const values = [...states.values()];
  const state = values.length === 0 ? 'offline'
    : values.every((s) => s === 'live') ? 'live'
    : values.includes('offline') ? 'offline' : 'connecting';
  statusElement.textContent = state;
  statusElement.dataset.state = state;
}
