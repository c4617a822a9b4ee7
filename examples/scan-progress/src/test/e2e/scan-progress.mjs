// The scan progress example in Chromium (run by ScanProgressBrowserTest against a running example).
//
//   node scan-progress.mjs <page URL> reload <screenshot.png>
//     The page starts a scan with its button, is reloaded mid-scan, and ends on the final state with
//     every host, port, vulnerability, phase and error exactly once (checked against the backend's
//     results); a second scan shows up in the overview of every scan; the screenshot is taken
//     mid-way through the second scan.
//   node scan-progress.mjs <page URL> measure <label>
//     The page's main-thread time (script, layout, style) over one whole scan, from Chromium's own
//     performance metrics, printed as a line "RESULT {json}".
import { deadline, launch } from '../../../../../e2e/lib.mjs';

const [site, mode, arg] = process.argv.slice(2);
const done = deadline(mode === 'measure' ? 240_000 : 120_000);
const browser = await launch();
const problems = [];
const check = (ok, what) => ok || problems.push(what);

async function open() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('console', (m) => m.type() !== 'log' && console.log(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(site);
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.status === 'connected');
  return page;
}

const scanState = (page) => page.evaluate(() => {
  const m = window.scanPage.model;
  const text = (id) => document.getElementById(id).textContent;
  return m && {
    id: m.id,
    pct: m.completed ? 100 : m.progress?.pct ?? 0,
    completed: !!m.completed,
    counts: [text('count-hosts'), text('count-ports'), text('count-vulns'), text('count-errors')],
    // the lists draw only their visible rows; their height says how many they hold
    rows: parseInt(document.querySelector('#hosts .spacer').style.height, 10) / 23,
    vulnItems: parseInt(document.querySelector('#vulns .spacer').style.height, 10) / 21,
    topRow: document.querySelector('#hosts .row:not([hidden]) span')?.textContent,
    newestHost: m.hostList.at(-1)?.ip,
    timeline: [...document.querySelectorAll('#timeline li')].map((li) => li.className),
    bar: document.querySelector('#progress-bar').style.width,
    completedText: document.querySelector('#completed').hidden ? null : text('completed'),
    resets: window.scanPage.resets,
  };
});

/** The page's results in a canonical form, to compare with the backend's. */
const pageResults = (page) => page.evaluate(() => {
  const m = window.scanPage.model;
  return JSON.stringify({
    hosts: [...m.hosts.values()].map((h) => [h.ip, h.hostname, h.os, h.ports.map((p) => `${p.port}/${p.service}`).sort()]).sort(),
    vulns: m.vulns.map((v) => v.offset).sort((a, b) => a - b),
    errors: m.errors.map((e) => e.offset),
    phases: m.phases.map((p) => p.offset),
  });
});

async function backendResults(id) {
  const s = await (await fetch(`${site}/api/scans/${id}`)).json();
  return JSON.stringify({
    hosts: s.hosts.map((h) => [h.ip, h.hostname, h.os, h.ports.map((p) => `${p.port}/${p.service}`).sort()]).sort(),
    vulns: s.vulns.map((v) => v.offset).sort((a, b) => a - b),
    errors: s.errors.map((e) => e.offset),
    phases: s.phases.map((p) => p.offset),
  });
}

const waitFor = (page, fn, arg, timeout = 60_000) => page.waitForFunction(fn, arg, { timeout, polling: 100 });

