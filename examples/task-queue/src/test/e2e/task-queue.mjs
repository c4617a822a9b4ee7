// The task queue example in Chromium (run by TaskQueueBrowserTest against a running example).
//
//   node task-queue.mjs <page URL> <screenshot.png>
//
// Alice's page (with progress events) and Bob's (without) each submit a task. Both see every task
// go through its lifecycle in order, Alice with progress events and Bob without (Herald filters
// them); each sees only their own notification, and Bob is refused Alice's channel. A page opened
// later shows the queue's counts at once (retained). A line "@subscribers <channel> <n>" asks the
// test to wait until Herald has n subscribers on the channel.
import { createInterface } from 'node:readline';
import { deadline, launch } from '../../../../../e2e/lib.mjs';

const [site, screenshot] = process.argv.slice(2);
const done = deadline(90_000);
const answers = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const ask = async (command) => {
  console.log(`@${command}`);
  return (await answers.next()).value;
};
const browser = await launch();
const problems = [];
const check = (ok, what) => ok || problems.push(what);

async function open(query) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 720 } });
  const page = await context.newPage();
  page.on('console', (m) => m.type() !== 'log' && console.log(`page ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${site}/?${query}`);
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.status === 'connected');
  return page;
}

const alice = await open('user=alice');
const bob = await open('user=bob&progress=off');
await ask('subscribers tasks:queue 2');
await ask('subscribers user:alice 1');
await ask('subscribers user:bob 1');
// the retained counts arrive with the subscription
for (const page of [alice, bob]) await page.waitForFunction(() => document.querySelector('#count-completed').textContent === '0');

await alice.fill('#task-name', 'resize images');
await alice.click('button[type=submit]');
await bob.fill('#task-name', 'send invoices');
await bob.click('#submit-failing');

const finished = () => window.taskPage.events.filter((e) => e.event === 'completed' || e.event === 'failed').length === 2;
await alice.waitForFunction(finished, null, { timeout: 30_000 });
await bob.waitForFunction(finished, null, { timeout: 30_000 });
await alice.waitForFunction(() => window.taskPage.notifications.length === 1);
await bob.waitForFunction(() => window.taskPage.notifications.length === 1);
await alice.waitForFunction(() => document.querySelector('#count-failed').textContent === '1');

const state = (page) => page.evaluate(() => ({ events: window.taskPage.events, notifications: window.taskPage.notifications }));
const a = await state(alice);
const b = await state(bob);
console.log(`alice: ${JSON.stringify(a)}\nbob: ${JSON.stringify(b)}`);

const tasks = [...new Set(a.events.map((e) => e.task))];
check(tasks.length === 2, `two tasks, got ${tasks}`);
const sequence = (events, task) => events.filter((e) => e.task === task).map((e) => (e.pct ? `${e.event} ${e.pct}` : e.event)).join(', ');
const aliceTask = a.notifications[0]?.task;
const bobTask = b.notifications[0]?.task;
check(aliceTask && bobTask && aliceTask !== bobTask, `one notification each, of their own task: ${aliceTask}, ${bobTask}`);
check(a.notifications[0]?.text.includes('resize images') && a.notifications[0]?.level === 'info', `alice's notification: ${JSON.stringify(a.notifications)}`);
check(b.notifications[0]?.text.includes('send invoices') && b.notifications[0]?.level === 'error', `bob's notification: ${JSON.stringify(b.notifications)}`);
check(sequence(a.events, aliceTask) === 'queued, started, progress 25, progress 50, progress 75, completed', `alice sees her task: ${sequence(a.events, aliceTask)}`);
check(sequence(a.events, bobTask) === 'queued, started, progress 25, progress 50, progress 75, failed', `alice sees bob's task: ${sequence(a.events, bobTask)}`);
check(sequence(b.events, aliceTask) === 'queued, started, completed', `bob sees alice's task without progress: ${sequence(b.events, aliceTask)}`);
check(sequence(b.events, bobTask) === 'queued, started, failed', `bob sees his task without progress: ${sequence(b.events, bobTask)}`);
for (const [who, events] of [['alice', a.events], ['bob', b.events]]) {
  check(events.every((e, i) => i === 0 || e.offset > events[i - 1].offset), `${who}'s events in offset order`);
}
check(await alice.evaluate(() => document.querySelector('#notifications').textContent.includes('resize images')), "alice's notification on her page");

// Bob asks for Alice's channel himself: Herald refuses
const refused = await bob.evaluate(
  () => new Promise((resolve) => window.taskPage.herald.subscribe('user:alice', { onMessage: () => resolve('a message'), onError: (e) => resolve(e.code) })),
);
check(refused === 'forbidden', `bob subscribing to user:alice: ${refused}`);

// a page opened now shows the counts at once, from the retained status
const carol = await open('user=carol');
await carol.waitForFunction(() => document.querySelector('#count-completed').textContent !== '–');
const counts = await carol.evaluate(() => ['queued', 'running', 'completed', 'failed'].map((s) => document.getElementById(`count-${s}`).textContent).join(' '));
check(counts === '0 0 1 1', `a late page's counts: ${counts}`);

if (screenshot) await alice.screenshot({ path: screenshot });
await browser.close();
done();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('task queue: ok');
process.exit(0);
