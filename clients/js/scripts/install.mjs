// Runs `npm ci` here unless node_modules already holds what package-lock.json says (npm writes
// node_modules/.package-lock.json on install): Maven calls this on every build, and a fresh
// install takes far longer than a look. Fails with npm's message when npm is missing or fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const read = (path) => {
  try {
    return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
  } catch {
    return undefined;
  }
};
const wanted = read('../package-lock.json');
const installed = read('../node_modules/.package-lock.json');
const same =
  installed !== undefined &&
  Object.entries(wanted.packages)
    .filter(([path]) => path.startsWith('node_modules/'))
    // optional packages of other platforms (esbuild's binaries) are in the lockfile, not installed
    .every(([path, p]) => installed.packages[path]?.version === p.version || (p.optional && !installed.packages[path]));
if (!same) {
  console.log('clients/js: npm ci');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: new URL('..', import.meta.url),
    stdio: 'inherit',
  });
  if (r.error) {
    console.error(`clients/js: cannot run npm (Node.js 20 or later and npm are needed to build Herald): ${r.error.message}`);
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}
