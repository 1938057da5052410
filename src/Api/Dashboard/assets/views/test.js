// One test: its label and score, the history strip (branch and commit per run), failure messages and the score
// after each run. Read again when the project's stream reports a run or a change to this test.
import { api } from '../api.js';
import { h, svg, replace, loading, failed, when, duration, score, label, shortSha, status, debounce } from '../ui.js';
import { reasonText } from './flaky.js';
import * as live from '../live.js';

export function render(main, ctx, [testId]) {
  const box = h('div', {}, loading('the test'));
  replace(main, h('p', {}, h('a', { href: '#/flaky' }, '← Flaky tests')), box);
  let shown = false;

  async function load() {
    try {
      const [test, history] = await Promise.all([api(`/api/tests/${encodeURIComponent(testId)}`), api(`/api/tests/${encodeURIComponent(testId)}/history`)]);
      shown = true;
      draw(test, history.data);
    } catch (error) {
      if (!shown) replace(box, failed(error, load));
    }
  }

  function draw(t, items) {
    const oldestFirst = [...items].reverse();
    const failures = items.filter((e) => e.message);
    replace(box,
      h('div', { class: 'view-head' }, h('h1', {}, t.title), label(t.label)),
      h('p', { class: 'muted' }, [t.filePath, t.fullTitle && t.fullTitle !== t.title ? t.fullTitle : null].filter(Boolean).join(' · ')),
      h('div', { class: 'cards' },
        stat('Score', score(t.flakinessScore)), stat('Reason', reasonText(t.labelReason)), stat('Runs', t.totalRuns),
        stat('Failed', t.failedRuns), stat('Passed on retry', t.flakyRuns),
        stat('Quarantine', t.isQuarantined ? (t.quarantine?.automatic ? 'automatic' : 'by a person') : 'no')),
      h('section', { class: 'card', 'aria-labelledby': 'history-title' },
        h('h2', { id: 'history-title' }, `Last ${items.length} runs`),
        h('ol', { class: 'strip', 'aria-label': 'History, oldest first' }, oldestFirst.map((e) => h('li', {
          class: `cell status-${e.status}`, tabindex: '0',
          title: `${e.status} · ${e.branch ?? 'no branch'} · ${shortSha(e.commitSha)} · ${new Date(e.createdAt).toLocaleString()}`,
          'aria-label': `${e.status} on ${e.branch ?? 'no branch'} at ${shortSha(e.commitSha)}`,
        }))),
        h('div', { class: 'table-wrap' }, h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, ['Status', 'Branch', 'Commit', 'Duration', 'Score after', 'When'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, items.map((e) => h('tr', {},
            h('td', {}, status(e.status)), h('td', {}, e.branch ?? '—'), h('td', { class: 'mono' }, shortSha(e.commitSha)),
            h('td', { class: 'num' }, duration(e.duration)), h('td', { class: 'num' }, e.flakinessScore == null ? '—' : score(e.flakinessScore)),
            h('td', {}, when(e.createdAt)))))))),
      h('div', { class: 'split' },
        h('section', { class: 'card', 'aria-labelledby': 'score-title' }, h('h2', { id: 'score-title' }, 'Score over time'), scoreChart(oldestFirst)),
        h('section', { class: 'card', 'aria-labelledby': 'failures-title' }, h('h2', { id: 'failures-title' }, 'Failure messages'),
          failures.length === 0 ? h('p', { class: 'muted' }, 'No failure in the recent history.')
            : h('ul', { class: 'failures' }, failures.map((e) => h('li', {},
              h('div', { class: 'muted' }, status(e.status), ` ${e.branch ?? ''} ${shortSha(e.commitSha)} · `, when(e.createdAt)),
              h('pre', {}, e.message)))))));
  }

  const refresh = debounce(load, 200);
  const mine = (e) => { if (!e.testId || e.testId === testId) refresh(); };
  const offs = ['test.status_changed', 'test.quarantined', 'test.unquarantined', 'run.completed', 'run.failed', 'resync'].map((type) => live.on(type, mine));
  load();
  return () => offs.forEach((off) => off());
}

const stat = (title, value) => h('div', { class: 'card stat' }, h('div', { class: 'stat-value' }, String(value)), h('div', { class: 'stat-title' }, title));

function scoreChart(entries) {
  const points = entries.filter((e) => e.flakinessScore != null);
  if (points.length === 0) return h('p', { class: 'muted' }, 'No scores recorded yet.');
  const width = 360, height = 140, pad = 34;
  const max = Math.max(0.1, ...points.map((p) => p.flakinessScore));
  const x = (i) => pad + (points.length === 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v) => height - pad - (v / max) * (height - 2 * pad);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.flakinessScore).toFixed(1)}`).join(' ');
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'score-chart', role: 'img',
    'aria-label': `Score from ${score(points[0].flakinessScore)} to ${score(points[points.length - 1].flakinessScore)} over ${points.length} runs` },
    svg('line', { x1: pad, x2: width - pad, y1: height - pad, y2: height - pad, class: 'axis' }),
    svg('text', { x: pad - 4, y: pad, class: 'tick', 'text-anchor': 'end' }, max.toFixed(2)),
    svg('text', { x: pad - 4, y: height - pad, class: 'tick', 'text-anchor': 'end' }, '0'),
    svg('path', { d: path, class: 'line' }),
    points.map((p, i) => svg('circle', { cx: x(i).toFixed(1), cy: y(p.flakinessScore).toFixed(1), r: 3, class: `dot status-${p.status}` },
      svg('title', {}, `${score(p.flakinessScore)} after a ${p.status} run`))));
}
