// The auditor's workbench: one HTML shell, pages drawn here from the service's own HTTP API.
// Every page is a URL under /ui (deep links), every control is a real link, button or input (keyboard).
import { timelineChart, waterfallChart } from './charts.js';

const T = {
  zh: {
    entities: '公司', nextPage: '下一页', checks: '核查', apiKey: 'API 密钥', apiKeyHint: 'X-Api-Key（仅在本次浏览器会话中保存）', save: '保存',
    entity: '公司', name: '名称', standard: '准则', currency: '币种', figures: '数字', restatements: '重述', failing: '不一致的核查',
    indeterminate: '无法判定', statements: '报表', policyChanges: '会计政策变更', nonGaap: '非公认会计准则对账',
    restatedFigures: '被重述的数字', statement: '报表', asOf: '截至日期', apply: '查看', clear: '当前',
    line: '项目', current: '调整后', original: '调整前', document: '文件', restated: '已重述', reason: '原因',
    why: '为何重述', close: '关闭', before: '调整前', after: '调整后', adjustment: '调整数', delta: '变动',
    timeline: '数字历程', kind: '类别', value: '数值', previous: '原数值', published: '发布日期', recorded: '记录时间',
    recordedBy: '记录人', citedBy: '引用文件', unknownDate: '日期未知（按期末计）', disclosed: '披露', restatedKind: '重述',
    reaffirmed: '重申', 're-presented': '重新列示（舍入不同）', amendment: '修订申报', shareSplit: '股份拆细', verdict: '结论', startAgainstLedger: '起点与账本核对', recomputed: '重新计算合计', reported: '报告合计',
    difference: '差异', identities: '恒等式核查', pass: '通过', fail: '不通过', period: '期间', statementCol: '表述',
    computed: '计算值', expected: '应为', effects: '本期影响', subject: '对象', detail: '说明', gap: '差额',
    documents: '文件', all: '全部', noFindings: '没有不一致或无法判定的核查。', knownOn: '截至该日已知', asOfNow: '当前已知',
    notKnown: '该日期尚无此数字', openTimeline: '查看数字历程', loading: '加载中…', transcriptionCorrections: '账本转录更正',
    policyChange: '会计政策变更', errorCorrection: '差错更正', reclassification: '重分类', other: '其他', unit: '单位', location: '位置',
    start: '起点', total: '合计', printed: '原文', allHold: '全部恒等式成立', notAllHold: '有恒等式不成立', translated: '折算',
    printedTables: '报告中的表格', lines: '行', values: '数值', previouslyReportedIn: '调整前，原载于', nowStands: '现为', more: '更多文件见 API',
  },
  en: {
    entities: 'Entities', nextPage: 'Next page', checks: 'Checks', apiKey: 'API key', apiKeyHint: 'X-Api-Key (kept for this browser session only)', save: 'Save',
    entity: 'Entity', name: 'Name', standard: 'Standard', currency: 'Currency', figures: 'Figures', restatements: 'Restatements', failing: 'Failing checks',
    indeterminate: 'Indeterminate', statements: 'Statements', policyChanges: 'Accounting policy changes', nonGaap: 'Non-GAAP reconciliations',
    restatedFigures: 'Restated figures', statement: 'Statement', asOf: 'As of', apply: 'Show', clear: 'Current',
    line: 'Line', current: 'Current (调整后)', original: 'As reported (调整前)', document: 'Document', restated: 'restated', reason: 'Reason',
    why: 'Why restated', close: 'Close', before: 'Before', after: 'After', adjustment: 'Adjustment', delta: 'Change',
    timeline: 'Figure timeline', kind: 'Kind', value: 'Value', previous: 'Previous', published: 'Published', recorded: 'Recorded',
    recordedBy: 'Recorded by', citedBy: 'Cited by', unknownDate: 'date unknown (period end assumed)', disclosed: 'disclosed', restatedKind: 'restated',
    reaffirmed: 'reaffirmed', 're-presented': 're-presented (rounded differently)', amendment: 'amendment', shareSplit: 'share split', verdict: 'Verdict', startAgainstLedger: 'Start checked against the ledger', recomputed: 'Recomputed total', reported: 'Reported total',
    difference: 'Difference', identities: 'Identities', pass: 'pass', fail: 'fail', period: 'Period', statementCol: 'Statement',
    computed: 'Computed', expected: 'Expected', effects: 'Effects in the adoption year', subject: 'Subject', detail: 'Detail', gap: 'Gap',
    documents: 'Documents', all: 'All', noFindings: 'No failing or indeterminate checks.', knownOn: 'as known on', asOfNow: 'as known now',
    notKnown: 'not yet known on that date', openTimeline: 'Open the figure timeline', loading: 'Loading…', transcriptionCorrections: 'Transcription corrections by the ledger',
    policyChange: 'accounting policy change', errorCorrection: 'error correction', reclassification: 'reclassification', other: 'other', unit: 'Unit', location: 'Where',
    start: 'start', total: 'total', printed: 'Printed', allHold: 'all identities hold', notAllHold: 'some identities fail', translated: 'translated',
    printedTables: 'Tables as printed', lines: 'lines', values: 'values', previouslyReportedIn: 'as previously reported in', nowStands: 'now', more: 'more documents in the API',
  },
};

