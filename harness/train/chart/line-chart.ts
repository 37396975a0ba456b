// Line charts of loss curves as SVG (report.html, loss.svg; svg-to-png.ts turns the same SVG into loss.png).

export interface Series {
  label: string;
  /** '#rrggbb' */
  color: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
}

/** Colours that stay apart for the colour-blind (Okabe–Ito). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000'];

/** ~`count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function tickLabel(v: number): string {
  if (Math.abs(v) >= 1000 && Number.isInteger(v)) return String(v);
  return Number(v.toPrecision(4)).toString();
}

interface Layout {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  sx: (x: number) => number;
  sy: (y: number) => number;
  xTicks: number[];
  yTicks: number[];
}

function layout(spec: ChartSpec): Layout {
  const width = spec.width ?? 800;
  const height = spec.height ?? 480;
  const pts = spec.series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const x0 = xs.length ? Math.min(...xs) : 0;
  let x1 = xs.length ? Math.max(...xs) : 1;
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const plot = { left: 80, top: 64, right: width - 24, bottom: height - 64 };
  return {
    width,
    height,
    plot,
    sx: (x) => plot.left + ((x - x0) / (x1 - x0)) * (plot.right - plot.left),
    sy: (y) => plot.bottom - ((y - y0) / (y1 - y0)) * (plot.bottom - plot.top),
    xTicks: niceTicks(x0, x1, 6),
    yTicks: niceTicks(y0, y1, 8),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f = (n: number) => n.toFixed(1);

export function renderSvg(spec: ChartSpec): string {
  const L = layout(spec);
  const { plot } = L;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" viewBox="0 0 ${L.width} ${L.height}" font-family="sans-serif" font-size="13" role="img" aria-label="${esc(spec.title)}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${L.width / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">${esc(spec.title)}</text>`,
  ];
  for (const t of L.yTicks) {
    out.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${f(L.sy(t))}" y2="${f(L.sy(t))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${plot.left - 8}" y="${f(L.sy(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  for (const t of L.xTicks) {
    out.push(`<line x1="${f(L.sx(t))}" x2="${f(L.sx(t))}" y1="${plot.top}" y2="${plot.bottom}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${f(L.sx(t))}" y="${plot.bottom + 18}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  out.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${(plot.left + plot.right) / 2}" y="${L.height - 16}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  const legendX = plot.right - 56 - Math.max(0, ...spec.series.map((s) => s.label.length * 7.5)); // ~7.5 px a character at 13 px
  spec.series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${f(L.sx(p.x))} ${f(L.sy(p.y))}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${dash}><title>${esc(s.label)}</title></path>`);
    const ly = plot.top + 16 + i * 20;
    out.push(`<line x1="${f(legendX)}" x2="${f(legendX + 30)}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="3"${dash}/>`);
    out.push(`<text x="${f(legendX + 38)}" y="${ly}">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
