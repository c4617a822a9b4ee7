import type { Snapshot, TopChannel } from './snapshot.js';

/** The totals of a snapshot that the page shows per second, each read from a snapshot. */
export const RATES = {
  published: (s: Snapshot) => s.messages.published,
  delivered: (s: Snapshot) => s.messages.delivered,
  coalesced: (s: Snapshot) => s.messages.coalesced,
  dropped: (s: Snapshot) => s.messages.dropped,
  lagEvents: (s: Snapshot) => s.messages.lag_events,
  opened: (s: Snapshot) => s.connections?.opened ?? 0,
  closed: (s: Snapshot) => s.connections?.closed ?? 0,
  framesOut: (s: Snapshot) => s.traffic?.frames_out ?? 0,
  bytesOut: (s: Snapshot) => s.traffic?.bytes_out ?? 0,
  messagesSent: (s: Snapshot) => s.traffic?.messages_sent ?? 0,
} as const;

export type RateName = keyof typeof RATES;
export type Rates = Record<RateName, number>;

/** A node as the page knows it: its latest snapshot and, once it has two in a row, its rates. */
export interface NodeView {
  node: string;
  latest: Snapshot;
  /** Per second over the last two snapshots; undefined after the first, or after a restart. */
  rates?: Rates;
  /** When the page got the latest, page clock milliseconds. */
  seenAt: number;
}

/** Every node's figures added up (latency: the worst node's), for the tiles and the charts. */
export interface Aggregate {
  nodes: number;
  connections: number;
  sockets: number;
  channels: Snapshot['channels'];
  messages: Snapshot['messages'];
  traffic: { frames_out: number; bytes_out: number; messages_sent: number };
  closedByCode: Record<string, number>;
  slowConsumers: number;
  heartbeatTimeouts: number;
  rates?: Rates;
  latency: { p50: number | null; p99: number | null; max: number | null; count: number };
  top: TopChannel[];
}

/**
 * The nodes that publish stats, from their snapshots. Rates come from two snapshots of one node:
 * the difference of its totals over the difference of its timestamps, so a snapshot that never
 * arrived only widens the interval. A node whose totals went down restarted: its rates start
 * again from that snapshot. A node not heard from for `staleMs` is left out of the figures.
 */
export class Fleet {
  private readonly nodes = new Map<string, NodeView>();

  constructor(private readonly staleMs = 5_000) {}

  /** Takes a snapshot of a node, got at `now` (page clock). An older snapshot than the node's latest is ignored. */
  update(s: Snapshot, now: number): void {
    const before = this.nodes.get(s.node);
    if (before && s.ts <= before.latest.ts) return;
    let rates: Rates | undefined;
    if (before) {
      const seconds = (s.ts - before.latest.ts) / 1000;
      const restarted = s.uptime_seconds < before.latest.uptime_seconds
        || (Object.keys(RATES) as RateName[]).some((k) => RATES[k](s) < RATES[k](before.latest));
      if (!restarted) {
        rates = {} as Rates;
        for (const k of Object.keys(RATES) as RateName[]) rates[k] = (RATES[k](s) - RATES[k](before.latest)) / seconds;
      }
    }
    this.nodes.set(s.node, { node: s.node, latest: s, rates, seenAt: now });
  }

  /** Every node heard from, freshest first by name; `stale` tells those left out of the figures. */
  all(now: number): (NodeView & { stale: boolean })[] {
    return [...this.nodes.values()]
      .map((n) => ({ ...n, stale: now - n.seenAt > this.staleMs }))
      .sort((a, b) => a.node.localeCompare(b.node));
  }

  /** Forgets nodes not heard from for `ms` (a node that went away, or restarted under a new id). */
  forget(now: number, ms = 60_000): void {
    for (const [id, n] of this.nodes) if (now - n.seenAt > ms) this.nodes.delete(id);
  }

  /** The fresh nodes added up; undefined before the first snapshot. */
  aggregate(now: number): Aggregate | undefined {
    const fresh = this.all(now).filter((n) => !n.stale);
    if (fresh.length === 0) return undefined;
    const a: Aggregate = {
      nodes: fresh.length,
      connections: 0,
      sockets: 0,
      channels: { active: 0, idle: 0, completed: 0, total: 0 },
      messages: { published: 0, delivered: 0, coalesced: 0, dropped: 0, lag_events: 0 },
      traffic: { frames_out: 0, bytes_out: 0, messages_sent: 0 },
      closedByCode: {},
      slowConsumers: 0,
      heartbeatTimeouts: 0,
      latency: { p50: null, p99: null, max: null, count: 0 },
      top: [],
    };
    const top = new Map<string, TopChannel>();
    let withRates = 0;
    const rates = Object.fromEntries(Object.keys(RATES).map((k) => [k, 0])) as Rates;
    for (const { latest: s, rates: r } of fresh) {
      a.connections += s.connections?.active ?? 0;
      a.sockets += s.connections?.sockets ?? 0;
      a.slowConsumers += s.connections?.slow_consumers ?? 0;
      a.heartbeatTimeouts += s.connections?.heartbeat_timeouts ?? 0;
      for (const [code, n] of Object.entries(s.connections?.closed_by_code ?? {})) a.closedByCode[code] = (a.closedByCode[code] ?? 0) + n;
      addInto(a.channels, s.channels);
      addInto(a.messages, s.messages);
      if (s.traffic) {
        a.traffic.frames_out += s.traffic.frames_out;
        a.traffic.bytes_out += s.traffic.bytes_out;
        a.traffic.messages_sent += s.traffic.messages_sent;
      }
      a.latency.count += s.latency_ms.count;
      a.latency.p50 = worst(a.latency.p50, s.latency_ms.p50);
      a.latency.p99 = worst(a.latency.p99, s.latency_ms.p99);
      a.latency.max = worst(a.latency.max, s.latency_ms.max);
      for (const t of s.top_channels) {
        const seen = top.get(t.channel);
        top.set(t.channel, seen ? { ...seen, published: seen.published + t.published, per_second: seen.per_second + t.per_second,
          subscribers: seen.subscribers + t.subscribers, delivered: seen.delivered + t.delivered } : { ...t });
      }
      if (r) {
        withRates++;
        for (const k of Object.keys(RATES) as RateName[]) rates[k] += r[k];
      }
    }
    if (withRates > 0) a.rates = rates;
    a.top = [...top.values()].sort((x, y) => y.per_second - x.per_second).slice(0, 10);
    return a;
  }
}

function addInto<T extends Record<string, number>>(into: T, from: T): void {
  for (const k of Object.keys(into) as (keyof T)[]) (into[k] as number) += from[k] as number;
}

function worst(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
