import { describe, expect, it } from 'vitest';
import { Fleet } from '../src/fleet.js';
import type { Snapshot } from '../src/snapshot.js';

function snap(node: string, ts: number, published: number, extra: Partial<Snapshot> = {}): Snapshot {
  return {
    node,
    ts,
    uptime_seconds: ts / 1000,
    channels: { active: 1, idle: 0, completed: 2, total: 3 },
    top_channels: [],
    messages: { published, delivered: published * 2, coalesced: 0, dropped: 0, lag_events: 0 },
    latency_ms: { count: 1, p50: 3, p90: 4, p99: 9, p999: 9, max: 12 },
    connections: { active: 2, opened: 5, closed: 3, closed_by_code: { '1000': 3 }, slow_consumers: 0, heartbeat_timeouts: 0, sockets: 4 },
    traffic: { frames_out: published, bytes_out: published * 100, messages_sent: published * 2, errors: 0 },
    ...extra,
  };
}

describe('Fleet', () => {
  it('has no rates from one snapshot, then the difference per second of the next', () => {
    const f = new Fleet();
    f.update(snap('a', 10_000, 100), 0);
    expect(f.aggregate(0)?.rates).toBeUndefined();
    f.update(snap('a', 11_000, 150), 1000);
    expect(f.aggregate(1000)?.rates).toMatchObject({ published: 50, delivered: 100, bytesOut: 5000 });
  });

  it('spreads what a missed snapshot held over the longer interval', () => {
    const f = new Fleet();
    f.update(snap('a', 10_000, 100), 0);
    f.update(snap('a', 13_000, 160), 3000); // the two in between never came
    expect(f.aggregate(3000)?.rates?.published).toBe(20);
  });

  it('ignores a snapshot older than the latest, and starts again after a restart', () => {
    const f = new Fleet();
    f.update(snap('a', 10_000, 100), 0);
    f.update(snap('a', 11_000, 150), 1000);
    f.update(snap('a', 10_500, 120), 1100);
    expect(f.aggregate(1100)?.messages.published).toBe(150);
    f.update(snap('a', 12_000, 7, { uptime_seconds: 1 }), 2000);
    expect(f.aggregate(2000)?.rates).toBeUndefined();
    f.update(snap('a', 13_000, 17, { uptime_seconds: 2 }), 3000);
    expect(f.aggregate(3000)?.rates?.published).toBe(10);
  });

  it('adds nodes up, takes the worst latency, and leaves a silent node out', () => {
    const f = new Fleet(5000);
    f.update(snap('a', 10_000, 100), 0);
    f.update(snap('b', 10_000, 10, { latency_ms: { count: 2, p50: 8, p90: 9, p99: 20, p999: 20, max: 30 } }), 0);
    const a = f.aggregate(100)!;
    expect(a.nodes).toBe(2);
    expect(a.messages.published).toBe(110);
    expect(a.connections).toBe(4);
    expect(a.closedByCode).toEqual({ '1000': 6 });
    expect(a.latency).toEqual({ p50: 8, p99: 20, max: 30, count: 3 });
    f.update(snap('a', 16_000, 200), 6000);
    expect(f.aggregate(6000)?.nodes).toBe(1);
    expect(f.all(6000).map((n) => [n.node, n.stale])).toEqual([['a', false], ['b', true]]);
    f.forget(70_000);
    expect(f.all(70_000)).toEqual([]);
  });

  it('joins the busiest channels of every node by channel, busiest first', () => {
    const f = new Fleet();
    const t = (channel: string, per_second: number) => ({ channel, per_second, published: 1, subscribers: 1, delivered: 1 });
    f.update(snap('a', 1000, 1, { top_channels: [t('x', 5), t('y', 1)] }), 0);
    f.update(snap('b', 1000, 1, { top_channels: [t('y', 7)] }), 0);
    expect(f.aggregate(0)?.top.map((c) => [c.channel, c.per_second, c.subscribers])).toEqual([['y', 8, 2], ['x', 5, 1]]);
  });
});
