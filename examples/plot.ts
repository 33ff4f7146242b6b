/**
 * Pictures of a trained classifier: its decision boundary in the terminal, and
 * as an SVG like the notebook's contourf plot, with the loss curve beside it.
 */
import type { Moons } from '../grader/notebook/moons.ts';
import type { Step } from '../grader/notebook/train.ts';
import { ui } from '../grader/ui.ts';

/** The model's score at a point. */
export type Score = (x: number, y: number) => number;

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The data's extent plus a margin, as the notebook's mesh uses. */
function bounds({ X }: Moons, margin: number): Box {
  const xs = X.map((p) => p[0]);
  const ys = X.map((p) => p[1]);
  return { x0: Math.min(...xs) - margin, x1: Math.max(...xs) + margin, y0: Math.min(...ys) - margin, y1: Math.max(...ys) + margin };
}

/** A character grid: the background shows the model's sign, o and x the two classes. */
export function terminalPlot(data: Moons, score: Score, cols = 64, rows = 22): string {
  const box = bounds(data, 0.3);
  const cell = (i: number, j: number) => [box.x0 + ((i + 0.5) / cols) * (box.x1 - box.x0), box.y1 - ((j + 0.5) / rows) * (box.y1 - box.y0)];
  const marks = new Map<string, number>();
  data.X.forEach(([x, y], k) => {
    const i = Math.min(cols - 1, Math.floor(((x - box.x0) / (box.x1 - box.x0)) * cols));
    const j = Math.min(rows - 1, Math.floor(((box.y1 - y) / (box.y1 - box.y0)) * rows));
    marks.set(`${i},${j}`, data.y[k]);
  });
  const lines: string[] = [];
  for (let j = 0; j < rows; j++) {
    let line = '';
    for (let i = 0; i < cols; i++) {
      const [x, y] = cell(i, j);
      const positive = score(x, y) > 0;
      const mark = marks.get(`${i},${j}`);
      const ch = mark === undefined ? (positive ? '·' : ' ') : mark > 0 ? 'o' : 'x';
      line += positive ? ui.positive(ch) : ui.negative(ch);
    }
    lines.push(`  ${line}`);
  }
  return lines.join('\n');
}

const esc = (n: number) => (Math.round(n * 100) / 100).toString();

/** Nice round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  const raw = (hi - lo) / count;
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw))).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toFixed(10)));
  return out;
}

/** Axes with tick labels for a panel at (left, top) of size w × h mapping the box. */
function axes(left: number, top: number, w: number, h: number, box: Box, xLabel: string, yLabel: string): string[] {
  const out = [`<g class="axes" stroke="#333" fill="none"><rect x="${left}" y="${top}" width="${w}" height="${h}"/></g>`, '<g class="ticks" font-size="11" fill="#333">'];
  for (const t of ticks(box.x0, box.x1)) {
    const x = left + ((t - box.x0) / (box.x1 - box.x0)) * w;
    out.push(`<line x1="${esc(x)}" y1="${top + h}" x2="${esc(x)}" y2="${top + h + 4}" stroke="#333"/><text x="${esc(x)}" y="${top + h + 16}" text-anchor="middle">${t}</text>`);
  }
  for (const t of ticks(box.y0, box.y1)) {
    const y = top + h - ((t - box.y0) / (box.y1 - box.y0)) * h;
    out.push(`<line x1="${left - 4}" y1="${esc(y)}" x2="${left}" y2="${esc(y)}" stroke="#333"/><text x="${left - 6}" y="${esc(y + 4)}" text-anchor="end">${t}</text>`);
  }
  out.push(`<text x="${left + w / 2}" y="${top + h + 32}" text-anchor="middle">${xLabel}</text>`);
  out.push(`<text transform="translate(${left - 38} ${top + h / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text></g>`);
  return out;
}

/** The decision boundary (filled regions over a mesh, the points) and the loss curve, as one SVG. */
export function svgPlot(data: Moons, score: Score, steps: Step[], mesh = 60): string {
  const box = bounds(data, 0.5);
  const [left, top, w, h] = [60, 40, 400, 320];
  const px = (x: number) => left + ((x - box.x0) / (box.x1 - box.x0)) * w;
  const py = (y: number) => top + h - ((y - box.y0) / (box.y1 - box.y0)) * h;
  const cw = w / mesh;
  const ch = h / mesh;
  const cells: string[] = [];
  for (let i = 0; i < mesh; i++) {
    for (let j = 0; j < mesh; j++) {
      const x = box.x0 + ((i + 0.5) / mesh) * (box.x1 - box.x0);
      const y = box.y0 + ((j + 0.5) / mesh) * (box.y1 - box.y0);
      const fill = score(x, y) > 0 ? '#9ecae1' : '#fcbba1';
      cells.push(`<rect x="${esc(left + i * cw)}" y="${esc(top + h - (j + 1) * ch)}" width="${esc(cw + 0.3)}" height="${esc(ch + 0.3)}" fill="${fill}"/>`);
    }
  }
  const points = data.X.map(([x, y], k) => {
    const fill = data.y[k] > 0 ? '#2171b5' : '#cb181d';
    return `<circle cx="${esc(px(x))}" cy="${esc(py(y))}" r="4" fill="${fill}" stroke="#111" stroke-width="0.7"/>`;
  });
  // The loss curve, in its own panel on the right.
  const [l2, t2, w2, h2] = [560, 40, 320, 320];
  const maxLoss = Math.max(...steps.map((s) => s.loss), 1e-9);
  const lossBox = { x0: 0, x1: Math.max(1, steps.length - 1), y0: 0, y1: maxLoss };
  const curve = steps.map((s, k) => `${esc(l2 + (k / lossBox.x1) * w2)},${esc(t2 + h2 - (s.loss / maxLoss) * h2)}`).join(' ');
  const last = steps.at(-1);
  const title = last ? `step ${last.step}: loss ${last.loss.toFixed(4)}, accuracy ${(last.accuracy * 100).toFixed(0)}%` : '';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="920" height="440" viewBox="0 0 920 440" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="920" height="440" fill="white"/>`,
    `<text x="${left}" y="24" font-size="15">Decision boundary (blue: the model says +1)</text>`,
    `<text x="${left}" y="428" font-size="13" fill="#333">${title}</text>`,
    `<g class="regions" shape-rendering="crispEdges">${cells.join('')}</g>`,
    `<g class="points">${points.join('')}</g>`,
    ...axes(left, top, w, h, box, 'x₁', 'x₂'),
    `<text x="${l2}" y="24" font-size="15">Training loss</text>`,
    `<g class="loss"><polyline points="${curve}" fill="none" stroke="#08519c" stroke-width="2"/></g>`,
    ...axes(l2, t2, w2, h2, lossBox, 'step', 'loss'),
    `</svg>`,
  ].join('\n');
}
