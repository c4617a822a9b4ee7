import uPlot from 'uplot';
import type { Rolling } from './series.js';

export interface Line {
  label: string;
  color: string;
  /** How a value reads in the legend. */
  format: (v: number) => string;
}

/** `12:03:45`: the time of day, all a live chart's x axis needs. */
function clock(seconds: number): string {
  const d = new Date(seconds * 1000);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/**
 * A uPlot line chart over a rolling window, sized to its container (and resized with it). The
 * y axis reads with the first line's format; time runs along x. The legend names the lines; the
 * tiles carry the values.
 */
export class Chart {
  private readonly plot: uPlot;

  constructor(
    container: HTMLElement,
    lines: Line[],
    private readonly rolling: Rolling,
    height = 150,
  ) {
    const format = lines[0].format;
    const opts: uPlot.Options = {
      width: Math.max(200, container.clientWidth),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(1, max, min)] } },
      axes: [
        {
          stroke: '#5b6472',
          grid: { stroke: '#eef0f3' },
          ticks: { stroke: '#d5d9e0' },
          space: 70,
          values: (_u, splits) => splits.map(clock),
        },
        {
          stroke: '#5b6472',
          grid: { stroke: '#eef0f3' },
          ticks: { stroke: '#d5d9e0' },
          size: 72,
          values: (_u, splits) => splits.map((v) => format(v)),
        },
      ],
      series: [
        {},
        ...lines.map((l) => ({
          label: l.label,
          stroke: l.color,
          width: 1.5,
          fill: `${l.color}14`,
          points: { show: false },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : l.format(v)),
        })),
      ],
    };
    this.plot = new uPlot(opts, rolling.data() as uPlot.AlignedData, container);
    new ResizeObserver(() => {
      const w = Math.max(200, container.clientWidth);
      if (w !== this.plot.width) this.plot.setSize({ width: w, height });
    }).observe(container);
  }

  /** Redraws with the window's points. */
  update(): void {
    this.plot.setData(this.rolling.data() as uPlot.AlignedData);
  }

  /** How many points the chart draws now (for the browser test). */
  get points(): number {
    return this.plot.data[0].length;
  }
}