const main = () => document.getElementById('main');
const panel = () => document.getElementById('panel');
const params = () => new URLSearchParams(location.search);

let lang = params().get('lang') ?? localStorage.getItem('ledger.lang') ?? 'zh';
if (!T[lang]) lang = 'zh';
const t = (k) => T[lang][k] ?? k;

// The key lives for this browser session only (sessionStorage): it is gone when the tab closes, and a key an
// older version left in localStorage is removed.
const KEY_ITEM = 'ledger.apiKey';
localStorage.removeItem(KEY_ITEM);

/** Every call to the service goes through here, so that a stored API key travels with each one. */
export async function api(path) {
  const headers = { accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_ITEM);
  if (key) headers['X-Api-Key'] = key;
  const response = await fetch(path, { headers });
  const body = await response.text();
  if (!response.ok) {
    let message = body;
    try { const p = JSON.parse(body); message = p.detail ?? p.title ?? body; } catch { /* not a problem document: show the text */ }
    throw new ApiError(response.status, `${response.status}: ${message}`);
  }
  return JSON.parse(body);
}
class ApiError extends Error { constructor(status, message) { super(message); this.status = status; } }

// ---- small helpers ---------------------------------------------------------------------------

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const enc = encodeURIComponent;

/** A page link that keeps the chosen language. */
function href(path, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  q.set('lang', lang);
  return `${path}?${q}`;
}
const link = (path, text, query, attrs = '') => `<a href="${esc(href(path, query))}" data-nav ${attrs}>${esc(text)}</a>`;

