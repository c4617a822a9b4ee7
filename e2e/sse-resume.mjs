// A page reads a channel with EventSource; the server cuts the stream; messages are published
// meanwhile; the page resumes on its own (the browser's Last-Event-ID) and ends with every message
// exactly once, in order. Usage: node sse-resume.mjs <base URL> <admin API key>
import { chromium } from 'playwright-core';

const [base, key] = process.argv.slice(2);
const channel = 'e2e:sse';
const deadline = setTimeout(() => { console.error('scenario timed out'); process.exit(1); }, 60_000);

async function api(method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: { 'X-Api-Key': key, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const publish = (n) => api('POST', '/api/publish', { channel, event: 'tick', data: { n } });

const page_html = `<!doctype html><meta charset="utf-8"><title>SSE resume</title>
<script>
  window.offsets = []; window.opens = 0; window.subscribed = [];
  const es = new EventSource('/sse?channel=${channel}');
  es.onopen = () => { window.opens++; };
  es.addEventListener('subscribed', (e) => window.subscribed.push(JSON.parse(e.data)));
  es.onmessage = (e) => window.offsets.push(JSON.parse(e.data).offset);
</script>`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
try {
  const page = await browser.newPage();
  // the page is served at Herald's origin, so its EventSource is same-origin
  await page.route('**/e2e/sse.html', (route) => route.fulfill({ contentType: 'text/html', body: page_html }));
  await page.goto(base + '/e2e/sse.html');
  await page.waitForFunction(() => window.subscribed.length === 1);

  for (let i = 1; i <= 5; i++) await publish(i);
  await page.waitForFunction(() => window.offsets.length === 5);

  // cut the stream from the server's side, then publish while the page is away
  const { connections } = await api('GET', `/api/connections?channel=${encodeURIComponent(channel)}`);
  if (connections.length !== 1) throw new Error(`expected one connection, got ${JSON.stringify(connections)}`);
  await api('DELETE', `/api/connections/${connections[0].id}`);
  for (let i = 6; i <= 15; i++) await publish(i);

  // the browser reconnects by itself with Last-Event-ID and gets what it missed, then live ones
  await page.waitForFunction(() => window.opens >= 2 && window.subscribed.length >= 2, null, { timeout: 20_000 });
  for (let i = 16; i <= 20; i++) await publish(i);
  await page.waitForFunction(() => window.offsets.length >= 20, null, { timeout: 20_000 });

  const offsets = await page.evaluate(() => window.offsets);
  const subscribed = await page.evaluate(() => window.subscribed);
  const expected = Array.from({ length: 20 }, (_, i) => i + 1);
  const resumed = subscribed[subscribed.length - 1];
  console.log(`offsets ${JSON.stringify(offsets)}; reconnects ${subscribed.length - 1}; resumed ${JSON.stringify(resumed)}`);
  if (JSON.stringify(offsets) !== JSON.stringify(expected)) {
    failed = true;
    console.error(`expected ${JSON.stringify(expected)}`);
  }
  if (!resumed.recovered) {
    failed = true;
    console.error('the reconnect was not recovered');
  }
} catch (e) {
  failed = true;
  console.error(e.stack || String(e));
} finally {
  await browser.close();
  clearTimeout(deadline);
}
process.exit(failed ? 1 : 0);
