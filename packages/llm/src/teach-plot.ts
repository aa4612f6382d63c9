// The loss and reward-margin curves of a training run as a self-contained SVG (`tt teach` writes it next to the
// model; the UI shows it for a manifest). Deterministic: the same metrics give the same bytes (fixed-precision
// numbers, no dates or random ids), so the plot can be checked like the model. Browser-safe.
import type { StepMetrics } from './trainer.ts';

export interface TeachPlotOptions {
  /** Shown above the panels (escaped). */
  title?: string;
  width?: number;
  height?: number;
}

type Point = Pick<StepMetrics, 'step' | 'loss' | 'rewardMargin'>;

interface Panel {
  label: string;
  values: number[];
  /** A dashed reference line and its label (the base model's value). */
  baseline: number;
  baselineLabel: string;
  color: string;
}

const fmt = (x: number) => (Object.is(x, -0) ? 0 : x).toFixed(2);

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A tick spacing of 1, 2 or 5 times a power of ten giving about four intervals over range. */
function tickStep(range: number): number {
  const raw = range / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * pow;
}

function label(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(1) : String(Number(x.toPrecision(3)));
}

function panelSvg(p: Panel, x0: number, y0: number, w: number, h: number, steps: number[]): string {
  const finite = p.values.filter(Number.isFinite);
  let lo = Math.min(p.baseline, ...finite);
  let hi = Math.max(p.baseline, ...finite);
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const n = steps.length;
  const px = (i: number) => x0 + (n === 1 ? w / 2 : (i / (n - 1)) * w);
  const py = (v: number) => y0 + h - ((v - lo) / (hi - lo)) * h;
  const out: string[] = [];
  out.push(`<rect x="${fmt(x0)}" y="${fmt(y0)}" width="${fmt(w)}" height="${fmt(h)}" class="frame"/>`);
  const step = tickStep(hi - lo);
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
    const y = py(t);
    out.push(`<line x1="${fmt(x0)}" y1="${fmt(y)}" x2="${fmt(x0 + w)}" y2="${fmt(y)}" class="grid"/>`);
    out.push(`<text x="${fmt(x0 - 6)}" y="${fmt(y + 4)}" class="tick" text-anchor="end">${label(t)}</text>`);
  }
  const yb = py(p.baseline);
  out.push(`<line x1="${fmt(x0)}" y1="${fmt(yb)}" x2="${fmt(x0 + w)}" y2="${fmt(yb)}" class="base"/>`);
  out.push(
    `<text x="${fmt(x0 + w - 4)}" y="${fmt(yb - 4)}" class="tick" text-anchor="end">${escapeXml(p.baselineLabel)}</text>`,
  );
  const pts = p.values
    .map((v, i) => (Number.isFinite(v) ? `${fmt(px(i))},${fmt(py(v))}` : null))
    .filter((s): s is string => s !== null);
  if (pts.length > 1)
    out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${p.color}" stroke-width="2"/>`);
  p.values.forEach((v, i) => {
    if (Number.isFinite(v) && (n <= 40 || i === n - 1))
      out.push(`<circle cx="${fmt(px(i))}" cy="${fmt(py(v))}" r="2.5" fill="${p.color}"/>`);
  });
  const last = p.values[n - 1];
  const lastText = last !== undefined && Number.isFinite(last) ? ` (last ${label(last)})` : '';
  out.push(`<text x="${fmt(x0)}" y="${fmt(y0 - 8)}" class="label">${escapeXml(p.label + lastText)}</text>`);
  // x axis: first and last step (1-based for people)
  out.push(
    `<text x="${fmt(px(0))}" y="${fmt(y0 + h + 16)}" class="tick" text-anchor="middle">${steps[0]! + 1}</text>`,
  );
  if (n > 1)
    out.push(
      `<text x="${fmt(px(n - 1))}" y="${fmt(y0 + h + 16)}" class="tick" text-anchor="middle">${steps[n - 1]! + 1}</text>`,
    );
  return out.join('\n');
}

/** The SVG text: two panels over the optimizer steps, DPO loss (base: log 2) and mean reward margin (base: 0). */
export function teachPlotSvg(metrics: readonly Point[], opts: TeachPlotOptions = {}): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 440;
  const title = escapeXml(opts.title ?? 'DPO fine-tuning');
  const head = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    '<style>.frame{fill:#fff;stroke:#bbb}.grid{stroke:#eee}.base{stroke:#888;stroke-dasharray:4 3}' +
      '.tick{font-size:11px;fill:#555}.label{font-size:13px;fill:#222}.title{font-size:15px;font-weight:600;fill:#111}</style>',
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    `<text x="16" y="24" class="title">${title}</text>`,
  ];
  if (metrics.length === 0)
    return [...head, `<text x="16" y="60" class="label">no optimizer steps yet</text>`, '</svg>', ''].join(
      '\n',
    );
  const left = 64;
  const right = 16;
  const top = 58;
  const gap = 58;
  const w = width - left - right;
  const h = (height - top - gap - 30) / 2;
  const steps = metrics.map((m) => m.step);
  const panels: Panel[] = [
    {
      label: 'DPO loss',
      values: metrics.map((m) => m.loss),
      baseline: Math.LN2,
      baselineLabel: 'base: log 2',
      color: '#c0392b',
    },
    {
      label: 'reward margin (chosen − rejected)',
      values: metrics.map((m) => m.rewardMargin),
      baseline: 0,
      baselineLabel: 'base: 0',
      color: '#2471a3',
    },
  ];
  const body = panels.map((p, i) => panelSvg(p, left, top + i * (h + gap), w, h, steps));
  const foot = `<text x="${fmt(left + w / 2)}" y="${fmt(height - 8)}" class="tick" text-anchor="middle">optimizer step</text>`;
  return [...head, ...body, foot, '</svg>', ''].join('\n');
}
