// The dashboard at / (issue 14 item 1): it asks for the admin key, then shows live figures that change
// while messages are published (counters, rates, chart points), finds channels by search, lists a
// WebSocket opened here and closes it with its Disconnect button (the socket sees close code 1000); a
// screenshot at 1280×800 goes to the path given (the README's docs/dashboard.png when refreshed).
// Usage: node dashboard.mjs <base URL> <admin API key> <screenshot path>
import { adminApi, deadline, launch, openPage } from './lib.mjs';

const [base, key, screenshot] = process.argv.slice(2);
const { api } = adminApi(base, key);
const done = deadline(120_000);
const browser = await launch();
const problems = [];
let page;
const check = (ok, what) => {
  if (!ok) problems.push(what);
};
const publishing = { on: true };

/** Publishes to a few channels at different rates until stopped, as a live system would. */
async function publishLoop() {
  let n = 0;
  while (publishing.on) {
    n++;
    const batch = [{ channel: 'scan:42', event: 'progress', key: 'progress', data: { pct: n % 100 } },
      { channel: 'orders:eu', event: 'created', data: { n } }];
    if (n % 2 === 0) batch.push({ channel: 'settings:team-7', event: 'changed', data: { n } });
    if (n % 4 === 0) batch.push({ channel: 'e2e:dash', event: 'tick', data: { n } });
    await api('POST', '/api/publish', batch);
    await new Promise((r) => setTimeout(r, 40));
  }
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['local-network-access'] });
  // subscribers in another page: WebSockets of this origin, as a browser application would open them
  const clients = await openPage(context, base, '/e2e/subscribers.html', `<!doctype html><meta charset="utf-8"><title>subscribers</title>
<script>
  window.sockets = {};
  window.openSocket = (name, channel) => new Promise((resolve) => {
    const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws/' + channel);
    const s = (window.sockets[name] = { id: null, code: null, messages: 0 });
    ws.onmessage = (e) => {
      const f = JSON.parse(e.data);
      if (f.type === 'welcome') { s.id = f.connectionId; resolve(f.connectionId); }
      if (f.type === 'message') s.messages++;
      if (f.type === 'batch') s.messages += f.messages.length;
      if (f.type === 'ping') ws.send('{"type":"pong"}');
    };
    ws.onclose = (e) => { s.code = e.code; };
  });
</script>`);
  for (const [name, channel] of [['a', 'scan:42'], ['b', 'orders:eu'], ['c', 'orders:eu'], ['d', 'settings:team-7']]) {
    await clients.evaluate(([n, ch]) => window.openSocket(n, ch), [name, channel]);
  }
  const victim = await clients.evaluate(() => window.openSocket('victim', 'e2e:dash'));

  page = await context.newPage();
  page.on('console', (m) => console.log(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  const response = await page.goto(`${base}/`);
  check(response.status() === 200, `GET / answered ${response.status()}`);
  await page.locator('#credential').waitFor({ state: 'visible' });

  // a wrong key is refused on the page, and the right one opens the dashboard
  await page.fill('#credential', 'not-the-key-0123456789');
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => /not an admin key/.test(document.querySelector('#login-error').textContent));
  await page.fill('#credential', key);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#status').classList.contains('connected'), null, { timeout: 20_000 });
  check(!page.url().includes(key), 'the key is in the URL');
  check((await page.evaluate(() => sessionStorage.length)) === 1, 'the key is not in sessionStorage');
  await page.waitForFunction(() => window.heraldDashboard.snapshots() >= 2, null, { timeout: 20_000 });
  const before = await page.evaluate(() => ({
    published: window.heraldDashboard.aggregate().messages.published,
    text: document.querySelector('#t-published-sub').textContent,
    points: window.heraldDashboard.points(),
  }));

  // publish while watching: the totals, the rates and the charts move
  const load = publishLoop().catch((e) => problems.push(`publishing failed: ${e.message}`));
  await page.waitForFunction(() => window.heraldDashboard.aggregate()?.rates?.published > 10, null, { timeout: 20_000 });
  await page.waitForFunction((p) => window.heraldDashboard.points().every((n, i) => n >= p[i] + 3), before.points, { timeout: 20_000 });
  const during = await page.evaluate(() => ({
    published: window.heraldDashboard.aggregate().messages.published,
    text: document.querySelector('#t-published-sub').textContent,
    rate: document.querySelector('#t-published').textContent,
    top: [...document.querySelectorAll('#top tr td:first-child')].map((td) => td.textContent),
    connections: document.querySelector('#t-connections').textContent,
  }));
  console.log(`published ${before.published} -> ${during.published} (${before.text} -> ${during.text}, ${during.rate}/s); points ${before.points} -> ${await page.evaluate(() => window.heraldDashboard.points())}; busiest ${during.top}`);
  check(during.published > before.published, 'the published total did not grow');
  check(during.text !== before.text, 'the published tile did not change');
  check(during.rate !== '0' && during.rate !== '–', `the published rate shows ${during.rate}`);
  check(during.top.includes('orders:eu') && during.top.includes('scan:42'), `busiest channels: ${during.top}`);
  check(Number(during.connections) >= 6, `connections tile shows ${during.connections}`);

  // the channel table finds channels by search
  await page.fill('#channel-search', 'ORDERS');
  await page.waitForFunction(() => [...document.querySelectorAll('#channels tr')].map((r) => r.dataset.channel).join() === 'orders:eu', null, { timeout: 10_000 });

  // the victim's connection is listed; its Disconnect button really closes it
  const button = page.locator(`button.disconnect[data-connection="${victim}"]`);
  await button.waitFor({ state: 'visible', timeout: 10_000 });
  await button.click();
  await clients.waitForFunction(() => window.sockets.victim.code !== null, null, { timeout: 10_000 });
  const code = await clients.evaluate(() => window.sockets.victim.code);
  check(code === 1000, `the disconnected socket closed with ${code}, expected 1000`);
  await page.locator(`tr[data-connection="${victim}"]`).waitFor({ state: 'detached', timeout: 10_000 });
  check((await clients.evaluate(() => window.sockets.a.code)) === null, 'another connection closed too');
  const still = await api('GET', '/api/connections');
  check(!still.connections.some((c) => c.id === victim), 'the server still lists the disconnected connection');
  await page.waitForFunction(() => document.querySelector('#codes [data-code="1000"]') !== null, null, { timeout: 10_000 });

  // a few more seconds of traffic, so the picture shows charts that moved
  await page.fill('#channel-search', '');
  await page.waitForFunction(() => window.heraldDashboard.points()[0] >= 12, null, { timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('#channels tr[data-channel]').length >= 4, null, { timeout: 10_000 });
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
  publishing.on = false;
  await load;
} catch (e) {
  problems.push(e.stack || String(e));
  if (page) {
    problems.push(`page: ${await page.evaluate(() => JSON.stringify({
      status: document.querySelector('#status').textContent,
      message: document.querySelector('#message').textContent,
      loginError: document.querySelector('#login-error').textContent,
      snapshots: window.heraldDashboard?.snapshots(),
      points: window.heraldDashboard?.points(),
    })).catch((x) => x.message)}`);
    await page.screenshot({ path: screenshot }).catch(() => {});
  }
} finally {
  publishing.on = false;
  await browser.close();
  done();
}
problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
