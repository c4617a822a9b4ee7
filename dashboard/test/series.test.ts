import { describe, expect, it } from 'vitest';
import { Rolling } from '../src/series.js';

describe('Rolling', () => {
  it('keeps one point per second, the latest of that second', () => {
    const r = new Rolling(['a', 'b']);
    r.push(100.2, [1, 2]);
    r.push(100.9, [3, undefined]);
    r.push(101, [4, 5]);
    expect(r.data()).toEqual([[100, 101], [3, 4], [null, 5]]);
  });

  it('drops points older than the window and ignores the past', () => {
    const r = new Rolling(['a'], 3);
    for (let t = 0; t < 6; t++) r.push(t, [t]);
    r.push(2, [99]);
    expect(r.data()).toEqual([[3, 4, 5], [3, 4, 5]]);
    expect(r.length).toBe(3);
  });
});
