// Runs `npm ci` in the working directory (clients/js, dashboard: Maven runs this in each) unless
// its node_modules already holds what its package-lock.json says (npm writes
// node_modules/.package-lock.json on install): Maven calls this on every build, and a fresh
// install takes far longer than a look. Fails with npm's message when npm is missing or fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.cwd();
const name = basename(dir) === 'js' ? 'clients/js' : basename(dir);
const read = (path) => {
  try {
    return JSON.parse(readFileSync(join(dir, path), 'utf8'));
  } catch {
    return undefined;
  }
};
const wanted = read('package-lock.json');
const installed = read('node_modules/.package-lock.json');
const same =
  installed !== undefined &&
  Object.entries(wanted.packages)
    .filter(([path]) => path.startsWith('node_modules/'))
    // optional packages of other platforms (esbuild's binaries) are in the lockfile, not installed
    .every(([path, p]) => installed.packages[path]?.version === p.version || (p.optional && !installed.packages[path]));
if (!same) {
  console.log(`${name}: npm ci`);
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  if (r.error) {
    console.error(`${name}: cannot run npm (Node.js 20 or later and npm are needed to build Herald): ${r.error.message}`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}