/** Formats a decimal string exactly (no floating point): grouping, and as many places as its decimals say. */
export function formatValue(v) {
  if (!v) return '';
  if (v.nil) return v.nil === 'nil' ? '—' : 'n/a';
  if (v.value === undefined || v.value === null) return '';
  const places = v.decimals && v.decimals !== 'INF' ? Math.max(0, parseInt(v.decimals, 10)) : null;
  // A printed "more than" (超過) is a floor: shown as such, never as the figure itself.
  const floor = v.lowerBound ? '> ' : '';
  // Ratios are printed as percentages (37.71%, 16.7%): shown so, by moving the decimal point, never by float arithmetic.
  if (v.unit === 'pure') return floor + formatNumber(percentOf(String(v.value)), places === null ? null : Math.max(0, places - 2)) + '%';
  return floor + formatNumber(v.value, places);
}
/** "0.0022" → "0.22", "-1.053" → "-105.3": the decimal string times 100, exactly. */
export function percentOf(text) {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const digits = fraction.padEnd(2, '0');
  const shifted = (whole + digits.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(2);
  return (negative ? '-' : '') + shifted + (rest ? '.' + rest : '');
}
export function formatNumber(text, places) {
  let s = String(text);
  const negative = s.startsWith('-');
  if (negative) s = s.slice(1);
  let [int, frac = ''] = s.split('.');
  if (places !== null && places !== undefined) frac = places === 0 ? '' : (frac + '0'.repeat(places)).slice(0, Math.max(places, frac.length));
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + int + (frac ? '.' + frac : '');
}
const num = (v) => (v && v.value !== undefined && v.value !== null ? Number(v.value) : null);

/** "688083.SH|Concept|FY2022|consolidated|a=b" → the link to that figure's timeline. */
function figurePath(id) {
  const [entity, concept, period, scope, dims] = id.split('|');
  return { path: `/ui/entities/${enc(entity)}/figures/${enc(concept)}/${enc(period)}`, query: { scope: scope === 'consolidated' ? '' : scope, dims } };
}
const figureLink = (id, text) => { const f = figurePath(id); return link(f.path, text ?? id, f.query); };

/** The last day of a period id: FY2022, 2023H1, 2023Q4 (calendar years), 2023-02-01..2024-01-31, or an instant 2022-12-31. */
export function periodEnd(p) {
  let m;
  if ((m = /^\d{4}-\d{2}-\d{2}\.\.(\d{4}-\d{2}-\d{2})$/.exec(p))) return m[1];
  if ((m = /^FY(\d{4})$/.exec(p))) return `${m[1]}-12-31`;
  if ((m = /^(\d{4})H([12])$/.exec(p))) return m[2] === '1' ? `${m[1]}-06-30` : `${m[1]}-12-31`;
  if ((m = /^(\d{4})Q([1-4])$/.exec(p))) return `${m[1]}-${['03-31', '06-30', '09-30', '12-31'][m[2] - 1]}`;
  return p;
}

let concepts = null;
async function conceptLabels() { return (concepts ??= await api('/ui/data/concepts')); }
function conceptLabel(id, printed) {
  const c = concepts?.[id];
  if (lang === 'zh') return printed || c?.zh || id;
  // A taxonomy element the catalog does not define (us-gaap:…): the label its filing gives.
  return c?.en || printed || id;
}

let entities = null;
async function entityList() { return (entities ??= await api('/api/entities')); }
const entityName = (e) => (lang === 'zh' ? e.names['zh-Hans'] ?? e.names['zh-Hant'] ?? e.names.en : e.names.en ?? e.names['zh-Hans']) ?? e.id;

function reasonText(r, entity) {
  if (r.kind === 'policy-change') {
    const pc = entities?.find((e) => e.id === entity)?.policyChanges.find((c) => c.id === r.policyChange);
    const title = pc ? ` ${pc.title}` : '';
    return `${t('policyChange')} ${r.policyChange}${title}`;
  }
  const text = { 'error-correction': t('errorCorrection'), reclassification: t('reclassification'), amendment: t('amendment'), 'share-split': t('shareSplit') }[r.kind] ?? r.kind;
  return r.detail ? `${text} (${r.detail})` : text;
}
function reasonHtml(reasons, entity) {
  return reasons.map((r) => r.kind === 'policy-change'
    ? link(`/ui/entities/${enc(entity)}/policy-changes/${enc(r.policyChange)}`, reasonText(r, entity))
    : esc(reasonText(r, entity))).join('; ');
}
const docText = (d) => `${d.id}${d.publishedOn ? ` (${d.publishedOn})` : d.knownNoLaterThan ? ` (≤ ${d.knownNoLaterThan})` : ''}`;
const verdict = (v, text) => `<span class="verdict ${esc(v)}">${esc(text ?? v)}</span>`;
const crumbs = (...parts) => `<div class="crumbs">${parts.join(' › ')}</div>`;

// ---- pages -----------------------------------------------------------------------------------

// A page of entities at a time, each counted on the server: the list never asks for the whole ledger.
async function entitiesPage() {
  const cursor = params().get('cursor');
  const [data] = await Promise.all([api(`/ui/data/entities${cursor ? `?cursor=${enc(cursor)}` : ''}`), entityList()]);
  const rows = data.entities.map((e) => `<tr data-entity="${esc(e.id)}"><td>${link(`/ui/entities/${enc(e.id)}`, e.id)}</td><td>${esc(entityName(e))}</td><td>${esc(e.standard)}</td><td>${esc(e.currency)}</td>
      <td class="num">${e.figures}</td><td class="num">${e.restated}</td>
      <td class="num">${link('/ui/checks', String(e.inconsistent), { entity: e.id })}</td>
      <td class="num">${e.indeterminate}</td></tr>`).join('');
  const next = data.nextCursor ? `<p>${link('/ui/entities', t('nextPage'), { cursor: data.nextCursor })}</p>` : '';
  return `<h1>${t('entities')}</h1><table id="entities"><thead><tr><th>${t('entity')}</th><th>${t('name')}</th><th>${t('standard')}</th><th>${t('currency')}</th>
    <th class="num">${t('figures')}</th><th class="num">${t('restatements')}</th><th class="num">${t('failing')}</th><th class="num">${t('indeterminate')}</th></tr></thead><tbody>${rows}</tbody></table>${next}`;
}

async function entityPage(entity) {
  const list = await entityList();
  const e = list.find((x) => x.id === entity);
  if (!e) throw new ApiError(404, `404: ${entity}`);
  // The periods and restated figures come counted from the server, whatever the number of the entity's figures.
  const [overview, nonGaap, documents] = await Promise.all([api(`/ui/data/entities/${enc(entity)}`), api(`/ui/data/entities/${enc(entity)}/non-gaap`),
    api(`/api/entities/${enc(entity)}/documents?limit=100`)]);
  const periods = overview.periods;
  const restated = overview.restated;
  return `${crumbs(link('/ui/entities', t('entities')))}<h1>${esc(entity)} ${esc(entityName(e))}</h1>
    <h2>${t('statements')}</h2><ul class="plain">${periods.map((p) => `<li>${link(`/ui/entities/${enc(entity)}/statements/${enc(p)}`, overview.fiscalNames?.[p] ? `${overview.fiscalNames[p]} (${p})` : p)}</li>`).join('')}</ul>
    <h2>${t('documents')}</h2><ul class="plain" id="documents">${documents.map((d) => `<li>${link(documentPath(entity, d.id), `${d.title} (${d.id}, ${d.publishedOn})`)}</li>`).join('')}</ul>
    ${documents.length === 100 ? `<p class="muted">${t('more')}</p>` : ''}
    ${e.policyChanges.length ? `<h2>${t('policyChanges')}</h2><ul class="plain">${e.policyChanges.map((c) => `<li>${link(`/ui/entities/${enc(entity)}/policy-changes/${enc(c.id)}`, `${c.id} ${c.title}`)}</li>`).join('')}</ul>` : ''}
    ${nonGaap.length ? `<h2>${t('nonGaap')}</h2><ul class="plain">${nonGaap.map((n) => `<li>${link(`/ui/entities/${enc(entity)}/non-gaap/${enc(n.measure)}/${enc(n.period)}`, `${conceptLabel(n.measure)} ${n.period}`)}</li>`).join('')}</ul>` : ''}
    ${restated.length ? `<h2>${t('restatedFigures')}</h2><ul class="plain">${restated.map((f) => `<li>${figureLink(f.figure, `${conceptLabel(f.concept)} ${f.period}${f.dimensions ? ' ' + f.dimensions : ''}`)}</li>`).join('')}</ul>` : ''}
    <p>${link('/ui/checks', t('checks'), { entity })}</p>`;
}

// A document's own id under its entity: 688083.SH/AR2023 → AR2023.
const documentPath = (entity, id) => `/ui/entities/${enc(entity)}/documents/${enc(id.startsWith(`${entity}/`) ? id.slice(entity.length + 1) : id)}`;

async function documentPage(entity, document) {
  const base = `/api/entities/${enc(entity)}/documents/${enc(document)}`;
  const [d, tables] = await Promise.all([api(base), api(`${base}/tables`)]);
  // Tables under the section that prints them, in printed order.
  const sections = [];
  for (const x of tables) {
    if (!sections.length || sections.at(-1).name !== (x.section ?? '')) sections.push({ name: x.section ?? '', tables: [] });
    sections.at(-1).tables.push(x);
  }
  const items = sections.map((g) => `<section>${g.name ? `<h3>${esc(g.name)}</h3>` : ''}<ul class="plain">${g.tables.map((x) =>
    `<li>${link(`${documentPath(entity, d.id)}/tables/${enc(x.id)}`, x.title)} <span class="muted">${t('lines')} ${esc(x.firstLine)}–${esc(x.lastLine)} · ${esc(x.values)} ${t('values')}</span></li>`).join('')}</ul></section>`).join('');
  return `${crumbs(link('/ui/entities', t('entities')), link(`/ui/entities/${enc(entity)}`, entity))}
    <h1>${esc(d.title)}</h1><p class="muted">${esc(d.id)} · ${esc(d.kind)} · ${t('published')} ${esc(d.publishedOn)} · ${esc(d.facts)} ${t('figures')} · ${esc(d.restatements)} ${t('restatements')}</p>
    <h2>${t('printedTables')}</h2><div id="tables">${items}</div>`;
}

async function printedTablePage(entity, document, table) {
  const data = await api(`/api/entities/${enc(entity)}/documents/${enc(document)}/tables/${enc(table)}`);
  const cell = (c) => {
    const f = figurePath(c.figure);
    const text = c.printed ?? formatValue(c.value);
    const notes = [c.previouslyReportedIn ? `${t('previouslyReportedIn')} ${c.previouslyReportedIn}` : '', c.current ? `${t('nowStands')} ${formatValue(c.current)}` : ''].filter(Boolean).join('; ');
    return `<span class="${c.previouslyReportedIn ? 'cited' : ''}${c.current ? ' restated' : ''}" data-figure="${esc(c.figure)}"${notes ? ` title="${esc(notes)}"` : ''}>${link(f.path, text, f.query)}${c.current ? '<span class="marker" aria-label="restated">✱</span>' : ''}</span>`;
  };
  const rows = data.rows.map((r) => `<tr data-line="${esc(r.line ?? '')}"><td>${esc(r.label)} <span class="muted">${esc(r.line ?? '')}</span></td>${data.columns.map((col) =>
    `<td class="num">${r.cells.filter((c) => c.column === col).map(cell).join('<br>')}</td>`).join('')}</tr>`).join('');
  return `${crumbs(link('/ui/entities', t('entities')), link(`/ui/entities/${enc(entity)}`, entity), link(documentPath(entity, data.document), data.document))}
    <h1>${esc(data.title)}</h1><p class="muted">${esc(data.section ?? '')}</p>
    <div class="wide"><table class="printed" id="printed"><thead><tr><th>${t('line')}</th>${data.columns.map((c) => `<th class="num">${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

async function statementPage(entity, period) {
  const asOf = params().get('asOf') ?? '';
  const q = new URLSearchParams({ language: 'zh-Hans' });
  if (asOf) q.set('asOf', asOf);
  await entityList();
  let data;
  try { data = await api(`/api/entities/${enc(entity)}/statements/${enc(period)}?${q}`); }
  catch (e) { if (e.status === 404 && asOf) data = { lines: [], empty: e.message }; else throw e; }
  const tables = new Map();
  for (const l of data.lines) { const k = l.table ?? ''; if (!tables.has(k)) tables.set(k, []); tables.get(k).push(l); }
  const body = [...tables].map(([table, lines]) => `<h2>${esc(table)}</h2><table class="statement"><thead><tr><th>${t('line')}</th>
      <th class="num">${t('current')}</th><th class="num">${t('original')}</th><th>${t('document')}</th></tr></thead><tbody>
      ${lines.map((l) => {
        const f = figurePath(l.figure);
        const label = lang === 'zh' ? (l.row ?? l.label) : conceptLabel(l.concept, l.row ?? l.label);
        const dims = l.dimensions ? ` <span class="muted">${esc(l.dimensions)}</span>` : '';
        const period = l.period === data.period ? '' : ` <span class="muted">${esc(l.period)}</span>`;
        const tip = l.restated ? `${t('restated')}: ${l.reasons.map((r) => reasonText(r, entity)).join('; ')} — ${docText(l.currentFrom)}` : '';
        const why = l.restated ? `<button type="button" class="why" data-figure="${esc(l.figure)}" aria-label="${esc(t('why'))}: ${esc(label)}">${t('reason')}</button>` : '';
        return `<tr data-figure="${esc(l.figure)}"${l.restated ? ' class="restated-row"' : ''}>
          <td>${link(f.path, label, { ...f.query, asOf }, `title="${esc(t('openTimeline'))}"`)}${dims}${period} ${why}</td>
          <td class="num current${l.restated ? ' restated' : ''}" title="${esc(tip)}">${formatValue(l.current)}${l.restated ? '<span class="marker" aria-label="restated">✱</span>' : ''}</td>
          <td class="num original${l.restated ? ' restated' : ''}" title="${esc(tip)}">${formatValue(l.asOriginallyReported)}</td>
          <td class="muted">${esc(docText(l.currentFrom))}</td></tr>`;
      }).join('')}</tbody></table>`).join('');
  const here = `/ui/entities/${enc(entity)}/statements/${enc(period)}`;
  const html = `${crumbs(link('/ui/entities', t('entities')), link(`/ui/entities/${enc(entity)}`, entity))}
    <h1>${esc(entity)} ${t('statement')} ${esc(period)} <span class="muted" id="known">${asOf ? `${t('knownOn')} ${esc(asOf)}` : t('asOfNow')}</span></h1>
    <form class="asof" id="asof-form" data-path="${esc(here)}">
      <label for="as-of">${t('asOf')}</label><input type="date" id="as-of" name="asOf" value="${esc(asOf)}">
      <button type="submit" id="as-of-apply">${t('apply')}</button> ${link(here, t('clear'), {}, 'id="as-of-clear"')}
    </form>${data.empty ? `<p class="error">${esc(data.empty)}</p>` : body}`;
  return { html, after: () => wireStatement(data, entity) };
}

function wireStatement(data, entity) {
  document.getElementById('asof-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = document.getElementById('as-of').value;
    navigate(href(ev.target.dataset.path, { asOf: value }));
  });
  for (const b of document.querySelectorAll('button.why')) {
    b.addEventListener('click', () => {
      const l = data.lines.find((x) => x.figure === b.dataset.figure);
      const f = figurePath(l.figure);
      openPanel(b, `<h2>${t('why')}</h2><p><strong>${esc(l.row ?? l.label)}</strong> ${esc(l.period)}</p>
        <dl><dt>${t('original')}</dt><dd class="num">${formatValue(l.asOriginallyReported)} <span class="muted">${esc(docText(l.originallyReportedIn))}</span></dd>
        <dt>${t('current')}</dt><dd class="num">${formatValue(l.current)} <span class="muted">${esc(docText(l.currentFrom))}</span></dd>
        <dt>${t('reason')}</dt><dd class="reason">${reasonHtml(l.reasons, entity)}</dd>
        <dt>${t('document')}</dt><dd>${esc(docText(l.currentFrom))}</dd></dl>
        <p>${link(f.path, t('openTimeline'), f.query)}</p>`);
    });
  }
}

function openPanel(opener, html) {
  const p = panel();
  p.innerHTML = `${html}<button type="button" id="panel-close">${t('close')}</button>`;
  p.hidden = false;
  const close = () => { p.hidden = true; opener.focus(); };
  document.getElementById('panel-close').addEventListener('click', close);
  p.onkeydown = (e) => { if (e.key === 'Escape') close(); };
  p.focus();
}

async function figurePage(entity, concept, period) {
  const p = params();
  const asOf = p.get('asOf') ?? '';
  const q = new URLSearchParams();
  for (const k of ['scope', 'dims', 'opening']) if (p.get(k)) q.set(k, p.get(k));
  if (asOf) q.set('asOf', asOf);
  await Promise.all([entityList(), conceptLabels()]);
  const base = `/api/entities/${enc(entity)}/figures/${enc(concept)}/${enc(period)}`;
  const [figure, history] = await Promise.all([api(`${base}?${q}`), api(`${base}/history?${q}`)]);
  // The period as the entity's figures are keyed (Snowflake's FY2024 ends on 2024-01-31, not 2024-12-31).
  const end = periodEnd(figure.period ?? period);
  const points = history.entries.map((e) => ({
    date: e.document.publishedOn ?? end, assumed: !e.document.publishedOn, value: num(e.value), text: formatValue(e.value),
    kind: e.kind, label: e.kind === 'restated' ? e.reasons.map((r) => reasonText(r, entity)).join('; ') || t('restatedKind') : '',
    // The axis has room for the document's own part of its id (AR2023, an accession number), not the entity's prefix.
    document: e.document.id.startsWith(`${entity}/`) ? e.document.id.slice(entity.length + 1) : e.document.id,
  }));
  const rows = history.entries.map((e, i) => `<tr class="entry ${esc(e.kind)}"><td>${i + 1}</td><td>${esc(t(e.kind === 'restated' ? 'restatedKind' : e.kind))}</td>
      <td class="num value">${formatValue(e.value)}</td><td class="num">${formatValue(e.previous)}</td><td class="num">${e.delta ? formatNumber(e.delta, e.value.decimals > 0 ? parseInt(e.value.decimals, 10) : null) : ''}</td>
      <td class="reason">${reasonHtml(e.reasons, entity)}</td><td>${esc(e.document.id)}${e.citedBy ? ` <span class="muted">(${t('citedBy')} ${esc(e.citedBy)})</span>` : ''}</td>
      <td>${e.document.publishedOn ? esc(e.document.publishedOn) : `<span class="muted">${t('unknownDate')}${e.document.knownNoLaterThan ? `, ≤ ${esc(e.document.knownNoLaterThan)}` : ''}</span>`}</td>
      <td class="muted">${esc([e.location.table, e.location.row, e.location.column].filter(Boolean).join(' / '))}${e.location.line ? ` (line ${e.location.line})` : ''}</td>
      <td class="muted" title="${esc(e.recording.reason)}${e.recording.correlationId ? ` · ${esc(e.recording.correlationId)}` : ''}">${esc(e.recording.recordedAt.slice(0, 19).replace('T', ' '))} ${esc(e.recording.recordedBy)}</td></tr>`).join('');
  const corrections = history.transcriptionCorrections.length
    ? `<h2>${t('transcriptionCorrections')}</h2><ul class="plain">${history.transcriptionCorrections.map((c) => `<li>${esc(c.documentId)}: ${c.previous.map(formatValue).join(', ')} → ${c.corrected.map(formatValue).join(', ')} (${esc(c.reason)})</li>`).join('')}</ul>` : '';
  const statementPeriod = /^\d{4}-\d{2}-\d{2}$/.test(period) ? null : period;
  const html = `${crumbs(link('/ui/entities', t('entities')), link(`/ui/entities/${enc(entity)}`, entity),
      statementPeriod ? link(`/ui/entities/${enc(entity)}/statements/${enc(statementPeriod)}`, `${t('statement')} ${statementPeriod}`, { asOf }) : '')}
    <h1>${t('timeline')}: ${esc(conceptLabel(concept))} <span class="muted">${esc(entity)} ${esc(period)}${p.get('dims') ? ' ' + esc(p.get('dims')) : ''}</span></h1>
    <p>${t('current')}: <strong id="current-value">${figure.current ? formatValue(figure.current) : t('notKnown')}</strong> ${esc(figure.current?.unit ?? '')}
      ${figure.restated ? ` · ${t('original')}: <strong id="original-value">${formatValue(figure.original)}</strong> · ${reasonHtml(figure.lastReasons, entity)}` : ''}
      <span class="muted">${asOf ? `${t('knownOn')} ${esc(asOf)}` : t('asOfNow')}</span></p>
    <figure>${timelineChart(points, { unknownDate: t('unknownDate') })}<figcaption class="muted">${esc(figure.figure)}</figcaption></figure>
    <table id="history"><thead><tr><th>#</th><th>${t('kind')}</th><th class="num">${t('value')}</th><th class="num">${t('previous')}</th><th class="num">${t('delta')}</th>
      <th>${t('reason')}</th><th>${t('document')}</th><th>${t('published')}</th><th>${t('location')}</th><th>${t('recorded')}</th></tr></thead><tbody>${rows}</tbody></table>${corrections}`;
  return html;
}

async function nonGaapPage(entity, measure, period) {
  await conceptLabels();
  const data = await api(`/api/entities/${enc(entity)}/non-gaap/${enc(measure)}/${enc(period)}`);
  const sections = data.reconciliations.map((r, i) => {
    const steps = [
      { label: r.start.label, value: num(r.start.value), kind: 'start', text: r.start.printed },
      ...r.adjustments.map((a) => ({ label: a.label, value: num(a.value), kind: 'delta', text: a.printed })),
      { label: `${r.total?.label ?? measure} (${t('recomputed')})`, value: Number(r.recomputedTotal), kind: 'total', text: formatNumber(r.recomputedTotal) },
    ];
    const lines = [r.start, ...r.adjustments, r.total].filter(Boolean).map((l) => `<tr><td>${esc(l.label)}</td><td class="num">${esc(l.printed ?? '')}</td>
      <td class="num">${formatValue(l.value)}</td><td>${l.concept ? figureLink(`${entity}|${l.concept}|${period}|consolidated${r.dimensions ? '|' + r.dimensions : ''}`, l.concept) : ''}</td></tr>`).join('');
    return `<section class="reconciliation" id="reconciliation-${i}"><h2>${esc(r.total?.label ?? measure)} · ${esc(r.unit)}${r.dimensions ? ` · ${esc(r.dimensions)}` : ''}
        ${verdict(r.verdict)}</h2>
      <p class="muted">${esc(docText(r.document))} · ${esc([r.location?.section, r.location?.table, r.location?.column].filter(Boolean).join(' / '))}${r.location?.line ? ` (line ${r.location.line})` : ''}</p>
      ${waterfallChart(steps, { reported: r.reportedTotal !== undefined && r.reportedTotal !== null ? Number(r.reportedTotal) : null, reportedLabel: `${t('reported')} ${formatNumber(r.reportedTotal ?? '')}` })}
      <table><thead><tr><th>${t('line')}</th><th class="num">${t('printed')}</th><th class="num">${t('value')} (${esc(r.unit)})</th><th></th></tr></thead><tbody>${lines}</tbody></table>
      <p>${t('recomputed')}: <strong class="recomputed">${formatNumber(r.recomputedTotal)}</strong> · ${t('reported')}: <strong class="reported">${formatNumber(r.reportedTotal ?? '')}</strong>
        · ${t('difference')}: ${formatNumber(r.difference ?? '0')} · ${t('verdict')}: ${verdict(r.verdict)}</p>
      ${r.startAgainstLedger ? `<p>${t('startAgainstLedger')}: ${verdict(r.startAgainstLedger.verdict)} <span class="muted">${esc(r.startAgainstLedger.detail ?? '')} ${r.startAgainstLedger.expected ? `(${formatNumber(r.startAgainstLedger.expected)})` : ''}</span></p>` : ''}
      ${r.translation ? `<p class="muted">${t('translated')}: ${esc(JSON.stringify(r.translation))}</p>` : ''}</section>`;
  }).join('');
  return `${crumbs(link('/ui/entities', t('entities')), link(`/ui/entities/${enc(entity)}`, entity))}
    <h1>${t('nonGaap')}: ${esc(conceptLabel(measure))} <span class="muted">${esc(entity)} ${esc(period)}</span></h1>${sections}`;
}

async function policyChangePage(entity, id) {
  const data = await api(`/api/entities/${enc(entity)}/policy-changes/${enc(id)}/reconciliation`);
  const pc = data.policyChange;
  const line = (l) => `<tr><td>${figureLink(l.figure, lang === 'zh' ? l.label : conceptLabel(l.concept, l.label))}</td><td class="num">${formatValue(l.before)}</td>
      <td class="num">${formatValue(l.adjustment)}</td><td class="num">${formatValue(l.after)}</td></tr>`;
  const dates = data.dates.map((d) => `<h2>${esc(d.period)}</h2><table class="policy-date"><thead><tr><th>${t('line')}</th><th class="num">${t('before')}</th>
      <th class="num">${t('adjustment')}</th><th class="num">${t('after')}</th></tr></thead><tbody>${d.lines.map(line).join('')}</tbody></table>`).join('');
  const effects = data.currentPeriodEffects.length ? `<h2>${t('effects')}</h2><table><thead><tr><th>${t('line')}</th><th>${t('period')}</th><th class="num">${t('adjustment')}</th></tr></thead><tbody>
      ${data.currentPeriodEffects.map((e) => `<tr><td>${figureLink(e.figure, lang === 'zh' ? e.label : conceptLabel(e.concept, e.label))}</td><td>${esc(e.period)}</td><td class="num">${formatValue(e.adjustment)}</td></tr>`).join('')}</tbody></table>` : '';
  const identities = `<h2>${t('identities')} ${verdict(data.allIdentitiesHold ? 'pass' : 'fail', data.allIdentitiesHold ? t('allHold') : t('notAllHold'))}</h2>
    <table id="identities"><thead><tr><th>${t('name')}</th><th>${t('period')}</th><th>${t('statementCol')}</th><th class="num">${t('computed')}</th><th class="num">${t('expected')}</th>
      <th class="num">${t('difference')}</th><th>${t('verdict')}</th><th>${t('figures')}</th></tr></thead><tbody>
    ${data.identities.map((i) => `<tr class="${i.holds ? 'pass' : 'fail'}"><td>${esc(i.name)}</td><td>${esc(i.period)}</td><td>${esc(i.statement)}</td>
      <td class="num">${formatNumber(i.computed ?? '')}</td><td class="num">${formatNumber(i.expected ?? '')}</td><td class="num">${formatNumber(i.difference ?? '')}</td>
      <td>${verdict(i.holds ? 'pass' : 'fail', `${i.holds ? t('pass') : t('fail')} (${i.verdict})`)}</td>
      <td>${(i.figures ?? []).map((f) => figureLink(f, f.split('|').slice(1, 3).join(' '))).join('<br>')}</td></tr>`).join('')}</tbody></table>`;
  return `${crumbs(link('/ui/entities', t('entities')), link(`/ui/entities/${enc(entity)}`, entity))}
    <h1>${t('policyChange')}: ${esc(pc.id)} ${esc(pc.title)}</h1>
    <p class="muted">${esc(pc.effectiveFrom ?? '')} · ${esc(pc.transition ?? '')} · ${esc(pc.document)}${pc.location?.line ? ` (line ${pc.location.line})` : ''}</p>${dates}${effects}${identities}`;
}

async function checksPage() {
  const entity = params().get('entity') ?? '';
  const [list, data] = await Promise.all([entityList(), api(`/api/checks${entity ? `?entity=${enc(entity)}` : ''}`)]);
  const filter = `<p>${[link('/ui/checks', t('all')), ...list.map((e) => link('/ui/checks', e.id, { entity: e.id }, e.id === entity ? 'aria-current="page"' : ''))].join(' · ')}</p>`;
  const rows = data.findings.map((f) => `<tr class="finding ${esc(f.verdict)}"><td>${esc(f.entity)}</td><td>${esc(f.kind)}</td><td>${verdict(f.verdict)}</td>
      <td>${esc(f.subject)}</td><td>${esc(f.detail)}</td><td class="num">${f.gap ? formatNumber(f.gap) : ''}</td>
      <td>${f.figures.map((x) => figureLink(x, x.split('|').slice(1).join(' '))).join('<br>')}</td><td>${esc(f.documents.join(', '))}</td></tr>`).join('');
  return `<h1>${t('checks')}${entity ? ` · ${esc(entity)}` : ''}</h1>${filter}
    ${data.count ? `<table id="findings"><thead><tr><th>${t('entity')}</th><th>${t('kind')}</th><th>${t('verdict')}</th><th>${t('subject')}</th><th>${t('detail')}</th>
      <th class="num">${t('gap')}</th><th>${t('figures')}</th><th>${t('documents')}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${t('noFindings')}</p>`}`;
}

// ---- routing ---------------------------------------------------------------------------------

const routes = [
  [/^\/ui\/?$/, () => entitiesPage()],
  [/^\/ui\/entities\/?$/, () => entitiesPage()],
  [/^\/ui\/entities\/([^/]+)\/?$/, (e) => entityPage(e)],
  [/^\/ui\/entities\/([^/]+)\/statements\/([^/]+)$/, (e, p) => statementPage(e, p)],
  [/^\/ui\/entities\/([^/]+)\/figures\/([^/]+)\/([^/]+)$/, (e, c, p) => figurePage(e, c, p)],
  [/^\/ui\/entities\/([^/]+)\/non-gaap\/([^/]+)\/([^/]+)$/, (e, m, p) => nonGaapPage(e, m, p)],
  [/^\/ui\/entities\/([^/]+)\/policy-changes\/([^/]+)$/, (e, id) => policyChangePage(e, id)],
  [/^\/ui\/entities\/([^/]+)\/documents\/([^/]+)$/, (e, d) => documentPage(e, d)],
  [/^\/ui\/entities\/([^/]+)\/documents\/([^/]+)\/tables\/([^/]+)$/, (e, d, x) => printedTablePage(e, d, x)],
  [/^\/ui\/checks\/?$/, () => checksPage()],
];

async function render() {
  // The language is part of the URL, so that a pasted link opens in the language it was copied in.
  const q = params();
  if (q.get('lang') !== lang) { q.set('lang', lang); history.replaceState(null, '', `${location.pathname}?${q}`); }
  document.documentElement.lang = lang === 'zh' ? 'zh-Hans' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  for (const a of document.querySelectorAll('header a[data-nav]')) a.href = href(new URL(a.href).pathname);
  panel().hidden = true;
  const m = main();
  m.setAttribute('aria-busy', 'true');
  m.innerHTML = `<p class="muted">${t('loading')}</p>`;
  try {
    await conceptLabels();
    const route = routes.find(([re]) => re.test(location.pathname));
    if (!route) throw new ApiError(404, `404: ${location.pathname}`);
    const args = route[0].exec(location.pathname).slice(1).map(decodeURIComponent);
    const page = await route[1](...args);
    m.innerHTML = typeof page === 'string' ? page : page.html;
    if (typeof page !== 'string') page.after();
    document.title = `${m.querySelector('h1')?.textContent.trim() ?? 'Ledger'} · Ledger`;
  } catch (e) {
    m.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  } finally {
    m.setAttribute('aria-busy', 'false');
    m.dataset.ready = location.pathname + location.search;
  }
}

function navigate(url) {
  history.pushState(null, '', url);
  render().then(() => main().focus());
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
window.addEventListener('popstate', () => render());
for (const b of document.querySelectorAll('[data-lang]')) {
  b.addEventListener('click', () => { lang = b.dataset.lang; localStorage.setItem('ledger.lang', lang); render(); });
}
document.getElementById('api-key').value = sessionStorage.getItem(KEY_ITEM) ?? '';
document.getElementById('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = document.getElementById('api-key').value.trim();
  if (key) sessionStorage.setItem(KEY_ITEM, key); else sessionStorage.removeItem(KEY_ITEM);
  entities = null;
  render();
});
render();
