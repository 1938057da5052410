// Flaky tests: the project's tests by flakiness score with filter, sort and the quarantine toggle. The list is read
// again (debounced) whenever the project's stream says a label, a quarantine or a run changed.
import { api } from '../api.js';
import { h, replace, loading, empty, failed, when, score, label, debounce, toast } from '../ui.js';
import * as live from '../live.js';

const PAGE = 500;
const LABELS = ['FLAKY', 'SUSPECTED', 'REGRESSION', 'BROKEN', 'STABLE'];
const SORTS = {
  score: (a, b) => b.flakinessScore - a.flakinessScore,
  runs: (a, b) => b.totalRuns - a.totalRuns,
  lastFlaky: (a, b) => (b.lastFlakyAt ?? '').localeCompare(a.lastFlakyAt ?? ''),
  title: (a, b) => a.testTitle.localeCompare(b.testTitle),
};

export function render(main, ctx) {
  const filters = { text: '', label: 'attention', quarantined: false, sort: 'score' };
  let data = null;
  const pending = new Set();

  const summary = h('div', { class: 'cards', 'aria-label': 'Summary' });
  const body = h('div', { class: 'table-wrap' }, loading('flaky tests'));
  const search = h('input', { type: 'search', placeholder: 'Filter by title or file', 'aria-label': 'Filter by title or file',
    oninput: (e) => { filters.text = e.target.value.toLowerCase(); draw(); } });
  const labelSelect = h('select', { 'aria-label': 'Label', onchange: (e) => { filters.label = e.target.value; draw(); } },
    h('option', { value: 'attention' }, 'Needs attention'), h('option', { value: 'all' }, 'All labels'),
    LABELS.map((l) => h('option', { value: l }, l[0] + l.slice(1).toLowerCase())));
  const quarantinedBox = h('input', { type: 'checkbox', id: 'only-quarantined',
    onchange: (e) => { filters.quarantined = e.target.checked; draw(); } });
  const sortSelect = h('select', { 'aria-label': 'Sort by', onchange: (e) => { filters.sort = e.target.value; draw(); } },
    h('option', { value: 'score' }, 'Score'), h('option', { value: 'runs' }, 'Runs'),
    h('option', { value: 'lastFlaky' }, 'Last flaky'), h('option', { value: 'title' }, 'Title'));

  replace(main,
    h('div', { class: 'view-head' }, h('h1', {}, 'Flaky tests'), h('p', { class: 'muted' }, ctx.project()?.name)),
    summary,
    h('div', { class: 'toolbar', role: 'search' }, search, labelSelect,
      h('label', { class: 'check', for: 'only-quarantined' }, quarantinedBox, 'Quarantined only'),
      h('label', { class: 'inline' }, 'Sort ', sortSelect)),
    body);

  async function load() {
    try {
      data = await api(`/api/flakiness?projectId=${ctx.projectId}&limit=${PAGE}`);
      draw();
    } catch (error) {
      if (!data) replace(body, failed(error, load));
      else toast(error.message);
    }
  }

  function draw() {
    if (!data) return;
    const s = data.summary;
    replace(summary,
      card('Flaky tests', s.totalFlakyTests), card('Quarantined', s.quarantinedTests), card('Average flaky score', score(s.averageFlakinessScore)),
      card('Tests', data.total));
    const rows = data.data.filter((t) =>
      (filters.label === 'all' || (filters.label === 'attention' ? t.label !== 'STABLE' || t.isQuarantined : t.label === filters.label))
      && (!filters.quarantined || t.isQuarantined)
      && (!filters.text || t.testTitle.toLowerCase().includes(filters.text) || (t.filePath ?? '').toLowerCase().includes(filters.text)))
      .sort(SORTS[filters.sort]);
    if (data.data.length === 0) {
      replace(body, empty('No tests yet', 'Tests appear here as soon as their first results reach /collect.'));
      return;
    }
    if (rows.length === 0) {
      replace(body, empty('Nothing matches', filters.label === 'attention' ? 'Every test is stable. Choose "All labels" to see them.' : 'Try another filter.'));
      return;
    }
    replace(body, h('table', { class: 'grid flaky' },
      h('caption', { class: 'sr-only' }, 'Tests by flakiness score'),
      h('thead', {}, h('tr', {}, ['Test', 'Score', 'Label', 'Reason', 'Runs', 'Last flaky', 'Quarantine'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map(row))),
      data.total > data.data.length && h('p', { class: 'muted' }, `Showing the ${data.data.length} highest scores of ${data.total} tests.`));
  }

  function row(t) {
    const toggle = h('button', {
      type: 'button', class: t.isQuarantined ? 'toggle on' : 'toggle', role: 'switch', 'aria-checked': String(t.isQuarantined),
      'aria-label': `Quarantine ${t.testTitle}`, disabled: !ctx.me.canUpload || pending.has(t.testId),
      title: ctx.me.canUpload ? (t.isQuarantined ? 'Release from quarantine' : 'Quarantine') : `A ${ctx.me.role} key cannot change quarantine`,
      onclick: () => setQuarantine(t, !t.isQuarantined),
    }, t.isQuarantined ? 'Quarantined' : 'Off');
    return h('tr', { dataset: { testId: t.testId } },
      h('th', { scope: 'row' }, h('a', { href: `#/tests/${encodeURIComponent(t.testId)}` }, t.testTitle || t.testId),
        t.filePath && h('div', { class: 'file' }, t.filePath)),
      h('td', { class: 'num' }, meter(t.flakinessScore)),
      h('td', {}, label(t.label)),
      h('td', { class: 'reason' }, reasonText(t.labelReason)),
      h('td', { class: 'num' }, `${t.totalRuns}`, t.flakyRuns ? h('span', { class: 'muted' }, ` (${t.flakyRuns} flaky)`) : ''),
      h('td', {}, when(t.lastFlakyAt)),
      h('td', {}, toggle));
  }

  async function setQuarantine(t, isQuarantined) {
    pending.add(t.testId);
    draw();
    try {
      const result = await api('/api/flakiness', { method: 'POST', body: { testId: t.testId, projectId: ctx.projectId, isQuarantined } });
      t.isQuarantined = result.isQuarantined;
      toast(`${t.testTitle}: ${result.isQuarantined ? 'quarantined' : 'released from quarantine'}`);
    } catch (error) {
      toast(error.message);
    } finally {
      pending.delete(t.testId);
      draw();
    }
  }

  const refresh = debounce(load, 200);
  const offs = ['test.status_changed', 'test.quarantined', 'test.unquarantined', 'run.completed', 'run.failed', 'resync'].map((type) => live.on(type, refresh));
  load();
  return () => offs.forEach((off) => off());
}

const card = (title, value) => h('div', { class: 'card stat' }, h('div', { class: 'stat-value' }, String(value)), h('div', { class: 'stat-title' }, title));

function meter(value) {
  const fill = h('span', { class: 'meter-fill' });
  fill.style.width = `${Math.round(Math.min(1, value) * 100)}%`;
  return h('span', { class: 'meter', title: `score ${score(value)}` },
    h('span', { class: 'meter-bar', dataset: { level: value >= 0.3 ? 'high' : value >= 0.1 ? 'mid' : 'low' } }, fill), score(value));
}

// "PassedOnRetry" -> "passed on retry"
export const reasonText = (reason) => !reason || reason === 'None' ? '—' : reason.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
