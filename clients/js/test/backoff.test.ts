import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff } from '../src/backoff.js';

describe('Backoff', () => {
  afterEach(() => vi.restoreAllMocks());

  it('doubles its ceiling from 500 ms up to the 30 s cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    const b = new Backoff();
    const delays = Array.from({ length: 10 }, () => b.next());
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 29999, 29999, 29999, 29999]);
  });

  it('draws each delay uniformly between zero and the ceiling (full jitter)', () => {
    const draws = [0, 0.5, 0.25];
    vi.spyOn(Math, 'random').mockImplementation(() => draws.shift()!);
    const b = new Backoff(1000, 60_000);
    expect([b.next(), b.next(), b.next()]).toEqual([0, 1000, 1000]);
  });

  it('starts again from the first ceiling after a reset', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const b = new Backoff();
    b.next();
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(250);
  });

  it("waits exactly the server's delay once, then backs off as before", () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const b = new Backoff();
    b.after(1234);
    expect([b.next(), b.next(), b.next()]).toEqual([1234, 250, 500]);
  });
});
