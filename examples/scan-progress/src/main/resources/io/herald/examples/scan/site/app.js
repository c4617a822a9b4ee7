// The scan page. It loads a scan's results so far from the example's backend (a snapshot with the
// channel position it goes up to), then subscribes to the scan's channel from that position with
// Herald's browser client: every message after the snapshot arrives once, in order, on the first
// load, after a reload, and across reconnects. What arrives in one network frame is drawn once.

const $ = (selector) => document.querySelector(selector);
const number = new Intl.NumberFormat('en');

/** What tests and curious developers can read: counts of what the page did. */
const page = (window.scanPage = { messages: 0, renders: 0, resets: 0, statuses: [], model: null });

const config = await (await fetch('/api/config')).json();
const { Herald } = await import(`${config.herald}/herald.js`);
const herald = new Herald({ url: config.herald, getToken: () => fetch('/api/token').then((r) => r.text()) }).connect();

herald.on('status', (s) => {
  page.statuses.push(s);
  const el = $('#status');
  el.dataset.status = s.status;
  el.textContent =
    s.status === 'connected' ? `connected (${s.transport})`
    : s.status === 'reconnecting' ? `reconnecting${s.code ? ` after ${s.code}` : ''}${s.delayMs !== undefined ? ` in ${(s.delayMs / 1000).toFixed(1)} s` : ''}`
    : s.status;
});

// --- which scan is shown -------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
/** The user picked a scan (in the URL or the table): do not follow newer ones. */
let pinned = params.has('scan');
/** The scan shown: its id, model and subscription; `generation` tells a stale load from the current one. */
let shown = { id: null, model: null, sub: null, generation: 0 };

async function show(id) {
  const generation = shown.generation + 1;
  shown.sub?.unsubscribe();
  shown = { id, model: null, sub: null, generation };
  const response = await fetch(`/api/scans/${id}`);
  if (!response.ok) return;
  const snapshot = await response.json();
  if (shown.generation !== generation) return; // another scan was chosen meanwhile
  const model = fromSnapshot(snapshot);
  shown.model = page.model = model;
  drawAll(model);
  if (snapshot.completed) return; // nothing more will come
  shown.sub = herald.subscribe(snapshot.channel, {
    since: snapshot.position,
    onMessage: (m) => {
      page.messages++;
      apply(model, m);
      redraw();
    },
    // the position could not be recovered (history lost): load the results again
    onReset: () => {
      page.resets++;
      if (shown.generation === generation) show(id);
    },
  });
}

$('#new-scan').addEventListener('click', async () => {
  const scan = await (await fetch('/api/scans', { method: 'POST' })).json();
  choose(scan.id);
});

function choose(id) {
  pinned = true;
  history.replaceState(null, '', `?scan=${id}`);
  show(id);
}

// --- the scan's model: the snapshot, then each message applied ------------------------------------

function fromSnapshot(s) {
  const hosts = new Map(s.hosts.map((h) => [h.ip, h]));
  return {
    hostList: [...hosts.values()],
    id: s.id,
    channel: s.channel,
    started: s.started,
    progress: s.progress,
    stats: s.stats,
    completed: s.completed,
    phases: s.phases,
    errors: s.errors,
    vulns: s.vulns,
    hosts,
    ports: s.hosts.reduce((n, h) => n + h.ports.length, 0),
    timelineChanged: true,
  };
}

function apply(model, m) {
  const e = { ...m.data, offset: m.offset, ts: m.ts };
  switch (m.event) {
    case 'scanStarted':
      model.started = e;
      model.timelineChanged = true;
      break;
    case 'phaseStarted':
      model.phases.push(e);
      model.timelineChanged = true;
      break;
    case 'error':
      model.errors.push(e);
      model.timelineChanged = true;
      break;
    case 'scanCompleted':
      model.completed = e;
      model.timelineChanged = true;
      break;
    case 'progress':
      model.progress = e;
      break;
    case 'stats':
      model.stats = e;
      break;
    case 'hostDiscovered': {
      const known = model.hosts.get(m.data.ip);
      if (known) Object.assign(known, m.data); // its ports came first
      else {
        const host = { ...m.data, ports: [] };
        model.hosts.set(host.ip, host);
        model.hostList.push(host);
      }
      break;
    }
    case 'portFound': {
      let host = model.hosts.get(m.data.ip);
      if (!host) {
        host = { ip: m.data.ip, ports: [] };
        model.hosts.set(host.ip, host);
        model.hostList.push(host);
      }
      host.ports.push({ port: m.data.port, service: m.data.service });
      model.ports++;
      break;
    }
    case 'vulnerabilityFound':
      model.vulns.push(e);
      break;
  }
}