try {
  if (mode === 'reload') {
    const page = await open();
    await page.click('#new-scan');
    await waitFor(page, () => (window.scanPage.model?.progress?.pct ?? 0) >= 35);
    const before = await scanState(page);
    console.log(`reloading at ${before.pct} %: ${before.counts.join(' / ')} (hosts / ports / vulns / errors)`);
    check(page.url().endsWith('?scan=1'), `the page's address names its scan: ${page.url()}`);
    await page.reload();
    await waitFor(page, () => !!window.scanPage.model?.completed);
    const after = await scanState(page);
    console.log(`after the reload: ${JSON.stringify(after)}`);
    check(after.id === 1, 'the reloaded page shows scan 1');
    check(JSON.stringify(after.counts) === JSON.stringify(['2,000', '8,000', '500', '2']), `final counts ${after.counts}, expected 2,000 / 8,000 / 500 / 2`);
    check(after.rows === 2000, `${after.rows} host rows, expected 2,000`);
    check(after.vulnItems === 500, `${after.vulnItems} vulnerabilities listed, expected 500`);
    check(after.topRow === after.newestHost, `the top row shows ${after.topRow}, not the newest host ${after.newestHost}`);
    check(after.bar === '100%', `the bar is at ${after.bar}`);
    check(after.completedText?.includes('2,000 hosts up, 8,000 open ports, 500 vulnerabilities'), `completion: ${after.completedText}`);
    const kinds = after.timeline.join(',');
    check(kinds === 'start,phase done,phase done,error,error,phase done,done', `timeline ${kinds}`);
    check(after.resets === 0, `${after.resets} resets`);
    const [mine, theirs] = [await pageResults(page), await backendResults(1)];
    check(mine === theirs, "the page's hosts, ports, vulnerabilities, phases and errors differ from the backend's");

    // a second scan: the overview of every scan adds it up
    await page.click('#new-scan');
    await waitFor(page, () => window.scanPage.model?.id === 2 && (window.scanPage.model.progress?.pct ?? 0) >= 60);
    await waitFor(page, () => document.querySelectorAll('#overview tr').length === 2 && document.querySelector('#overview tr.shown')?.dataset.id === '2');
    await page.screenshot({ path: arg });
    console.log(`screenshot: ${arg}`);
    await waitFor(page, () => !!window.scanPage.model?.completed && /2 scans: 0 running, 2 completed/.test(document.querySelector('#overview-summary').textContent));
    const overview = await page.locator('#overview tr').allTextContents();
    console.log(`overview: ${(await page.textContent('#overview-summary')).trim()} ${JSON.stringify(overview)}`);
    check(overview.every((row) => row.includes('completed') && row.includes('100.0 %')), 'both scans completed at 100 % in the overview');
  } else if (mode === 'measure') {
    const page = await open();
    // durations in the main thread's CPU time (threadTicks), not wall time: other work on the machine does not count
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const m0 = await metrics();
    const started = await (await fetch(`${site}/api/scans`, { method: 'POST' })).json();
    await page.waitForFunction((id) => window.scanPage.model?.id === id && window.scanPage.model.completed, started.id,
      { timeout: 200_000, polling: 500 });
    const m1 = await metrics();
    const counts = await page.evaluate(() => ({ messages: window.scanPage.messages, renders: window.scanPage.renders }));
    const ms = (name) => Math.round((m1[name] - m0[name]) * 1000);
    const result = {
      label: arg, scriptMs: ms('ScriptDuration'), layoutMs: ms('LayoutDuration'), styleMs: ms('RecalcStyleDuration'),
      taskMs: ms('TaskDuration'), layouts: m1.LayoutCount - m0.LayoutCount, styles: m1.RecalcStyleCount - m0.RecalcStyleCount, ...counts,
    };
    result.mainThreadMs = result.scriptMs + result.layoutMs + result.styleMs;
    const state = await scanState(page);
    check(JSON.stringify(state.counts) === JSON.stringify(['2,000', '8,000', '500', '2']), `final counts ${state.counts}`);
    console.log(`RESULT ${JSON.stringify(result)}`);
  } else {
    problems.push(`unknown mode ${mode}`);
  }
} catch (e) {
  problems.push(e.stack || String(e));
} finally {
  await browser.close();
  done();
}

problems.forEach((p) => console.error(p));
process.exit(problems.length ? 1 : 0);
