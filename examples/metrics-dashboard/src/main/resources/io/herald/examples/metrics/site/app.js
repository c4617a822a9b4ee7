// The dashboard page. It subscribes to the metrics channel with Herald's browser client, starting a
// few snapshots back (Herald replays them from the channel's history, so the charts start filled),
// draws each snapshot as a point of its charts, shows the connection's status from the client's
// status events, and Herald's health from its /health endpoint.
import { lineChart } from './chart.js';

const $ = (selector) => document.querySelector(selector);
const number = new Intl.NumberFormat('en');
const setText = (el, text) => el.textContent !== text && (el.textContent = text);

/** What tests and curious developers can read. */
const page = (window.dashboard = { snapshots: [], statuses: [], resets: 0, health: null });

const config = await (await fetch('/api/config')).json();
const { Herald } = await import(`${config.herald}/herald.js`);

const charts = {
  rps: lineChart($('#chart-rps'), { series: [{ name: 'all PoPs', color: '#2f6fdf' }], format: (v) => number.format(v) }),
  latency: lineChart($('#chart-latency'), {
    series: [{ name: 'p50', color: '#1f9d55' }, { name: 'p95', color: '#c77c02' }, { name: 'p99', color: '#d64545' }],
  }),
  errors: lineChart($('#chart-errors'), { series: [{ name: 'errors', color: '#d64545' }], format: (v) => v.toFixed(2) }),
};
page.charts = charts;

// --- the connection, as the client reports it -----------------------------------------------------

const connection = { connectedAt: null, reconnects: 0, wasConnected: false };

function showStatus(s) {
  page.statuses.push(s);
  const badge = $('#status');
  badge.dataset.status = s.status;
  const text =
    s.status === 'connected' ? `connected (${s.transport})`
    : s.status === 'reconnecting' ? `reconnecting${s.delayMs !== undefined ? ` in ${(s.delayMs / 1000).toFixed(1)} s` : ''}`
    : s.status;
  setText(badge, text);
  setText($('#conn-status'), text);
  if (s.status === 'connected') {
    if (connection.wasConnected) connection.reconnects++;
    connection.wasConnected = true;
    connection.connectedAt = Date.now();
    setText($('#conn-transport'), s.transport);
  } else {
    connection.connectedAt = null;
  }
  // why the last connection ended: its close code (1006 a network failure, 4002 a dead server) or the reason (offline)
  if (s.code !== undefined || s.reason) setText($('#conn-close'), [s.code, s.reason].filter((x) => x !== undefined && x !== '').join(' '));
  setText($('#conn-reconnects'), String(connection.reconnects));
  tickClock();
}

const herald = new Herald({ url: config.herald, getToken: () => fetch('/api/token').then((r) => r.text()) });
herald.on('status', showStatus);
herald.connect();

// --- snapshots ---------------------------------------------------------------------------------------

let drawing = false;

herald.subscribe(config.channel, {
  since: config.since, // a few snapshots back: Herald sends them from history, then the live ones
  onMessage: (m) => {
    page.snapshots.push({ offset: m.offset, seq: m.data.seq, ts: m.data.ts });
    const t = m.data.totals;
    charts.rps.add(m.data.ts, [t.requestsPerSecond]);
    charts.latency.add(m.data.ts, [t.p50Ms, t.p95Ms, t.p99Ms]);
    charts.errors.add(m.data.ts, [t.errorRate]);
    page.latest = m.data;
    // the backfill comes as one frame of many snapshots: draw once, after all of them
    if (!drawing) {
      drawing = true;
      queueMicrotask(() => {
        drawing = false;
        draw(page.latest);
      });
    }
  },
  // the position could not be recovered (a restarted Herald): the charts go on from the live snapshots
  onReset: () => page.resets++,
});

function draw(s) {
  Object.values(charts).forEach((c) => c.draw());
  const t = s.totals;
  setText($('#kpi-rps'), number.format(t.requestsPerSecond));
  setText($('#kpi-errors'), `${t.errorRate.toFixed(2)} %`);
  setText($('#kpi-p95'), `${t.p95Ms.toFixed(0)} ms`);
  setText($('#kpi-cache'), `${t.cacheHit.toFixed(1)} %`);
  setText($('#kpi-pops'), `${t.popsUp} of ${t.popsTotal}`);
  $('#kpi-pops').dataset.alert = t.popsUp < t.popsTotal || t.regressions > 0 ? 'yes' : 'no';
  setText($('#conn-snapshots'), number.format(page.snapshots.length));
  const rows = $('#pops');
  while (rows.children.length < s.pops.length) {
    const tr = rows.insertRow();
    for (let i = 0; i < 9; i++) tr.insertCell();
  }
  s.pops.forEach((p, i) => {
    const tr = rows.children[i];
    tr.dataset.status = p.status;
    [p.id, p.city, p.status, number.format(p.rps), `${p.errorRate.toFixed(2)} %`, p.p50Ms.toFixed(0), p.p95Ms.toFixed(0),
      p.p99Ms.toFixed(0), `${p.cacheHit.toFixed(1)} %`].forEach((text, j) => setText(tr.cells[j], text));
  });
  tickClock();
}

// --- clocks: how long connected, how old the latest snapshot -------------------------------------------

function ago(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function tickClock() {
  setText($('#conn-since'), connection.connectedAt ? ago(Date.now() - connection.connectedAt) : '—');
  if (page.latest) setText($('#updated'), `snapshot #${page.latest.seq}, ${ago(Date.now() - page.latest.ts)} ago`);
}
setInterval(tickClock, 1000);

// --- health: Herald's /health and what the publisher did ------------------------------------------------

async function health() {
  try {
    const r = await fetch(`${config.herald}/health`);
    const h = await r.json();
    page.health = h;
    setText($('#health-status'), `${h.status} (HTTP ${r.status}, ${h.server})`);
    $('#health-status').dataset.ok = String(r.ok);
    setText($('#health-engine'), `${h.engine.type}, ${h.engine.up ? 'up' : `down: ${h.engine.detail}`}`);
    setText($('#health-connections'), `${h.connections.active} open, ${h.connections.total} since start`);
  } catch (e) {
    page.health = null;
    setText($('#health-status'), 'unreachable');
    $('#health-status').dataset.ok = 'false';
  }
  try {
    const p = await (await fetch('/api/publisher')).json();
    setText($('#health-publisher'), `${p.published} snapshots sent, ${p.skipped} skipped while nobody watched; `
      + `${p.watching} watching now; every ${p.intervalMs / 1000} s`);
  } catch (e) {
    setText($('#health-publisher'), 'unreachable');
  }
}
health();
setInterval(health, Math.min(5000, Math.max(1000, config.intervalMs)));
