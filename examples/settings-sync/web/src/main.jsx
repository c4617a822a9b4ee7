// The settings page: every setting of the tenant's channel, from Herald's retained state on (a tab
// opened late shows the current values at once), changed by any tab through the example's backend
// and shown by every tab as it lands; a notice when a preset reloads many at once; the connection's
// status. Herald's React hooks do the subscribing and render at most once per animation frame.
import { useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { HeraldProvider, useChannel, useHeraldStatus } from 'herald/react';

const config = await (await fetch('/api/config')).json();

/** What tests can read: the number of settings at the first render that had any, and the renders. */
const page = (window.settingsPage = { firstCount: null, renders: 0 });

async function post(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (!r.ok) throw new Error((await r.json()).error?.message ?? r.statusText);
}

function Status() {
  const { status, transport, code } = useHeraldStatus();
  const text = status === 'connected' ? `connected (${transport})` : code ? `${status} (${code})` : status;
  return <span id="status" data-status={status}>{text}</span>;
}

function Editor({ keys }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = (e) => {
    e.preventDefault();
    post('/api/settings', { key: key || keys[0], value }).then(() => setError(''), (err) => setError(err.message));
  };
  return (
    <form onSubmit={submit}>
      <select id="setting-key" value={key || keys[0] || ''} onChange={(e) => setKey(e.target.value)}>
        {keys.map((k) => <option key={k}>{k}</option>)}
      </select>
      <input id="setting-value" value={value} onChange={(e) => setValue(e.target.value)} placeholder="new value" />
      <button type="submit">Save</button>
      {error && <small className="error">{error}</small>}
    </form>
  );
}

function Settings() {
  const { state, messages } = useChannel(config.channel, { limit: 20 });
  const settings = useMemo(() => Object.values(state).filter((m) => m.event === 'setting'), [state]);
  // only a reload that arrives while the tab is open is news; the retained one is history
  const reloaded = [...messages].reverse().find((m) => m.event === 'reloaded');
  const first = useRef(null);
  page.renders++;
  useEffect(() => {
    if (settings.length && page.firstCount === null) page.firstCount = settings.length;
    if (settings.length && first.current === null) first.current = Math.max(...settings.map((m) => m.offset));
  }, [settings]);
  const groups = new Map();
  for (const m of settings) {
    const group = m.data.key.split('.')[0];
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push(m);
  }
  return (
    <>
      <div className="toolbar">
        <Editor keys={settings.map((m) => m.data.key)} />
        {config.presets.map((p) => (
          <button key={p} id={`preset-${p}`} onClick={() => post(`/api/presets/${p}`)}>
            Apply preset “{p}” ({config.presetSize} settings)
          </button>
        ))}
        <small id="count">{settings.length} settings</small>
      </div>
      {reloaded && (
        <p id="notice" role="status">
          Settings reloaded: preset “{reloaded.data.preset}” changed {reloaded.data.count} settings at{' '}
          {new Date(reloaded.ts).toLocaleTimeString()}.
        </p>
      )}
      <div className="groups">
        {[...groups].map(([group, list]) => (
          <section className="group" key={group}>
            <h2>{group}</h2>
            {list.map((m) => (
              <div className={`row${first.current !== null && m.offset > first.current ? ' changed' : ''}`} key={m.data.key} data-key={m.data.key}>
                <span className="name">{m.data.key.split('.')[1]}</span>
                <span className="value">{m.data.value}</span>
              </div>
            ))}
          </section>
        ))}
      </div>
    </>
  );
}

function App() {
  const options = useMemo(() => ({ url: config.herald, getToken: () => fetch('/api/token').then((r) => r.text()) }), []);
  return (
    <HeraldProvider options={options}>
      <header>
        <h1>Settings of tenant “acme” <small>{config.channel}</small></h1>
        <Status />
      </header>
      <main>
        <Settings />
      </main>
    </HeraldProvider>
  );
}

createRoot(document.getElementById('root')).render(<App />);
