// Charts drawn as SVG by our own code: no library, no network.
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** Short axis labels: 6,301,756 → 6.30M; keeps charts readable whatever the scale. */
function short(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + 'B';
  if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(1) + 'K';
  return String(Math.round(v * 100) / 100);
}

function scale(min, max, from, to) {
  if (min === max) { min -= Math.abs(min) * 0.1 || 1; max += Math.abs(max) * 0.1 || 1; }
  const pad = (max - min) * 0.12;
  min -= pad; max += pad;
  const f = (v) => from + ((v - min) / (max - min)) * (to - from);
  f.ticks = [0, 1, 2, 3, 4].map((i) => min + ((max - min) * i) / 4);
  return f;
}

/**
 * A figure's value over knowledge time: one point per disclosure or restatement, a step between them,
 * each step labelled with its reason. points: [{ date, assumed, value, text, kind, label, document }].
 */
export function timelineChart(points, { unknownDate }) {
  const W = 860, H = 300, L = 90, R = 40, TOP = 30, B = 50;
  const usable = points.filter((p) => p.value !== null && !Number.isNaN(p.value));
  if (usable.length === 0) return '<p class="muted">—</p>';
  const times = usable.map((p) => Date.parse(p.date));
  let t0 = Math.min(...times), t1 = Math.max(...times);
  if (t0 === t1) { t0 -= 86400000 * 30; t1 += 86400000 * 30; }
  const span = t1 - t0;
  t0 -= span * 0.08; t1 += span * 0.15;
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = scale(Math.min(...usable.map((p) => p.value)), Math.max(...usable.map((p) => p.value)), H - B, TOP);
  let svg = `<svg class="chart timeline" role="img" aria-label="value over knowledge time" viewBox="0 0 ${W} ${H}" width="100%">`;
  for (const v of y.ticks) svg += `<line class="grid" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${esc(short(v))}</text>`;
  svg += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/><line class="axis" x1="${L}" x2="${L}" y1="${TOP}" y2="${H - B}"/>`;
  // The value holds from one point until the next changes it: a step line, extended to the right edge.
  let path = '';
  usable.forEach((p, i) => {
    const px = x(Date.parse(p.date)), py = y(p.value);
    path += i === 0 ? `M${px},${py}` : ` H${px} V${py}`;
  });
  path += ` H${W - R}`;
  svg += `<path class="step" d="${path}"/>`;
  usable.forEach((p, i) => {
    const px = x(Date.parse(p.date)), py = y(p.value);
    if (i > 0 && p.label) {
      const prev = usable[i - 1];
      const my = (y(prev.value) + py) / 2;
      // Labels sit on the side of the step with more room, so that they are never cut at the edge.
      const left = px > W / 2;
      svg += `<text class="step-label" x="${left ? px - 8 : px + 8}" y="${my}" text-anchor="${left ? 'end' : 'start'}">${esc(p.label)}</text>`;
    }
    svg += `<circle class="point ${esc(p.kind)}" cx="${px}" cy="${py}" r="5"><title>${esc(`${p.text} · ${p.document} · ${p.date}${p.assumed ? ` (${unknownDate})` : ''}`)}</title></circle>`;
    svg += `<text class="point-label" x="${px}" y="${py - 10}" text-anchor="middle">${esc(p.text)}</text>`;
    svg += `<text x="${px}" y="${H - B + 18}" text-anchor="middle">${esc(p.date)}${p.assumed ? '*' : ''}</text>`;
    svg += `<text class="muted" x="${px}" y="${H - B + 34}" text-anchor="middle">${esc(p.document)}</text>`;
  });
  return svg + '</svg>';
}

/**
 * A non-GAAP bridge: the GAAP start, each adjustment floating from the running total, the recomputed
 * total, and the reported total as a dashed line. steps: [{ label, value, kind: start|delta|total, text }].
 */
export function waterfallChart(steps, { reported, reportedLabel }) {
  const W = 860, TOP = 24, B = 120, L = 90, R = 20, H = 380;
  let running = 0;
  const bars = steps.map((s) => {
    if (s.kind === 'start') { running = s.value; return { ...s, from: 0, to: s.value }; }
    if (s.kind === 'total') return { ...s, from: 0, to: s.value };
    const from = running; running += s.value; return { ...s, from, to: running };
  });
  const values = bars.flatMap((b) => [b.from, b.to]).concat(reported !== null ? [reported] : []);
  const y = scale(Math.min(0, ...values), Math.max(0, ...values), H - B, TOP);
  const bw = (W - L - R) / bars.length;
  let svg = `<svg class="chart waterfall" role="img" aria-label="reconciliation waterfall" viewBox="0 0 ${W} ${H}" width="100%">`;
  for (const v of y.ticks) svg += `<line class="grid" x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${esc(short(v))}</text>`;
  svg += `<line class="axis" x1="${L}" x2="${W - R}" y1="${y(0)}" y2="${y(0)}"/>`;
  bars.forEach((b, i) => {
    const x0 = L + i * bw + bw * 0.15, w = bw * 0.7;
    const top = Math.min(y(b.from), y(b.to)), h = Math.max(1, Math.abs(y(b.from) - y(b.to)));
    const cls = b.kind === 'delta' ? (b.value >= 0 ? 'up' : 'down') : b.kind;
    svg += `<rect class="bar ${cls}" x="${x0}" y="${top}" width="${w}" height="${h}"><title>${esc(`${b.label}: ${b.text}`)}</title></rect>`;
    svg += `<text x="${x0 + w / 2}" y="${top - 4}" text-anchor="middle">${esc(b.text)}</text>`;
    if (i < bars.length - 1 && b.kind !== 'total') {
      svg += `<line class="grid" x1="${x0 + w}" x2="${x0 + bw}" y1="${y(b.to)}" y2="${y(b.to)}" stroke-dasharray="2 2"/>`;
    }
    const label = b.label.length > 18 ? b.label.slice(0, 17) + '…' : b.label;
    svg += `<text x="${x0 + w / 2}" y="${H - B + 16}" text-anchor="end" transform="rotate(-30 ${x0 + w / 2} ${H - B + 16})">${esc(label)}</text>`;
  });
  if (reported !== null) {
    svg += `<line class="reported" x1="${L}" x2="${W - R}" y1="${y(reported)}" y2="${y(reported)}"/>`;
    svg += `<text x="${W - R}" y="${y(reported) - 6}" text-anchor="end" fill="#b3261e">${esc(reportedLabel)}</text>`;
  }
  return svg + '</svg>';
}
