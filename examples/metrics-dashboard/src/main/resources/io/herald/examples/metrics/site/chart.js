// A small SVG line chart, enough for a dashboard: one or more series over time, a y axis from 0,
// the time of the first and last point. No dependencies.

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 150;
const PAD = { left: 46, right: 10, top: 10, bottom: 20 };

function node(name, attrs = {}, parent) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  parent?.append(el);
  return el;
}

/** The smallest of 1, 2, 2.5 or 5 × 10^n at or above `v`, so the axis reads well. */
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v);
}

const time = (ts) => new Date(ts).toLocaleTimeString('en-GB');

/**
 * A chart in `container` of `series` ([{ name, color }]), keeping the latest `keep` points.
 * `add(ts, values)` adds a point (one value per series); `draw()` draws what was added.
 */
export function lineChart(container, { series, keep = 60, format = (v) => String(Math.round(v)) }) {
  const points = [];
  const svg = node('svg', { height: HEIGHT, role: 'img' }, container);
  const legend = document.createElement('div');
  legend.className = 'legend';
  legend.innerHTML = series.map((s) => `<span><i style="background:${s.color}"></i>${s.name}</span>`).join('');
  container.append(legend);
  let width = container.clientWidth || 400;
  new ResizeObserver(() => {
    width = container.clientWidth || width;
    chart.draw();
  }).observe(container);

  const chart = {
    points,
    add(ts, values) {
      points.push({ ts, values });
      if (points.length > keep) points.splice(0, points.length - keep);
    },
    draw() {
      svg.setAttribute('width', width);
      svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
      svg.replaceChildren();
      container.dataset.points = String(points.length);
      const plotW = width - PAD.left - PAD.right;
      const plotH = HEIGHT - PAD.top - PAD.bottom;
      const top = niceMax(Math.max(0, ...points.flatMap((p) => p.values)));
      const y = (v) => PAD.top + plotH * (1 - v / top);
      for (let i = 0; i <= 4; i++) {
        const v = (top * i) / 4;
        node('line', { x1: PAD.left, x2: width - PAD.right, y1: y(v), y2: y(v), class: 'grid' }, svg);
        node('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, svg).textContent = format(v);
      }
      if (!points.length) {
        node('text', { x: PAD.left + plotW / 2, y: PAD.top + plotH / 2, 'text-anchor': 'middle', class: 'axis' }, svg).textContent =
          'waiting for the first snapshot';
        return;
      }
      const t0 = points[0].ts;
      const span = Math.max(1, points.at(-1).ts - t0);
      const x = (ts) => PAD.left + (points.length === 1 ? plotW : (plotW * (ts - t0)) / span);
      series.forEach((s, i) => {
        const d = points.map((p, j) => `${j ? 'L' : 'M'}${x(p.ts).toFixed(1)},${y(p.values[i]).toFixed(1)}`).join('');
        node('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round' }, svg);
        const last = points.at(-1);
        node('circle', { cx: x(last.ts), cy: y(last.values[i]), r: 3, fill: s.color }, svg);
      });
      node('text', { x: PAD.left, y: HEIGHT - 4, class: 'axis' }, svg).textContent = time(t0);
      node('text', { x: width - PAD.right, y: HEIGHT - 4, 'text-anchor': 'end', class: 'axis' }, svg).textContent = time(points.at(-1).ts);
    },
  };
  chart.draw();
  return chart;
}
