/*
 * yarn bench:discovery — the discovery pipeline at estate scale.
 *
 * Generates a Terraform state estate of 100 000 resources (10 stacks of 10 000, in modules, with
 * about 300 000 relationships), then measures, in this one process:
 *   - parse: reading the state files alone (readState: JSON.parse and checks) — the baseline;
 *   - parse + relationship inference in-process (target: within 3x of parse), and through the
 *     provider processes (the price of isolation);
 *   - ingest into the asset graph on SQLite and on PostgreSQL, with the time the store itself
 *     takes, and the floor measured in the same run: the same rows COPied into empty tables of
 *     the same shape (target: the PostgreSQL store within 1.5x of that floor);
 *   - a re-run that touches 10 assets;
 *   - the catalog provider's full mutation and the delta mutation after touching 10 assets;
 *   - attack-path queries on the 100 000-asset tenant: the first (computes) and p50/p95 of the
 *     following ones (target p95 < 200 ms);
 *   - peak RSS (target < 1 GB).
 * PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (scripts/bench.sh
 * starts a throwaway cluster); without it the PostgreSQL rows say so.
 *
 * Options: --resources N (default 100000), --stacks N (default 10), --queries N (default 50).
 */
import { InfraAssetEntityProvider } from '@infra-hub/plugin-catalog-backend-module-infra';
import { Asset, Edge } from '@infra-hub/plugin-infra-discovery-common';
import {
  readState,
  stateToGraph,
  StateV4,
  terraformDiscoveryProvider,
} from '@infra-hub/plugin-infra-discovery-backend-module-terraform';
import { runProvider } from '@infra-hub/plugin-infra-discovery-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { benchEstateStack } from '@infra-hub/test-utils';
import knexFactory, { Knex } from 'knex';
import { once } from 'node:events';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { GraphStore } from '../src/database/GraphStore';
import { AttackPathCache } from '../src/services/attackPaths';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RESOURCES = arg('resources', 100_000);
const STACKS = arg('stacks', 10);
const QUERIES = arg('queries', 50);
const TENANT = 'bench';

// ---- peak RSS -------------------------------------------------------------------------------
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 20);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

// ---- helpers --------------------------------------------------------------------------------
async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};

/** The graph store on `knex`, migrated as the plugin does it. */
const graphStore = (knex: Knex) =>
  GraphStore.create({ database: mockServices.database({ knex }) });

async function sqlite(dir: string) {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'bench.sqlite') },
    useNullAsDefault: true,
  });
  return knex;
}

async function postgres() {
  const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url) return undefined;
  const db = `infra_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${db}`);
  await admin.destroy();
  const u = new URL(url);
  u.pathname = `/${db}`;
  const knex = knexFactory({
    client: 'pg',
    connection: u.toString(),
    pool: { min: 1, max: 4 },
  });
  return knex;
}

/** Everything `table` holds, in COPY's text format. */
async function dump(connection: any, table: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const stream = connection.query(copyTo(`COPY "${table}" TO STDOUT`));
  stream.on('data', (b: Buffer) => out.push(b));
  await once(stream, 'end');
  return out;
}

/** COPies `chunks` into `table`. */
async function load(connection: any, table: string, chunks: Buffer[]) {
  const stream = connection.query(copyFrom(`COPY "${table}" FROM STDIN`));
  const done = once(stream, 'finish');
  for (const c of chunks) if (!stream.write(c)) await once(stream, 'drain');
  stream.end();
  await done;
}

/**
 * The floor of a graph ingest on this server: the rows the store holds, COPied into empty tables
 * made like the store's (`LIKE ... INCLUDING ALL`, and the relationships' foreign keys).
 */
async function copyFloor(knex: Knex) {
  await knex.raw('CREATE TABLE floor_assets (LIKE infra_assets INCLUDING ALL)');
  await knex.raw('CREATE TABLE floor_edges (LIKE infra_edges INCLUDING ALL)');
  await knex.raw(`ALTER TABLE floor_edges
    ADD FOREIGN KEY (tenant_id, source_id, from_id) REFERENCES floor_assets (tenant_id, source_id, id) ON DELETE CASCADE,
    ADD FOREIGN KEY (tenant_id, source_id, to_id) REFERENCES floor_assets (tenant_id, source_id, id) ON DELETE CASCADE`);
  const connection: any = await knex.client.acquireConnection();
  try {
    const assetRows = await dump(connection, 'infra_assets');
    const edgeRows = await dump(connection, 'infra_edges');
    const [, ms] = await timed(async () => {
      await load(connection, 'floor_assets', assetRows);
      await load(connection, 'floor_edges', edgeRows);
    });
    const count = async (t: string) =>
      Number((await knex(t).count({ n: '*' }))[0].n);
    return {
      ms,
      assets: await count('floor_assets'),
      edges: await count('floor_edges'),
      bytes: [...assetRows, ...edgeRows].reduce((n, b) => n + b.length, 0),
    };
  } finally {
    await knex.client.releaseConnection(connection);
    await knex.raw('DROP TABLE floor_edges');
    await knex.raw('DROP TABLE floor_assets');
  }
}

