/**
 * A rolling window of points for a chart: one per second at most (a later point in the same second
 * replaces the earlier one, as several nodes report within a second), none older than the window.
 * `data()` is what uPlot takes: [times in seconds, then each series' values].
 */
export class Rolling {
  private readonly times: number[] = [];
  private readonly values: (number | null)[][];

  constructor(
    readonly names: readonly string[],
    private readonly windowSeconds = 300,
  ) {
    this.values = names.map(() => []);
  }

  /** Adds the values at `seconds` (epoch seconds), one per series, null for none. */
  push(seconds: number, values: readonly (number | null | undefined)[]): void {
    const t = Math.floor(seconds);
    const last = this.times.length - 1;
    if (last >= 0 && t < this.times[last]) return;
    if (last >= 0 && t === this.times[last]) {
      this.values.forEach((v, i) => (v[last] = values[i] ?? null));
    } else {
      this.times.push(t);
      this.values.forEach((v, i) => v.push(values[i] ?? null));
    }
    let old = 0;
    while (old < this.times.length && this.times[old] <= t - this.windowSeconds) old++;
    if (old > 0) {
      this.times.splice(0, old);
      this.values.forEach((v) => v.splice(0, old));
    }
  }

  get length(): number {
    return this.times.length;
  }

  data(): [number[], ...(number | null)[][]] {
    return [this.times, ...this.values];
  }
}
