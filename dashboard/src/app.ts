/**
 * Herald's dashboard (served at `/`): asks for an admin credential once, then shows the live stats
 * that every node publishes on `$herald:stats`, read over Herald's own WebSocket with its browser
 * client (reconnect, resume), as tiles and uPlot charts; and two tables read from the admin API on
 * demand: channels with search, connections with paging and a disconnect button.
 */
import { Herald, type StatusEvent } from '/herald.js';
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { Chart } from './charts.js';
import { ApiError, api, clear, load, parseCredential, save, webSocketToken, type Credential } from './credentials.js';
import { byId, el, row, setText } from './dom.js';
import { Fleet, type Aggregate } from './fleet.js';
import { bytes, CLOSE_CODES, count, duration, millis, rate } from './format.js';
import { Rolling } from './series.js';
import { STATS_CHANNEL, type Snapshot } from './snapshot.js';
import { ChannelTable, ConnectionTable, type Call } from './tables.js';

/** Every how many snapshots (seconds) the tables are read again. */
const TABLE_REFRESH_EVERY = 3;

const fleet = new Fleet();
const series = {
  messages: new Rolling(['published', 'delivered']),
  connections: new Rolling(['open', 'opened /s', 'closed /s']),
  latency: new Rolling(['p50', 'p99']),
  bytes: new Rolling(['bytes out /s']),
};
const charts: Chart[] = [];
let snapshots = 0;

declare global {
  interface Window {
    /** What the browser test reads: snapshots taken, points per chart, the figures shown. */
    heraldDashboard?: { snapshots: () => number; points: () => number[]; aggregate: () => Aggregate | undefined };
  }
}
window.heraldDashboard = {
  snapshots: () => snapshots,
  points: () => charts.map((c) => c.points),
  aggregate: () => fleet.aggregate(Date.now()),
};

function showLogin(error = ''): void {
  byId('dashboard').hidden = true;
  byId('sign-out').hidden = true;
  byId('login').hidden = false;
  setText('status', 'signed out');
  byId('status').className = 'status';
  setText('login-error', error);
  byId<HTMLInputElement>('credential').focus();
}

/** Sign-in: checks the credential with one admin call before keeping it. */
byId<HTMLFormElement>('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = byId<HTMLInputElement>('credential');
  const c = parseCredential(input.value);
  if (!c) return;
  input.value = '';
  setText('login-error', 'checking…');
  api(c, 'GET', '/api/connections?limit=1')
    .then(() => {
      save(sessionStorage, c);
      start(c);
    })
    .catch((err: unknown) => showLogin(err instanceof ApiError && err.refused ? 'This is not an admin key or token of this server.' : String((err as Error).message)));
});

function start(c: Credential): void {
  byId('login').hidden = true;
  byId('dashboard').hidden = false;
  const signOut = byId<HTMLButtonElement>('sign-out');
  signOut.hidden = false;

  const refused = (why: string) => {
    herald.close();
    clear(sessionStorage);
    showLogin(why);
  };
  const onApiError = (e: unknown) => {
    if (e instanceof ApiError && e.refused) refused('The server refused the credential (expired token or removed key): enter it again.');
    else setText('message', String((e as Error).message));
  };
  const call: Call = (method, path) => api(c, method, path);
  const channels = new ChannelTable(call, byId('channels') as HTMLTableSectionElement, byId('channels-page'),
    byId('channels-prev'), byId('channels-next'), onApiError);
  const connections = new ConnectionTable(call, byId('connections') as HTMLTableSectionElement, byId('connections-page'),
    byId('connections-prev'), byId('connections-next'), onApiError);
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  byId<HTMLInputElement>('channel-search').addEventListener('input', (e) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => channels.search((e.target as HTMLInputElement).value), 250);
  });

  if (charts.length === 0) {
    charts.push(
      new Chart(byId('c-messages'), [
        { label: 'published', color: '#2f6fde', format: (v) => `${rate(v)}/s` },
        { label: 'delivered', color: '#1f9d55', format: (v) => `${rate(v)}/s` },
      ], series.messages),
      new Chart(byId('c-connections'), [
        { label: 'open', color: '#2f6fde', format: (v) => rate(v) },
        { label: 'opened /s', color: '#1f9d55', format: (v) => rate(v) },
        { label: 'closed /s', color: '#cc3b3b', format: (v) => rate(v) },
      ], series.connections),
      new Chart(byId('c-latency'), [
        { label: 'p50', color: '#1f9d55', format: millis },
        { label: 'p99', color: '#c47f00', format: millis },
      ], series.latency),
      new Chart(byId('c-bytes'), [{ label: 'bytes out', color: '#7a4fd6', format: (v) => `${bytes(v)}/s` }], series.bytes),
    );
  }

  const herald = new Herald({
    getToken: () =>
      webSocketToken(c).catch((e: unknown) => {
        if (e instanceof ApiError && (e.refused || e.code === 'bad_request')) {
          refused(e.code === 'bad_request' ? `${e.message}. Enter an admin token instead of the key.` : 'The server refused the key.');
        }
        throw e;
      }),
  });
  herald.on('status', (s: StatusEvent) => {
    const status = byId('status');
    status.className = `status ${s.status}`;
    status.textContent = s.status === 'connected' ? `live (${s.transport})` : s.status;
    if (s.status === 'connected') setText('message', '');
    if (s.status === 'disconnected' && s.code === 4001) refused('The server refused the token (expired or invalid): enter a credential again.');
  });
  herald.subscribe(STATS_CHANNEL, {
    onMessage: (m) => {
      onSnapshot(m.data as Snapshot);
      if (snapshots % TABLE_REFRESH_EVERY === 1) {
        void channels.refresh();
        void connections.refresh();
      }
    },
    onError: (e) => refused(e.code === 'forbidden' ? 'This token is not an admin token (admin: true).' : e.message),
  });
  herald.connect();
  void channels.refresh();
  void connections.refresh();
  signOut.onclick = () => refused('');
}

