/**
 * What Herald publishes on `$herald:stats` once a second per node while someone watches (see
 * docs/ARCHITECTURE.md, "Live stats"): totals since the node started, never rates, so the page
 * derives rates from two snapshots of a node and a missed one costs nothing.
 */
export const STATS_CHANNEL = '$herald:stats';

export interface Snapshot {
  node: string;
  /** When the node took it, epoch milliseconds. */
  ts: number;
  uptime_seconds: number;
  channels: { active: number; idle: number; completed: number; total: number };
  /** The busiest channels of the last interval, with their rate. */
  top_channels: TopChannel[];
  messages: { published: number; delivered: number; coalesced: number; dropped: number; lag_events: number };
  /** Publish-to-write latency of the last interval; null percentiles when nothing was delivered. */
  latency_ms: { count: number; p50: number | null; p90: number | null; p99: number | null; p999: number | null; max: number | null };
  /** The server's part; absent on a node without a server transport. */
  connections?: {
    active: number;
    opened: number;
    closed: number;
    closed_by_code: Record<string, number>;
    slow_consumers: number;
    heartbeat_timeouts: number;
    sockets: number;
  };
  traffic?: { frames_out: number; bytes_out: number; messages_sent: number; errors: number };
}

export interface TopChannel {
  channel: string;
  published: number;
  per_second: number;
  subscribers: number;
  delivered: number;
}
