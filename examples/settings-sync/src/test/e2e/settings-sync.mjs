// The settings sync example in Chromium (run by SettingsSyncBrowserTest against a running example).
//
//   node settings-sync.mjs <page URL> <screenshot.png>
//
// Two tabs show the 200 settings; a change saved in one shows in both; a 70-key preset applied in
// one lands in both, with the "settings reloaded" notice; a tab opened afterwards shows every
// current value (the backend's) at its first render with settings, before any change; the
// connection status is shown.
import { deadline, launch } from '../../../../../e2e/lib.mjs';

const [site, screenshot] = process.argv.slice(2);
const done = deadline(90_000);
const browser = await launch();
const problems = [];
const check = (ok, what) => ok || problems.push(what);

async function open() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => m.type() !== 'log' && console.log(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(site);
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.status === 'connected');
  await page.waitForFunction(() => document.querySelectorAll('[data-key]').length === 200);
  return page;
}
const values = (page) =>
  page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-key]')].map((r) => [r.dataset.key, r.querySelector('.value').textContent])));
const backend = async () => (await fetch(`${site}/api/settings`)).json();
const same = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const one = await open();
const two = await open();
check(same(await values(one), await backend()), 'the first tab shows the backend\'s values');

// a change in one tab shows in both
await one.selectOption('#setting-key', 'editor.option03');
await one.fill('#setting-value', 'tabs-and-spaces');
await one.click('button[type=submit]');
for (const page of [one, two]) {
  await page.waitForFunction(() => document.querySelector('[data-key="editor.option03"] .value').textContent === 'tabs-and-spaces');
}
check(!(await two.evaluate(() => document.querySelector('#notice'))), 'no reload notice for a single change');

// a 70-key preset lands in both tabs, with the notice
await two.click('#preset-presentation');
const expected = await backend();
for (const page of [one, two]) {
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent.includes('presentation'));
  await page.waitForFunction((want) => [...document.querySelectorAll('[data-key]')].every((r) => r.querySelector('.value').textContent === want[r.dataset.key]), expected);
}
check((await one.textContent('#notice')).includes('changed 70 settings'), `the notice: ${await one.textContent('#notice')}`);
check(same(await values(one), expected) && same(await values(two), expected), 'both tabs show the backend\'s values after the preset');

// a late tab shows the current values at once
const late = await open();
check(same(await values(late), expected), 'the late tab shows the current values');
const first = await late.evaluate(() => window.settingsPage.firstCount);
check(first === 200, `the late tab's first render with settings had all of them: ${first}`);
check(!(await late.evaluate(() => document.querySelector('#notice'))), 'no notice in a tab opened after the reload');
check((await late.textContent('#status')).startsWith('connected'), 'the status shows connected');

if (screenshot) await one.screenshot({ path: screenshot });
await browser.close();
done();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('settings sync: ok');
process.exit(0);