function onSnapshot(s: Snapshot): void {
  const now = Date.now();
  fleet.update(s, now);
  fleet.forget(now);
  snapshots++;
  const a = fleet.aggregate(now);
  if (!a) return;
  const r = a.rates;
  const t = s.ts / 1000;
  series.messages.push(t, [r?.published, r?.delivered]);
  series.connections.push(t, [a.connections, r?.opened, r?.closed]);
  series.latency.push(t, [a.latency.p50, a.latency.p99]);
  series.bytes.push(t, [r?.bytesOut]);
  for (const c of charts) c.update();
  tiles(a);
  busiest(a);
  closeCodes(a);
  nodes(now);
}

function tiles(a: Aggregate): void {
  const r = a.rates;
  setText('nodes-label', `${a.nodes} node${a.nodes === 1 ? '' : 's'}`);
  setText('t-connections', count(a.connections));
  setText('t-connections-sub', `+${rate(r?.opened)}/s · −${rate(r?.closed)}/s · ${count(a.sockets)} sockets`);
  setText('t-channels', count(a.channels.active));
  setText('t-channels-sub', `${count(a.channels.idle)} idle · ${count(a.channels.completed)} completed`);
  setText('t-published', rate(r?.published));
  setText('t-published-sub', `${count(a.messages.published)} total`);
  setText('t-delivered', rate(r?.delivered));
  setText('t-delivered-sub', `${count(a.messages.delivered)} total`);
  setText('t-coalesced', rate(r?.coalesced));
  setText('t-coalesced-sub', `${count(a.messages.coalesced)} total`);
  setText('t-dropped', rate(r?.dropped));
  setText('t-dropped-sub', `${count(a.messages.dropped)} total`);
  setText('t-frames', rate(r?.framesOut));
  setText('t-frames-sub', `${count(a.traffic.frames_out)} total`);
  setText('t-bytes', r ? bytes(r.bytesOut) : '–');
  setText('t-bytes-sub', `${bytes(a.traffic.bytes_out)} total`);
  setText('t-latency', a.latency.count ? `${millis(a.latency.p50)} · ${millis(a.latency.p99)}` : '–');
  setText('t-latency-sub', a.latency.count ? `max ${millis(a.latency.max)} · ${count(a.latency.count)} delivered` : 'nothing delivered');
  setText('t-lag', count(a.messages.lag_events));
  setText('t-lag-sub', `${rate(r?.lagEvents)}/s · ${count(a.messages.dropped)} dropped`);
  setText('t-slow', count(a.slowConsumers));
  setText('t-heartbeat', count(a.heartbeatTimeouts));
}

function busiest(a: Aggregate): void {
  byId('top').replaceChildren(
    ...(a.top.length
      ? a.top.map((t) => row([el('span', { class: 'name', title: t.channel }, t.channel), rate(t.per_second), count(t.subscribers), count(t.published)]))
      : [el('tr', {}, el('td', { class: 'empty', colspan: '4' }, 'nothing published in the last second'))]),
  );
}

function closeCodes(a: Aggregate): void {
  const codes = Object.entries(a.closedByCode).sort(([x], [y]) => x.localeCompare(y));
  byId('codes').replaceChildren(
    ...(codes.length
      ? codes.map(([code, n]) => row([el('span', { class: 'mono' }, code), CLOSE_CODES[code] ?? '', count(n)], { 'data-code': code }))
      : [el('tr', {}, el('td', { class: 'empty', colspan: '3' }, 'no connection closed yet'))]),
  );
}

function nodes(now: number): void {
  byId('nodes').replaceChildren(
    ...fleet.all(now).map((n) =>
      row([
        el('span', { class: 'mono' }, n.node),
        duration(n.latest.uptime_seconds),
        count(n.latest.connections?.active),
        rate(n.rates?.published),
        n.stale ? `${duration((now - n.seenAt) / 1000)} ago` : 'now',
      ], n.stale ? { class: 'stale' } : {}),
    ),
  );
}

const saved = load(sessionStorage);
if (saved) start(saved);
else showLogin();