type Row = {
  step: string;
  time: string;
  rate: string;
  ratio: string;
  note: string;
};

async function main() {
  const rows: Row[] = [];
  const row = (r: Partial<Row> & { step: string }) =>
    rows.push({ time: '', rate: '', ratio: '', note: '', ...r });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-bench-'));
  try {
    // Generate the estate on disk.
    const perStack = Math.floor(RESOURCES / STACKS);
    const files: string[] = [];
    let resourceCount = 0;
    for (let s = 0; s < STACKS; s++) {
      const state = benchEstateStack(s, perStack) as unknown as StateV4;
      resourceCount += state.resources.length;
      const file = path.join(dir, `stack-${s}.tfstate`);
      fs.writeFileSync(file, JSON.stringify(state));
      files.push(file);
    }
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);

    // Baseline: parse alone.
    const [, parseMs] = await timed(() => {
      for (const f of files) readState(fs.readFileSync(f, 'utf8'));
    });
    row({
      step: 'parse state files (baseline)',
      time: seconds(parseMs),
      rate: `${Math.round(resourceCount / (parseMs / 1000))} resources/s`,
      ratio: '1.0x parse',
      note: `${STACKS} files, ${mb(bytes)}`,
    });

    // Graph building alone, and the edge count.
    let assets = 0;
    let edges = 0;
    const [, graphMs] = await timed(() => {
      for (const f of files) {
        const g = stateToGraph(readState(fs.readFileSync(f, 'utf8')));
        assets += g.assets.length;
        edges += g.edges.length;
      }
    });
    row({
      step: 'parse + infer relationships',
      time: seconds(graphMs),
      ratio: `${(graphMs / parseMs).toFixed(1)}x parse`,
      note: `${assets} assets, ${edges} relationships; target within 3x of parse`,
    });

    // The real path: each state file read by the provider program in its own process, its
    // messages checked by the runner, then stored.
    const viaProvider = async (
      onGraph?: (
        s: number,
        g: { assets: Asset[]; edges: Edge[] },
      ) => Promise<void>,
    ) => {
      for (let s = 0; s < files.length; s++) {
        const g = { assets: [] as Asset[], edges: [] as Edge[] };
        const outcome = await runProvider({
          provider: terraformDiscoveryProvider.command(),
          settings: { type: 'file', path: files[s] },
          credentials: null,
          onMessage: m => {
            if (m.type === 'asset') g.assets.push(m.asset);
            else if (m.type === 'edge') g.edges.push(m.edge);
          },
        });
        if (outcome.status !== 'succeeded')
          throw new Error(`stack-${s}: ${outcome.reason}`);
        await onGraph?.(s, g);
      }
    };
    const [, processMs] = await timed(() => viaProvider());
    row({
      step: 'parse + infer through the provider process',
      time: seconds(processMs),
      ratio: `${(processMs / parseMs).toFixed(1)}x parse`,
      note: `${(processMs / graphMs).toFixed(
        2,
      )}x the in-process path (${STACKS} processes)`,
    });

    const ingest = async (label: string, store: GraphStore) => {
      // The time the store takes (hashing, encoding and writing), apart from the provider's.
      let storeMs = 0;
      const [, ms] = await timed(() =>
        viaProvider(async (s, g) => {
          const [, writeMs] = await timed(() =>
            store.replaceSourceGraph(TENANT, `stack-${s}`, g),
          );
          storeMs += writeMs;
        }),
      );
      row({
        step: `ingest through the provider process, ${label}`,
        time: seconds(ms),
        rate: `${Math.round(assets / (ms / 1000))} assets/s`,
        ratio: `${(ms / parseMs).toFixed(1)}x parse`,
        note: `peak RSS so far ${mb(peakRss)}`,
      });
      return storeMs;
    };
    const rerun = async (label: string, store: GraphStore) => {
      const [result, ms] = await timed(async () => {
        const g = stateToGraph(readState(fs.readFileSync(files[0], 'utf8')));
        let touched = 0;
        for (const a of g.assets) {
          if (a.type === 'aws_s3_bucket' && touched < 10) {
            a.name = `${a.name}-renamed`;
            touched += 1;
          }
        }
        return store.replaceSourceGraph(TENANT, 'stack-0', g);
      });
      row({
        step: `re-run one stack touching 10 assets, ${label}`,
        time: seconds(ms),
        note: `${result.changed} assets changed of ${
          result.added + result.updated
        }`,
      });
    };

    const lite = await sqlite(dir);
    const liteStore = await graphStore(lite);
    const liteStoreMs = await ingest('SQLite', liteStore);
    row({
      step: '  of which the store writing to SQLite',
      time: seconds(liteStoreMs),
      rate: `${Math.round(assets / (liteStoreMs / 1000))} assets/s`,
    });
    await rerun('SQLite', liteStore);
    await lite.destroy();

    const pg = await postgres();
    if (!pg) {
      row({
        step: 'ingest through the provider process, PostgreSQL',
        note: 'not run: no BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
      });
    } else {
      const store = await graphStore(pg);
      const pgStoreMs = await ingest('PostgreSQL', store);
      // The floor: the same rows, as stored, COPied into empty tables of the same shape
      // (columns, primary keys, indexes and foreign keys), measured now on the same server.
      const floor = await copyFloor(pg);
      row({
        step: '  of which the store writing to PostgreSQL',
        time: seconds(pgStoreMs),
        rate: `${Math.round(assets / (pgStoreMs / 1000))} assets/s`,
        ratio: `${(pgStoreMs / floor.ms).toFixed(2)}x COPY`,
        note: 'target within 1.5x of the COPY floor',
      });
      row({
        step: 'COPY floor: the same rows into empty tables',
        time: seconds(floor.ms),
        rate: `${Math.round(floor.assets / (floor.ms / 1000))} assets/s`,
        ratio: '1.00x COPY',
        note: `${floor.assets} asset rows, ${
          floor.edges
        } relationship rows, ${mb(floor.bytes)}`,
      });

      // The catalog provider against the PostgreSQL graph.
      let emitted = 0;
      const provider = new InfraAssetEntityProvider({
        tenants: [
          {
            tenantId: TENANT,
            owner: 'group:default/platform',
            namespace: TENANT,
            systemNamespace: 'default',
          },
        ],
        excludedTypes: new Set([
          'internet',
          'aws_iam_role_policy_attachment',
          'aws_s3_bucket_server_side_encryption_configuration',
          'aws_lambda_function_url',
        ]),
        feed: (t, o) => store.changes(t, o),
        // The benchmark's tags name no group or system of another tenant.
        tenantsOf: async () => new Map(),
        logger: {
          info() {},
          warn() {},
          error() {},
          debug() {},
          child() {
            return this;
          },
        } as any,
      });
      await provider.connect({
        applyMutation: async m => {
          emitted +=
            m.type === 'full'
              ? m.entities.length
              : m.added.length + m.removed.length;
        },
        refresh: async () => {},
      });
      const [, fullMs] = await timed(() => provider.fullSync());
      row({
        step: 'catalog: full mutation',
        time: seconds(fullMs),
        rate: `${Math.round(emitted / (fullMs / 1000))} entities/s`,
        note: `${emitted} entities`,
      });
      await rerun('PostgreSQL', store);
      emitted = 0;
      const [, deltaMs] = await timed(() => provider.deltaSync(TENANT));
      row({
        step: 'catalog: delta mutation after touching 10 assets',
        time: seconds(deltaMs),
        note: `${emitted} entities emitted`,
      });

      const cache = new AttackPathCache(store);
      const [first, coldMs] = await timed(() => cache.get(TENANT));
      row({
        step: 'attack paths: first query (loads the graph, computes)',
        time: seconds(coldMs),
        note: `${first.length} paths`,
      });
      const samples: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const [, ms] = await timed(async () =>
          (await cache.get(TENANT)).slice(0, 100),
        );
        samples.push(ms);
      }
      row({
        step: `attack paths: next ${QUERIES} queries`,
        time: `p50 ${pct(samples, 50).toFixed(1)} ms, p95 ${pct(
          samples,
          95,
        ).toFixed(1)} ms`,
        note: 'target p95 < 200 ms',
      });
      await pg.destroy();
    }
    sampleRss();
    row({
      step: 'peak RSS of the whole run',
      time: mb(peakRss),
      note: 'target < 1 GB',
    });

    const header: Row = {
      step: 'step',
      time: 'time',
      rate: 'rate',
      ratio: 'ratio',
      note: 'note',
    };
    const all = [header, ...rows];
    const keys = Object.keys(header) as Array<keyof Row>;
    const width = Object.fromEntries(
      keys.map(k => [k, Math.max(...all.map(r => r[k].length))]),
    ) as Record<keyof Row, number>;
    const line = (r: Row) =>
      `| ${keys.map(k => r[k].padEnd(width[k])).join(' | ')} |`;
    console.log(
      `\nDiscovery benchmark: ${resourceCount} resources in ${STACKS} state files, node ${
        process.version
      }, ${os.cpus().length} CPUs\n`,
    );
    console.log(line(header));
    console.log(`| ${keys.map(k => '-'.repeat(width[k])).join(' | ')} |`);
    for (const r of rows) console.log(line(r));
  } finally {
    clearInterval(sampler);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
