// The browser goes through an HTTP proxy that refuses WebSocket tunnels (CONNECT), as some corporate
// proxies do, and forwards everything else. A page using /herald.js falls back to SSE by itself,
// shows the messages, and after its stream is cut resumes from its last offset: every message once.
// Usage: node client-sse-fallback.mjs <base URL> <admin API key>
import http from 'node:http';
import { pageState, adminApi, checkLog, clientPage, deadline, launch, openPage, range } from './lib.mjs';

const [base, key] = process.argv.slice(2);
const channel = 'e2e:fallback';
const { api, publish, subscribers } = adminApi(base, key);
const done = deadline();

let refusedTunnels = 0;
const proxy = http.createServer((req, res) => {
  // a proxy's request line holds the absolute URL; forward it as it is, streaming the answer
  const target = new URL(req.url);
  const upstream = http.request(
    { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
proxy.on('connect', (req, socket) => {
  refusedTunnels++;
  socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
});
await new Promise((r) => proxy.listen(0, '127.0.0.1', r));

// <-loopback> makes Chromium send requests to 127.0.0.1 through the proxy too
const browser = await launch([`--proxy-server=http://127.0.0.1:${proxy.address().port}`, '--proxy-bypass-list=<-loopback>']);
let problems = [];
let page;
try {
  page = await openPage(browser, base, '/e2e/fallback.html', clientPage(channel));
  await page.waitForFunction(() => window.statuses.some((s) => s.status === 'connected'), null, { timeout: 30_000 });
  await subscribers(channel);
  for (const n of range(5)) await publish(channel, n);
  await page.waitForFunction(() => window.log.length === 5);

  // cut the stream from the server's side, publish while the page is away
  const { connections } = await api('GET', `/api/connections?channel=${encodeURIComponent(channel)}`);
  if (connections.length !== 1) throw new Error(`expected one connection, got ${JSON.stringify(connections)}`);
  await api('DELETE', `/api/connections/${connections[0].id}`);
  for (const n of range(5)) await publish(channel, 5 + n);
  await page.waitForFunction(() => window.statuses.filter((s) => s.status === 'connected').length >= 2, null, { timeout: 20_000 });
  for (const n of range(5)) await publish(channel, 10 + n);
  await page.waitForFunction(() => window.log.length >= 15, null, { timeout: 20_000 });

  const statuses = await page.evaluate(() => window.statuses);
  console.log(`statuses ${statuses.map((s) => s.status + (s.transport ? ' ' + s.transport : '') + (s.code ? ' ' + s.code : '')).join(', ')}; WebSocket tunnels refused ${refusedTunnels}`);
  problems = await checkLog(page, range(15));
  if (refusedTunnels === 0) problems.push('the page never tried a WebSocket through the proxy');
  if (!statuses.filter((s) => s.status === 'connected').every((s) => s.transport === 'sse')) problems.push('a connection was not SSE');
  const resets = await page.evaluate(() => window.resets);
  if (resets.length) problems.push(`the page was told its position was lost: ${JSON.stringify(resets)}`);
} catch (e) {
  problems.push(e.stack || String(e));
  if (page) problems.push(`page: ${await pageState(page)}`);
} finally {
  await browser.close();
  proxy.close();
  done();
}
problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
