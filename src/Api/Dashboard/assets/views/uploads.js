// Upload sessions: every session the key can see, newest first, each with its phase and progress. Sessions appear
// and advance from the upload stream (upload.progress carries the whole session object).
import { api, ApiError } from '../api.js';
import { h, replace, loading, empty, failed, when, bytes } from '../ui.js';
import * as live from '../live.js';

const PHASES = ['uploading', 'assembling', 'generating', 'done'];

export function render(main, ctx) {
  const sessions = new Map();
  let loaded = false;
  const list = h('div', {}, loading('uploads'));
  replace(main, h('div', { class: 'view-head' }, h('h1', {}, 'Uploads'),
    h('p', { class: 'muted' }, 'Result archives sent with the upload API, as they arrive and are processed.')), list);

  async function load() {
    try {
      const answer = await api('/api/uploads');
      const items = Array.isArray(answer) ? answer : answer?.data ?? [];
      for (const s of items) upsert(s, false);
    } catch (error) {
      // A Seismo without the upload API answers 404 for the list; the stream still brings new sessions.
      if (!(error instanceof ApiError && error.status === 404)) { replace(list, failed(error, load)); return; }
    }
    loaded = true;
    draw();
  }

  function upsert(s, redraw = true) {
    const known = sessions.get(s.id);
    if (known && known.updatedAt && s.updatedAt && known.updatedAt > s.updatedAt) return;
    sessions.set(s.id, s);
    if (redraw && loaded) draw();
  }

  function draw() {
    const items = [...sessions.values()].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    if (items.length === 0) {
      replace(list, empty('No uploads yet', 'Uploads appear here the moment they start: seismo upload, or POST …/upload with a zip.'));
      return;
    }
    replace(list, h('ul', { class: 'uploads' }, items.map(card)));
  }

  function card(s) {
    const project = ctx.projects.find((p) => p.id === s.projectId || p.slug === s.projectId);
    const fraction = s.phase === 'done' ? 1 : s.totalSize > 0 ? Math.min(1, s.bytesReceived / s.totalSize) : 0;
    const fill = h('span', { class: 'progress-fill' });
    fill.style.width = `${Math.round(fraction * 100)}%`;
    const chunks = s.totalChunks > 0 ? `${(s.receivedChunks ?? []).length} of ${s.totalChunks} chunks` : null;
    return h('li', { class: `card upload phase-${s.phase}`, dataset: { uploadId: s.id, phase: s.phase } },
      h('div', { class: 'upload-head' },
        h('strong', {}, s.fileName || s.id), h('span', { class: `phase phase-${s.phase}` }, s.phase),
        h('span', { class: 'muted' }, [project?.name ?? s.projectId, s.buildId && `build ${s.buildId}`, s.strategy].filter(Boolean).join(' · '))),
      h('div', { class: 'progress', role: 'progressbar', 'aria-label': `Upload of ${s.fileName || s.id}`,
        'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(fraction * 100)) }, fill),
      h('ol', { class: 'steps', 'aria-label': 'Phases' }, PHASES.map((p) => h('li', { class: stepClass(s.phase, p) }, p))),
      h('dl', { class: 'facts' },
        fact('Bytes', `${bytes(s.bytesReceived)} of ${bytes(s.totalSize)}`), chunks && fact('Chunks', chunks),
        s.missingChunks?.length ? fact('Missing', s.missingChunks.join(', ')) : null,
        fact('Files', s.filesExtracted ?? 0), fact('Tests parsed', s.testsParsed ?? 0), fact('Updated', when(s.updatedAt))),
      s.error && h('p', { class: 'form-error' }, s.error),
      s.report?.status === 'ready' && s.report.url && h('a', { href: s.report.url, target: '_blank', rel: 'noopener' }, 'Open report'),
      s.report?.status === 'failed' && s.report.error && h('p', { class: 'form-error' }, `Report: ${s.report.error}`));
  }

  const offs = [live.on('upload.progress', (s) => upsert(s)), live.on('resync', load)];
  load();
  return () => offs.forEach((off) => off());
}

function stepClass(phase, step) {
  if (phase === 'failed') return 'step';
  const at = PHASES.indexOf(phase), index = PHASES.indexOf(step);
  return index < at || phase === 'done' ? 'step done' : index === at ? 'step current' : 'step';
}

const fact = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
