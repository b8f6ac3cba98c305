#!/usr/bin/env node
/*
 * The two commands of the README, for a machine with nothing but Node:
 *
 *   node scripts/run.mjs start   install, then start the portal (frontend :3000, backend :7007)
 *   node scripts/run.mjs test    install, then the OpenAPI check, type check, lint, every vitest
 *                                suite and, when Chromium is there, the browser end-to-end test
 *
 * (`npm start` and `npm test` call these.) Yarn is the release committed under .yarn/releases, so
 * nothing else needs to be installed first. Yarn uses the same package registry npm is set up
 * with, unless YARN_NPM_REGISTRY_SERVER says otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const yarnRelease = path.join(root, '.yarn/releases/yarn-4.13.0.cjs');
const ci = process.env.CI === 'true' || process.env.CI === '1';

function npmConfig(key) {
  const result = spawnSync('npm', ['config', 'get', key], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  const value = (result.stdout ?? '').trim();
  return result.status === 0 &&
    value &&
    value !== 'undefined' &&
    value !== 'null'
    ? value
    : undefined;
}

function environment() {
  const env = { ...process.env };
  if (!env.YARN_NPM_REGISTRY_SERVER) {
    const registry = npmConfig('registry');
    if (registry) env.YARN_NPM_REGISTRY_SERVER = registry.replace(/\/$/, '');
  }
  // Native modules (better-sqlite3) build against the Node headers npm is set up with, where the
  // machine cannot download them.
  if (!env.npm_config_nodedir) {
    const nodedir = npmConfig('nodedir');
    if (nodedir) env.npm_config_nodedir = nodedir;
  }
  return env;
}

const env = environment();

function run(command, args, options = {}) {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...env, ...options.env },
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => resolve(signal ? 1 : code ?? 1));
  });
}

const yarn = (args, options) =>
  run(process.execPath, [yarnRelease, ...args], options);

async function install() {
  const code = await yarn(ci ? ['install', '--immutable'] : ['install']);
  if (code !== 0) {
    process.stderr.write('install failed: see the yarn output above\n');
    process.exit(code);
  }
}

function banner(text) {
  process.stdout.write(
    `\n=== ${text} ${'='.repeat(Math.max(3, 96 - text.length))}\n`,
  );
}

async function start() {
  await install();
  fs.mkdirSync(path.join(root, '.data/sqlite'), { recursive: true });
  banner(
    'starting the portal: http://localhost:3000 (backend http://localhost:7007)',
  );
  process.exit(await yarn(['backstage-cli', 'repo', 'start']));
}

function countVitest(reportFile) {
  try {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    return {
      passed: report.numPassedTests ?? 0,
      failed: report.numFailedTests ?? 0,
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    };
  } catch {
    return undefined;
  }
}

async function test() {
  await install();
  const steps = [];
  const reportDir = path.join(root, 'node_modules/.cache/infra-hub-test');
  fs.mkdirSync(reportDir, { recursive: true });
  const totals = { passed: 0, failed: 0, skipped: 0 };

  async function step(name, fn) {
    banner(name);
    const started = Date.now();
    const code = await fn();
    steps.push({
      name,
      ok: code === 0,
      seconds: Math.round((Date.now() - started) / 1000),
    });
    return code;
  }

  async function vitest(name, config, report) {
    const reportFile = path.join(reportDir, report);
    fs.rmSync(reportFile, { force: true });
    await step(name, () =>
      yarn([
        'vitest',
        'run',
        '--config',
        config,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportFile}`,
      ]),
    );
    const counts = countVitest(reportFile);
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    } else {
      totals.failed += 1;
    }
  }

  await step('OpenAPI documents match their generated routers', () =>
    run(process.execPath, ['scripts/openapi-generate.mjs', '--check']),
  );
  await step('type check (tsc)', () => yarn(['tsc']));
  await step('lint (eslint, every package)', () =>
    yarn(['backstage-cli', 'repo', 'lint']),
  );
  await vitest(
    'unit, API and storage tests (vitest)',
    'vitest.config.mts',
    'unit.json',
  );

  await vitest(
    'install paths (the backend bundle; the packs in a fresh Backstage app)',
    'vitest.install.config.mts',
    'install.json',
  );

  const chromium = findChromium();
  if (chromium) {
    await vitest(
      'browser end-to-end (Playwright + Chromium)',
      'vitest.e2e.config.mts',
      'e2e.json',
    );
  } else {
    const line = '!'.repeat(100);
    process.stderr.write(
      `\n${line}\nSKIPPED: the browser end-to-end test (no Chromium found).\n` +
        `To enable: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH, then run again.\n${line}\n`,
    );
    totals.skipped += 1;
  }

  banner('summary');
  for (const s of steps) {
    process.stdout.write(
      `${s.ok ? 'ok    ' : 'FAILED'}  ${s.name} (${s.seconds}s)\n`,
    );
  }
  const failedSteps = steps.filter(s => !s.ok).length;
  process.stdout.write(
    `\ntests: ${totals.passed} passed, ${
      totals.failed + (failedSteps && !totals.failed ? failedSteps : 0)
    } failed, ${totals.skipped} skipped\n`,
  );
  process.exit(failedSteps ? 1 : 0);
}

export function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter(Boolean);
  return candidates.find(c => fs.existsSync(c));
}

const command = process.argv[2];
if (command === 'start') {
  await start();
} else if (command === 'test') {
  await test();
} else {
  process.stderr.write('usage: node scripts/run.mjs start|test\n');
  process.exit(2);
}