// --- drawing: once per network frame ----------------------------------------------------------------

let drawing = false;
/** Draws what changed once the current task's messages are applied (a batch frame is one draw). */
function redraw() {
  if (drawing) return;
  drawing = true;
  queueMicrotask(() => {
    drawing = false;
    if (shown.model) draw(shown.model);
  });
}

function drawAll(model) {
  hostRows.scrollTop = 0;
  vulnRows.scrollTop = 0;
  model.timelineChanged = true;
  draw(model);
}

function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function draw(model) {
  page.renders++;
  const done = !!model.completed;
  const pct = done ? 100 : model.progress?.pct ?? 0;
  setText($('#scan-title'), `Scan ${model.id}${model.started ? ` · ${model.started.scanId}` : ''}`);
  setText($('#scan-target'), model.started ? `${model.started.target}, profile ${model.started.profile}, by ${model.started.startedBy}` : '');
  const state = $('#scan-state');
  state.dataset.state = done ? 'completed' : model.started ? 'running' : 'starting';
  setText(state, state.dataset.state);
  $('#progress-bar').style.width = `${pct}%`;
  $('.progress').setAttribute('aria-valuenow', pct.toFixed(0));
  setText($('#progress-pct'), `${pct.toFixed(1)} %`);
  const phase = model.phases.at(-1);
  setText($('#progress-phase'), phase ? `${phase.phase} (phase ${phase.index} of ${phase.of})` : '—');
  setText($('#progress-eta'), done ? '' : model.progress ? `about ${model.progress.etaSeconds} s left at real pace` : '');
  setText($('#count-hosts'), number.format(model.hosts.size));
  setText($('#count-ports'), number.format(model.ports));
  setText($('#count-vulns'), number.format(model.vulns.length));
  setText($('#count-errors'), number.format(model.errors.length));
  setText($('#count-packets'), number.format(model.stats?.packetsSent ?? 0));
  const completed = $('#completed');
  completed.hidden = !done;
  if (done) {
    const c = model.completed;
    setText(completed, `Completed: ${number.format(c.hostsUp)} hosts up, ${number.format(c.openPorts)} open ports, `
      + `${number.format(c.vulns)} vulnerabilities in ${c.durationSeconds} s of scanning.`);
  }
  hostRows.draw(model.hostList);
  vulnRows.draw(model.vulns);
  if (model.timelineChanged) drawTimeline(model);
}

/** A host's open ports by number; one found twice (two probes) shows as ×2. */
function ports(host) {
  const found = new Map();
  for (const p of host.ports) found.set(p.port, { ...p, n: (found.get(p.port)?.n ?? 0) + 1 });
  return [...found.values()].sort((a, b) => a.port - b.port).map((p) => `${p.port}/${p.service}${p.n > 1 ? ` ×${p.n}` : ''}`).join(' · ');
}

/**
 * A list of thousands of rows, newest first, of which only the visible ones are in the page: a new
 * host or port costs the same whether 10 or 2,000 are listed. Rows are `height` pixels high; each
 * shows `cells(item)`.
 */
