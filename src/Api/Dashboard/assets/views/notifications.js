// The inbox: newest first, new ones arrive on the notification stream; mark one or all read.
import { api } from '../api.js';
import { h, replace, loading, empty, failed, when, toast } from '../ui.js';
import * as live from '../live.js';

export function render(main, ctx) {
  let items = null;
  const list = h('div', {}, loading('notifications'));
  const markAll = h('button', { type: 'button', onclick: markAllRead }, 'Mark all read');
  replace(main, h('div', { class: 'view-head' }, h('h1', {}, 'Notifications'), markAll), list);

  async function load() {
    try {
      items = await api('/api/notifications?limit=100');
      draw();
    } catch (error) {
      replace(list, failed(error, load));
    }
  }

  function draw() {
    const unread = items.filter((n) => !n.read).length;
    markAll.disabled = unread === 0;
    if (items.length === 0) {
      replace(list, empty('No notifications', 'Seismo tells you here when tests turn flaky, regress or break, and when runs fail.'));
      return;
    }
    replace(list, h('ul', { class: 'inbox' }, items.map((n) => h('li', { class: n.read ? 'note read' : 'note unread', dataset: { id: n.id, severity: n.severity } },
      h('div', { class: 'note-head' },
        h('span', { class: `sev sev-${n.severity}` }, n.severity), h('strong', {}, n.title), h('span', { class: 'muted' }, ' · ', when(n.created_at))),
      n.body && h('p', { class: 'note-body' }, n.body),
      !n.read && h('button', { type: 'button', class: 'link', onclick: () => markRead(n), 'aria-label': `Mark "${n.title}" read` }, 'Mark read')))));
  }

  async function markRead(n) {
    try {
      await api(`/api/notifications/${n.id}/read`, { method: 'PATCH' });
      n.read = true;
      ctx.setUnread(ctx.unread - 1);
      draw();
    } catch (error) {
      toast(error.message);
    }
  }

  async function markAllRead() {
    try {
      await api('/api/notifications/read', { method: 'POST' });
      items.forEach((n) => { n.read = true; });
      ctx.setUnread(0);
      draw();
    } catch (error) {
      toast(error.message);
    }
  }

  const offs = [
    live.on('notification', (n) => { if (items && !items.some((i) => i.id === n.id)) { items.unshift(n); draw(); } }),
    live.on('resync', () => load()),
  ];
  load();
  return () => offs.forEach((off) => off());
}
