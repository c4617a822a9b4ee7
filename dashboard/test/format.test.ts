import { describe, expect, it } from 'vitest';
import { bytes, count, duration, millis, rate } from '../src/format.js';

describe('format', () => {
  it('reads counts, rates, bytes, latencies and durations short', () => {
    expect([count(0), count(1234567), count(12_345_678), count(undefined)]).toEqual(['0', '1,234,567', '12.3 M', '–']);
    expect([rate(0), rate(0.44), rate(12.4), rate(12_345), rate(2_500_000), rate(NaN)]).toEqual(['0', '0.4', '12', '12.3 k', '2.5 M', '–']);
    expect([bytes(512), bytes(1536), bytes(12 * 1024 * 1024), bytes(null)]).toEqual(['512 B', '1.5 KiB', '12 MiB', '–']);
    expect([millis(7.4), millis(1234), millis(null)]).toEqual(['7 ms', '1.2 s', '–']);
    expect([duration(42), duration(300), duration(3 * 3600 + 12 * 60), duration(2 * 86400 + 4 * 3600)]).toEqual(['42 s', '5 min', '3 h 12 min', '2 d 4 h']);
  });
});