function virtualList(container, height, cells) {
  const spacer = container.appendChild(document.createElement('div'));
  spacer.className = 'spacer';
  const rows = [];
  let items = [];
  // read once and on scroll or resize: reading them in draw() would force a layout per draw
  let top = 0;
  let fits = Math.ceil(container.clientHeight / height) + 1;
  const list = {
    set scrollTop(v) {
      container.scrollTop = top = v;
    },
    /** The items drawn, oldest first (the newest is drawn at the top). */
    get items() { return items; },
    draw(all) {
      items = all;
      spacer.style.height = `${all.length * height}px`;
      const first = Math.floor(top / height);
      const visible = Math.min(fits, Math.max(0, all.length - first));
      while (rows.length < visible) {
        const row = spacer.appendChild(document.createElement('div'));
        row.className = 'row';
        rows.push(row);
      }
      rows.forEach((row, i) => {
        const item = all[all.length - 1 - (first + i)];
        row.hidden = i >= visible;
        if (row.hidden) return;
        row.style.top = `${(first + i) * height}px`;
        const texts = cells(item);
        while (row.children.length < texts.length) row.append(document.createElement('span'));
        texts.forEach((t, j) => setText(row.children[j], t));
        if (item.severity) row.dataset.severity = item.severity;
      });
    },
  };
  container.addEventListener('scroll', () => {
    top = container.scrollTop;
    list.draw(items);
  }, { passive: true });
  new ResizeObserver(() => {
    fits = Math.ceil(container.clientHeight / height) + 1;
    list.draw(items);
  }).observe(container);
  return list;
}

const hostRows = virtualList($('#hosts'), 23, (h) => [h.ip, h.hostname ?? '', h.os ?? '', ports(h)]);
const vulnRows = virtualList($('#vulns'), 21, (v) => [v.severity, `${v.cve} ${v.title}`, `${v.ip}:${v.port} (CVSS ${v.cvss})`]);

/** Time since the scan started, as m:ss.s. */
function since(model, ts) {
  const s = Math.max(0, (ts - (model.started?.ts ?? ts)) / 1000);
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
}

function drawTimeline(model) {
  model.timelineChanged = false;
  const items = [];
  if (model.started) items.push({ at: model.started, kind: 'start', text: `scan started on ${model.started.target}` });
  model.phases.forEach((p, i) => {
    const next = model.phases[i + 1] ?? model.completed;
    const took = next ? ` · took ${((next.ts - p.ts) / 1000).toFixed(1)} s` : ' · running';
    items.push({ at: p, kind: next ? 'phase done' : 'phase', text: `${p.phase} (${p.method})${took}` });
  });
  for (const e of model.errors) items.push({ at: e, kind: 'error', text: `${e.code} ${e.ip}: ${e.message}${e.retrying ? ' (retrying)' : ''}` });
  if (model.completed) items.push({ at: model.completed, kind: 'done', text: 'scan completed' });
  items.sort((a, b) => a.at.offset - b.at.offset);
  $('#timeline').replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    li.className = item.kind;
    li.innerHTML = '<time></time> <span></span>';
    li.children[0].textContent = since(model, item.at.ts);
    li.children[1].textContent = item.text;
    return li;
  }));
}

// --- every scan, from the retained overview channel ------------------------------------------------

function drawOverview(o) {
  const s = o.summary;
  setText($('#overview-summary'), `${s.total} scans: ${s.active} running, ${s.completed} completed`
    + (s.completed ? `, ${s.averageElapsedSeconds.toFixed(1)} s on average` : '') + `; ${number.format(s.messages)} messages published.`);
  $('#overview').replaceChildren(...o.scans.map((scan) => {
    const tr = document.createElement('tr');
    tr.dataset.id = scan.id;
    if (scan.id === shown.id) tr.className = 'shown';
    const cells = [`${scan.channel}`, scan.state, `${scan.pct.toFixed(1)} %`, scan.hosts, scan.ports, scan.vulns, scan.errors,
      scan.published ?? 0, scan.delivered ?? 0, scan.coalesced ?? 0, scan.dropped ?? 0, scan.subscribers ?? 0,
      `${(scan.elapsedSeconds ?? 0).toFixed(1)} s`];
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = typeof c === 'number' ? number.format(c) : c;
      tr.append(td);
    }
    tr.addEventListener('click', () => choose(scan.id));
    return tr;
  }));
  // not pinned: follow the newest scan once the one shown is over
  const newest = o.scans[0];
  if (!pinned && newest && newest.id !== shown.id && (shown.id === null || shown.model?.completed)) show(newest.id);
}

herald.subscribe('scans:overview', {
  onState: (state) => state.forEach((m) => drawOverview(m.data)),
  onMessage: (m) => drawOverview(m.data),
});

// --- start: the scan in the URL, or the newest one --------------------------------------------------

const first = params.get('scan') ?? (await (await fetch('/api/scans')).json()).scans[0]?.id;
if (first !== undefined && shown.id === null) show(Number(first));
