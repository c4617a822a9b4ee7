// The task queue page of one user (?user=alice). It shows the lifecycle of every task
// (tasks:queue), the queue's counts (queue:status, retained: shown at once on load) and the user's
// own notifications (user:<id>, which Herald lets only this user read). With "progress events"
// unchecked, the page subscribes to the lifecycle without them: Herald filters them out on its side.

const $ = (selector) => document.querySelector(selector);
const params = new URLSearchParams(location.search);
const user = params.get('user') || 'alice';
const LIFECYCLE = ['queued', 'started', 'completed', 'failed'];

/** What tests can read: every lifecycle event and notification received, in order. */
const page = (window.taskPage = { user, events: [], notifications: [], herald: null });

$('#user').textContent = user;
$('#user-channel').textContent = `user:${user}`;
$('#show-progress').checked = params.get('progress') !== 'off';

const config = await (await fetch('/api/config')).json();
const { Herald } = await import(`${config.herald}/herald.js`);
const herald = (page.herald = new Herald({
  url: config.herald,
  getToken: () => fetch(`/api/token?user=${encodeURIComponent(user)}`).then((r) => r.text()),
}).connect());

herald.on('status', (s) => {
  const el = $('#status');
  el.dataset.status = s.status;
  el.textContent = s.status === 'connected' ? `connected (${s.transport})` : s.status;
});

// --- the queue's counts ----------------------------------------------------------------------------

const showCounts = (counts) => {
  for (const [state, n] of Object.entries(counts)) {
    const el = document.getElementById(`count-${state}`);
    if (el) el.textContent = n;
  }
};
herald.subscribe('queue:status', {
  onState: (state) => state.forEach((m) => showCounts(m.data)),
  onMessage: (m) => showCounts(m.data),
});

// --- the lifecycle, with or without progress events -------------------------------------------------

const rows = new Map();
function row(task) {
  let tr = rows.get(task.id);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.task = task.id;
    tr.innerHTML = '<td></td><td></td><td></td><td class="state"></td><td><div class="bar"><div></div></div></td>';
    tr.cells[0].textContent = task.id;
    tr.cells[1].textContent = task.name;
    tr.cells[2].textContent = task.user;
    $('#tasks tbody').prepend(tr);
    rows.set(task.id, tr);
  }
  return tr;
}
function apply(m) {
  page.events.push({ task: m.data.id, event: m.event, offset: m.offset, pct: m.data.pct });
  const tr = row(m.data);
  const state = m.event === 'progress' ? `running ${m.data.pct} %` : m.data.state;
  tr.cells[3].textContent = state;
  tr.cells[3].className = `state state-${m.data.state}`;
  const pct = m.event === 'completed' || m.event === 'failed' ? 100 : m.event === 'progress' ? m.data.pct : 0;
  tr.querySelector('.bar > div').style.width = `${pct}%`;
}

let lifecycle;
function subscribeLifecycle() {
  lifecycle?.unsubscribe();
  const events = $('#show-progress').checked ? [...LIFECYCLE, 'progress'] : LIFECYCLE;
  $('#events-hint').textContent = `subscribed to tasks:queue with events: ${events.join(', ')}`;
  page.subscribedEvents = events;
  lifecycle = herald.subscribe('tasks:queue', { events, onMessage: apply });
}
$('#show-progress').addEventListener('change', subscribeLifecycle);
subscribeLifecycle();

// --- this user's notifications -----------------------------------------------------------------------

herald.subscribe(`user:${user}`, {
  onMessage(m) {
    page.notifications.push(m.data);
    const li = document.createElement('li');
    li.className = m.data.level;
    li.textContent = m.data.text;
    $('#notifications').prepend(li);
  },
});

// --- submitting ---------------------------------------------------------------------------------------

async function submit(fail) {
  const name = $('#task-name').value.trim() || 'task';
  const r = await fetch('/api/tasks', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, name, fail }),
  });
  if (!r.ok) alert(`not submitted: ${(await r.json()).error?.message}`);
}
$('#task-form').addEventListener('submit', (e) => {
  e.preventDefault();
  submit(false);
});
$('#submit-failing').addEventListener('click', () => submit(true));
