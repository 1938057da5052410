// Runs and trends: recent runs, a daily passed/failed/skipped chart (inline SVG) and the most failing tests.
// Read again when the project's stream reports a run.
import { api } from '../api.js';
import { h, svg, replace, loading, empty, failed, when, duration, percent, shortSha, status, debounce } from '../ui.js';
import * as live from '../live.js';

const DAYS = 30;

export function render(main, ctx) {
  const runsBox = h('section', { class: 'card', 'aria-labelledby': 'runs-title' }, h('h2', { id: 'runs-title' }, 'Recent runs'), loading('runs'));
  const chartBox = h('section', { class: 'card', 'aria-labelledby': 'trend-title' }, h('h2', { id: 'trend-title' }, `Last ${DAYS} days`), loading('trends'));
  const topBox = h('section', { class: 'card', 'aria-labelledby': 'top-title' }, h('h2', { id: 'top-title' }, 'Most failing tests'), loading('failing tests'));
  replace(main,
    h('div', { class: 'view-head' }, h('h1', {}, 'Runs & trends'), h('p', { class: 'muted' }, ctx.project()?.name)),
    h('div', { class: 'split' }, chartBox, topBox), runsBox);

  async function loadRuns() {
    try {
      const page = await api(`/api/runs?projectId=${ctx.projectId}&limit=25`);
      replace(runsBox, h('h2', { id: 'runs-title' }, 'Recent runs'), page.data.length === 0
        ? empty('No runs yet', 'Send a run to /collect and it appears here at once.')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'grid runs' },
          h('thead', {}, h('tr', {}, ['Status', 'Branch', 'Commit', 'Tests', 'Failed', 'Pass rate', 'Duration', 'When'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, page.data.map((r) => h('tr', { dataset: { runId: r.id } },
            h('td', {}, status(r.status)), h('td', {}, r.branch ?? '—'), h('td', { class: 'mono' }, shortSha(r.commitSha)),
            h('td', { class: 'num' }, r.totalTests), h('td', { class: 'num' }, r.failedTests), h('td', { class: 'num' }, percent(r.passRate)),
            h('td', { class: 'num' }, duration(r.duration)), h('td', {}, when(r.createdAt))))))),
        page.total > page.data.length && h('p', { class: 'muted' }, `${page.data.length} of ${page.total} runs`));
    } catch (error) {
      replace(runsBox, h('h2', { id: 'runs-title' }, 'Recent runs'), failed(error, loadRuns));
    }
  }

  async function loadTrends() {
    try {
      const trends = await api(`/api/projects/${ctx.projectId}/trends?days=${DAYS}&top=10`);
      const any = trends.days.some((d) => d.runs > 0);
      replace(chartBox, h('h2', { id: 'trend-title' }, `Last ${DAYS} days`), any ? chart(trends.days) : empty('No runs in the last 30 days'));
      replace(topBox, h('h2', { id: 'top-title' }, 'Most failing tests'), trends.topFailing.length === 0
        ? empty('No failures', 'No test has failed yet.')
        : h('ol', { class: 'top-failing' }, trends.topFailing.map((t) => h('li', {},
          h('a', { href: `#/tests/${encodeURIComponent(t.testId)}` }, t.testTitle || t.testId),
          h('span', { class: 'muted' }, ` ${t.failures} of ${t.totalRuns} runs · last `, when(t.lastFailedAt)),
          t.lastMessage && h('div', { class: 'message' }, t.lastMessage)))));
    } catch (error) {
      replace(chartBox, h('h2', { id: 'trend-title' }, `Last ${DAYS} days`), failed(error, loadTrends));
      replace(topBox, h('h2', { id: 'top-title' }, 'Most failing tests'));
    }
  }

  const refresh = debounce(() => { loadRuns(); loadTrends(); }, 200);
  const offs = ['run.completed', 'run.failed', 'resync'].map((type) => live.on(type, refresh));
  loadRuns();
  loadTrends();
  return () => offs.forEach((off) => off());
}

const SERIES = [['passed', 'Passed'], ['failed', 'Failed'], ['skipped', 'Skipped']];

/** Stacked bars per day: passed (passes on retry included), failed, skipped. */
function chart(days) {
  const width = 720, height = 220, left = 40, bottom = 24, top = 8;
  const values = days.map((d) => ({ date: d.date, runs: d.runs, passed: d.passed + d.flaky, failed: d.failed, skipped: d.skipped }));
  const max = Math.max(1, ...values.map((v) => v.passed + v.failed + v.skipped));
  const slot = (width - left) / values.length;
  const y = (n) => ((height - bottom - top) * n) / max;
  const bars = values.map((v, i) => {
    let base = height - bottom;
    const x = left + i * slot + slot * 0.15;
    const parts = SERIES.map(([key]) => {
      const hgt = y(v[key]);
      base -= hgt;
      return hgt > 0 ? svg('rect', { x: x.toFixed(1), y: base.toFixed(1), width: (slot * 0.7).toFixed(1), height: hgt.toFixed(1), class: `bar-${key}` }) : null;
    });
    return svg('g', { class: 'day', tabindex: '0', 'aria-label': `${v.date}: ${v.runs} runs, ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped` },
      svg('title', {}, `${v.date}\n${v.runs} runs\n${v.passed} passed · ${v.failed} failed · ${v.skipped} skipped`), parts);
  });
  const ticks = values.map((v, i) => (i % 7 === values.length % 7 || i === values.length - 1)
    ? svg('text', { x: (left + i * slot + slot / 2).toFixed(1), y: height - 6, class: 'tick', 'text-anchor': i === values.length - 1 ? 'end' : 'middle' },
      v.date.slice(5)) : null);
  const totals = values.reduce((a, v) => ({ passed: a.passed + v.passed, failed: a.failed + v.failed, skipped: a.skipped + v.skipped }), { passed: 0, failed: 0, skipped: 0 });
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Daily results: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped` },
      svg('line', { x1: left, x2: width, y1: height - bottom, y2: height - bottom, class: 'axis' }),
      svg('text', { x: left - 6, y: top + 10, class: 'tick', 'text-anchor': 'end' }, String(max)),
      svg('text', { x: left - 6, y: height - bottom, class: 'tick', 'text-anchor': 'end' }, '0'),
      bars, ticks),
    h('figcaption', { class: 'legend' }, SERIES.map(([key, name]) => h('span', { class: `key key-${key}` }, `${name} ${totals[key]}`))));
}
