// A page imports /herald.js, subscribes and shows messages. The server (disk history) is stopped and
// started again on the same port while messages are published: before the stop, in flight, and after
// the start before the page is back. The page reconnects by itself (after the shutdown's delay),
// resumes from its last offset and shows every message once, in order.
// Usage: node client-restart.mjs <base URL> <admin API key>; BrowserTest answers "@restart".
import { pageState, adminApi, checkLog, clientPage, control, deadline, launch, openPage, range } from './lib.mjs';

const [base, key] = process.argv.slice(2);
const channel = 'e2e:restart';
const { publish, subscribers } = adminApi(base, key);
const done = deadline();
const browser = await launch();
let problems = [];
let page;
try {
  page = await openPage(browser, base, '/e2e/restart.html', clientPage(channel));
  await page.waitForFunction(() => window.statuses.some((s) => s.status === 'connected'));
  await subscribers(channel);
  for (const n of range(10)) await publish(channel, n);
  await page.waitForFunction(() => window.log.length === 10);

  await Promise.all(range(10).map((i) => publish(channel, 10 + i))); // in flight at the stop
  await control('restart');
  for (const n of range(10)) await publish(channel, 20 + n); // the page is not back yet
  await page.waitForFunction(() => window.statuses.filter((s) => s.status === 'connected').length >= 2, null, { timeout: 30_000 });
  for (const n of range(10)) await publish(channel, 30 + n);
  await page.waitForFunction(() => window.log.length >= 40, null, { timeout: 20_000 });

  const statuses = await page.evaluate(() => window.statuses);
  const resets = await page.evaluate(() => window.resets);
  console.log(`statuses ${statuses.map((s) => s.status + (s.transport ? ' ' + s.transport : '') + (s.code ? ' ' + s.code : '') + (s.delayMs !== undefined ? ' in ' + s.delayMs + ' ms' : '')).join(', ')}`);
  if (!statuses.filter((s) => s.status === 'connected').every((s) => s.transport === 'websocket')) problems.push('a connection was not a WebSocket');
  problems.push(...(await checkLog(page, range(40))));
  if (resets.length) problems.push(`the page was told its position was lost: ${JSON.stringify(resets)}`);
  if (!statuses.some((s) => s.status === 'reconnecting' && s.code === 1001)) problems.push('no reconnect after a 1001 shutdown');
} catch (e) {
  problems.push(e.stack || String(e));
  if (page) problems.push(`page: ${await pageState(page)}`);
} finally {
  await browser.close();
  done();
}
problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
