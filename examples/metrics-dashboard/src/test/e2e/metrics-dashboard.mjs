// The metrics dashboard example in Chromium (run by MetricsDashboardBrowserTest against a running
// example whose publisher ticks every 500 ms).
//
//   node metrics-dashboard.mjs <page URL> <screenshot.png>
//
// 1. Nobody watches: the publisher's ticks go by and it publishes nothing.
// 2. A page opens: a snapshot arrives at once, then one per tick, each a new point of the charts;
//    the connection and health views say connected and ok.
// 3. The browser goes offline and back: the connection view shows it, and the page carries on.
// 4. The screenshot; the page closes: ticks go by and nothing is published.
// 5. A page opened later starts with the last snapshots from Herald's history in its charts.
import { deadline, launch } from '../../../../../e2e/lib.mjs';

const [site, screenshot] = process.argv.slice(2);
const done = deadline(150_000);
const browser = await launch();
const problems = [];
const check = (ok, what) => ok || problems.push(what);

const publisher = async () => (await fetch(`${site}/api/publisher`)).json();
/** Polls `probe` until `ok(value)`; returns the value. */
async function until(probe, ok, what, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: not after ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('console', (m) => m.type() !== 'log' && console.log(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(site);
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.status === 'connected');
  return { context, page };
}

const snapshots = (page) => page.evaluate(() => window.dashboard.snapshots.map((s) => s.seq));
const text = (page, selector) => page.textContent(selector);

try {
  // 1. nobody watches
  const idle = await publisher();
  check(idle.published === 0 && idle.watching === 0, `before any page: ${JSON.stringify(idle)}`);
  const later = await until(publisher, (p) => p.ticks >= idle.ticks + 3, '3 ticks');
  check(later.published === 0, `published ${later.published} snapshots while nobody watched`);

  // 2. a page opens
  const { context, page } = await open();
  await page.waitForFunction(() => window.dashboard.snapshots.length >= 1, null, { timeout: 10_000 });
  const start = await publisher();
  check(start.watching === 1, `watching: ${start.watching}`);
  await until(publisher, (p) => p.ticks >= start.ticks + 5, '5 more ticks');
  const ticked = await publisher();
  await page.waitForFunction((n) => window.dashboard.snapshots.length >= n, ticked.published, { timeout: 10_000 });
  const seqs = await snapshots(page);
  console.log(`${ticked.ticks} ticks, ${ticked.published} published, ${ticked.skipped} skipped; the page has snapshots ${seqs.join(',')}`);
  check(JSON.stringify(seqs) === JSON.stringify(seqs.map((_, i) => i + 1)), `snapshots not 1..n in order: ${seqs}`);
  check(seqs.length === ticked.published, `the page has ${seqs.length} snapshots, the publisher sent ${ticked.published}`);
  check(ticked.published === ticked.ticks - ticked.skipped + 1, 'one snapshot per tick while watched, and one on arrival');
  const charts = await page.evaluate(() => {
    const c = window.dashboard.charts;
    return { n: window.dashboard.snapshots.length, points: [c.rps, c.latency, c.errors].map((x) => x.points.length),
      drawn: document.querySelector('#chart-rps').dataset.points };
  });
  check(charts.points.every((n) => n === charts.n), `chart points ${charts.points}, expected ${charts.n} each`);
  check(charts.drawn === String(charts.n), `the requests chart draws ${charts.drawn} points of ${charts.n}`);
  check((await page.locator('#chart-latency path').count()) === 3, 'three latency lines');
  check((await page.locator('#pops tr').count()) === 16, 'sixteen points of presence');
  check((await text(page, '#conn-status')) === 'connected (websocket)', `status ${await text(page, '#conn-status')}`);
  await page.waitForFunction(() => window.dashboard.health?.status === 'ok', null, { timeout: 10_000 });
  check((await text(page, '#health-engine')) === 'memory, up', `engine ${await text(page, '#health-engine')}`);
  await page.waitForFunction(() => /watching now/.test(document.querySelector('#health-publisher').textContent), null, { timeout: 10_000 });

  // 3. offline and back
  await context.setOffline(true);
  await page.waitForFunction(() => document.querySelector('#status').dataset.status === 'reconnecting', null, { timeout: 10_000 });
  console.log(`offline: ${await text(page, '#status')} ${JSON.stringify(await page.evaluate(() => window.dashboard.statuses.at(-1)))}`);
  await until(publisher, (p) => p.watching === 0, 'the server sees the page gone');
  await context.setOffline(false);
  await page.waitForFunction(() => document.querySelector('#status').dataset.status === 'connected', null, { timeout: 20_000 });
  check((await text(page, '#conn-reconnects')) === '1', `reconnects: ${await text(page, '#conn-reconnects')}`);
  const back = await until(publisher, (p) => p.watching === 1, 'the page is back');
  await page.waitForFunction((n) => window.dashboard.snapshots.length >= n + 3, back.published, { timeout: 10_000 });
  const after = await snapshots(page);
  check(JSON.stringify(after) === JSON.stringify(after.map((_, i) => i + 1)), `after reconnecting, snapshots not 1..n: ${after}`);

  // 4. the screenshot, once the charts have a few points; the page closes
  await page.waitForFunction(() => window.dashboard.snapshots.length >= 24, null, { timeout: 30_000 });
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
  await context.close();
  const closed = await until(publisher, (p) => p.watching === 0, 'the server sees the page closed');
  const quiet = await until(publisher, (p) => p.ticks >= closed.ticks + 4, '4 ticks after the page closed');
  check(quiet.published === closed.published, `published ${quiet.published - closed.published} snapshots after the page closed`);
  check(quiet.skipped >= closed.skipped + 4, 'the ticks after the page closed were skipped');

  // 5. a page opened later starts from Herald's history
  const late = await open();
  await late.page.waitForFunction(() => window.dashboard.snapshots.length >= 25, null, { timeout: 10_000 });
  const backfill = await snapshots(late.page);
  console.log(`a late page starts with snapshots ${backfill[0]}..${backfill.at(-1)}`);
  const first = Math.max(1, quiet.published - 29);
  check(backfill[0] === first, `the late page's first snapshot is #${backfill[0]}, expected the 30th latest (#${first})`);
  check(JSON.stringify(backfill) === JSON.stringify(backfill.map((_, i) => first + i)), `the late page's snapshots are not in order: ${backfill}`);
  await late.context.close();
} catch (e) {
  problems.push(e.stack || String(e));
} finally {
  await browser.close();
  done();
}
problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
