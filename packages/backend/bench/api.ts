/*
 * yarn bench:api — the suite's list routes under load, against the catalog's, in one run.
 *
 * Starts the portal's backend as `npm start` does (NODE_ENV=development, app-config.yaml, the
 * demo estate on a fresh SQLite directory; with --postgres, on the PostgreSQL server of
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, which scripts/bench.sh starts), signs in
 * as a demo user, waits until every route has data, then drives each route with autocannon:
 * 50 connections (--connections) for 10 seconds (--seconds) after a short warm-up. The catalog's
 * `GET /api/catalog/entities/by-query?limit=50` runs first and last; the suite's routes are
 * compared with the mean of those two runs.
 *
 * Prints requests/s, p50/p95/p99 latency (from every response's time), the size of one response
 * and the ratios to the catalog. Target: every suite list route at or above the catalog's
 * throughput with a lower p95.
 */
import autocannon from 'autocannon';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  collectOutput,
  demoToken,
  freePort,
  POSTGRES_URL_VARIABLE,
  postgresBackendEnv,
  spawnDevelopmentBackend,
  waitForBackend,
} from '@infra-hub/test-utils';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CONNECTIONS = arg('connections', 50);
const SECONDS = arg('seconds', 10);
const WARMUP_SECONDS = 2;
const POSTGRES = process.argv.includes('--postgres');
const USER = 'user:default/priya.shah';
const TENANT = 'cartwheel';

const CATALOG = {
  name: 'catalog: entities by query',
  path: '/api/catalog/entities/by-query?limit=50',
};
const ROUTES = [
  {
    name: 'discovery: assets',
    path: `/api/infra-discovery/tenants/${TENANT}/assets?limit=50`,
  },
  {
    name: 'discovery: jobs',
    path: `/api/infra-discovery/tenants/${TENANT}/jobs?limit=50`,
  },
  { name: 'change: drift', path: `/api/infra-change/tenants/${TENANT}/drift` },
  {
    name: 'compliance: findings',
    path: `/api/infra-compliance/tenants/${TENANT}/findings?limit=50`,
  },
  {
    name: 'pipelines: runs',
    path: `/api/infra-pipelines/tenants/${TENANT}/runs?limit=50`,
  },
  {
    name: 'security: audit events',
    path: `/api/infra-security/audit/${TENANT}/events?limit=50`,
  },
];

type Measure = {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
  errors: number;
};

const pct = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
    : NaN;

async function load(
  url: string,
  token: string,
  seconds: number,
): Promise<{ result: autocannon.Result; times: number[] }> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        headers: { authorization: `Bearer ${token}` },
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
  return { result, times };
}

async function measure(
  base: string,
  token: string,
  route: { name: string; path: string },
): Promise<Measure> {
  const once = await fetch(`${base}${route.path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await once.arrayBuffer();
  if (once.status !== 200)
    throw new Error(`${route.path} answered ${once.status}`);
  await load(`${base}${route.path}`, token, WARMUP_SECONDS);
  process.stderr.write(`measuring ${route.name}\n`);
  const { result, times } = await load(`${base}${route.path}`, token, SECONDS);
  times.sort((a, b) => a - b);
  return {
    name: route.name,
    rps: result.requests.total / SECONDS,
    p50: pct(times, 50),
    p95: pct(times, 95),
    p99: pct(times, 99),
    bytes: body.byteLength,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/** Waits until `path` answers 200 with at least one item (the demo estate is seeded). */
async function hasData(base: string, token: string, route: string) {
  for (let i = 0; i < 240; i++) {
    const res = await fetch(`${base}${route}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status === 200) {
      const body = await res.json();
      const items = Array.isArray(body) ? body : body.items ?? body.drift;
      if (!Array.isArray(items) || items.length > 0) return;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${route} has no data after 4 minutes`);
}

/** CPU seconds the process has used (Linux), or undefined elsewhere. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the backend has finished starting up (first discovery runs, catalog processing,
 * compliance evaluation, chat indexing): its CPU use under 15% of a core for 10 seconds, at
 * most 5 minutes; 30 seconds where /proc cannot be read.
 */
async function settled(pid: number) {
  if (cpuSeconds(pid) === undefined) {
    await new Promise(r => setTimeout(r, 30_000));
    return;
  }
  const deadline = Date.now() + 300_000;
  let quiet = 0;
  while (Date.now() < deadline && quiet < 2) {
    const before = cpuSeconds(pid)!;
    await new Promise(r => setTimeout(r, 5000));
    const used = cpuSeconds(pid)! - before;
    quiet = used / 5 < 0.15 ? quiet + 1 : 0;
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-bench-api-'));
  const port = await freePort();
  const base = `http://localhost:${port}`;
  let database = 'SQLite (the embedded default)';
  let env: Record<string, string> = {};
  if (POSTGRES) {
    if (!process.env[POSTGRES_URL_VARIABLE])
      throw new Error(
        `--postgres needs ${POSTGRES_URL_VARIABLE} (scripts/bench.sh sets it)`,
      );
    env = postgresBackendEnv(`infra_bench_api_${Date.now()}_`);
    database = 'PostgreSQL 15';
  }
  const child = spawnDevelopmentBackend({
    port,
    ...(POSTGRES ? {} : { dataDir }),
    env,
  });
  const output = collectOutput(child);
  try {
    await waitForBackend(child, base, output, 300_000);
    const token = await demoToken(base, USER.replace('user:default/', ''));
    for (const r of [CATALOG, ...ROUTES]) {
      process.stderr.write(`waiting for data at ${r.path}\n`);
      await hasData(base, token, r.path);
    }

    process.stderr.write('waiting for the backend to settle\n');
    await settled(child.pid!);
    const first = await measure(base, token, CATALOG);
    const suite: Measure[] = [];
    for (const r of ROUTES) suite.push(await measure(base, token, r));
    const last = await measure(base, token, CATALOG);
    const catalogRps = (first.rps + last.rps) / 2;
    const catalogP95 = (first.p95 + last.p95) / 2;

    const header = [
      'route',
      'requests/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'KB/response',
      'vs catalog req/s',
      'vs catalog p95',
      'errors',
    ];
    const rows = [
      first,
      ...suite,
      { ...last, name: `${last.name} (again)` },
    ].map(m => [
      m.name,
      m.rps.toFixed(0),
      m.p50.toFixed(0),
      m.p95.toFixed(0),
      m.p99.toFixed(0),
      (m.bytes / 1024).toFixed(1),
      `${(m.rps / catalogRps).toFixed(2)}x`,
      `${(m.p95 / catalogP95).toFixed(2)}x`,
      String(m.errors),
    ]);
    const width = header.map((h, i) =>
      Math.max(h.length, ...rows.map(r => r[i].length)),
    );
    const line = (r: string[]) =>
      `| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`;
    console.log(
      `\nAPI benchmark: ${CONNECTIONS} connections, ${SECONDS} s per route, ${database}, signed in as ${USER}, node ${
        process.version
      }, ${os.cpus().length} CPUs\n`,
    );
    console.log(line(header));
    console.log(`| ${width.map(w => '-'.repeat(w)).join(' | ')} |`);
    for (const r of rows) console.log(line(r));
    const missed = suite.filter(m => m.rps < catalogRps || m.p95 >= catalogP95);
    console.log(
      missed.length
        ? `\nBelow the catalog (throughput or p95): ${missed
            .map(m => m.name)
            .join(', ')}`
        : '\nEvery suite list route at or above the catalog’s throughput with a lower p95.',
    );
  } finally {
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise(r => setTimeout(r, 15_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
