/** How numbers read on the page: short, with units, never "NaN". */

const group = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count: 1,234,567 up to ten million, then 12.3 M. */
export function count(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  if (Math.abs(n) >= 1e10) return `${(n / 1e9).toFixed(1)} G`;
  if (Math.abs(n) >= 1e7) return `${(n / 1e6).toFixed(1)} M`;
  return group.format(n);
}

/** A rate per second: 0, 0.4, 12, 1,234, 12.3 k, 1.2 M. */
export function rate(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  if (a >= 10 || a === 0) return group.format(n);
  return n.toFixed(1);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes: 512 B, 1.5 KiB, 12 MiB. */
export function bytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

/** Milliseconds: 7 ms, 1.2 s. */
export function millis(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '–';
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

/** A duration in seconds: 42 s, 5 min, 3 h 12 min, 2 d 4 h. */
export function duration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

/** What a close code means (the server's list, SPEC §5.1; `none` when a connection ended without one). */
export const CLOSE_CODES: Record<string, string> = {
  '1000': 'normal',
  '1001': 'server shutdown',
  '1002': 'protocol error',
  '1005': 'no code',
  '1006': 'dropped',
  '1007': 'not UTF-8',
  '1008': 'policy (flood)',
  '1009': 'too large',
  '1011': 'internal error',
  '1013': 'too many for user',
  '4001': 'token',
  '4002': 'heartbeat timeout',
  '4003': 'slow consumer',
  none: 'no close frame',
  other: 'other',
};
