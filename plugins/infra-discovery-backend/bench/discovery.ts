/*
 * yarn bench:discovery — the discovery pipeline at estate scale.
 *
 * Generates a Terraform state estate of 100 000 resources (10 stacks of 10 000, in modules, with
 * about 300 000 relationships), then measures, in this one process:
 *   - parse: reading the state files alone (readState: JSON.parse and checks) — the baseline;
 *   - ingest into the asset graph on SQLite and on PostgreSQL (stateToGraph + replaceSourceGraph
 *     per stack), assets/s and the ratio to parse (target on PostgreSQL: within 5x);
 *   - a re-run that changes nothing, and one that touches 10 assets;
 *   - the catalog provider's full mutation and the delta mutation after touching 10 assets;
 *   - attack-path queries on the 100 000-asset tenant: the first (computes) and p50/p95 of the
 *     following ones (target p95 < 200 ms);
 *   - peak RSS (target < 1.5 GB).
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
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
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
const PER_UNIT = 20;

// ---- peak RSS -------------------------------------------------------------------------------
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 20);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

// ---- the estate -----------------------------------------------------------------------------
type Resource = StateV4['resources'][number];

function stack(s: number, resources: number): StateV4 {
  const account = String(100000000000 + s);
  const region = ['eu-west-1', 'eu-central-1', 'us-east-1'][s % 3];
  const out: Resource[] = [];
  const arn = (service: string, rest: string, r = region) =>
    `arn:aws:${service}:${r}:${account}:${rest}`;
  const add = (
    type: string,
    name: string,
    module: string | undefined,
    attributes: Record<string, unknown>,
    dependencies: string[] = [],
  ) =>
    out.push({
      mode: 'managed',
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      ...(module ? { module } : {}),
      instances: [{ schema_version: 0, attributes, dependencies }],
    } as Resource);
  const vpcId = `vpc-${s}`;
  add('aws_vpc', 'main', undefined, {
    id: vpcId,
    arn: arn('ec2', `vpc/${vpcId}`),
    cidr_block: '10.0.0.0/16',
    tags: { Name: `stack-${s}` },
  });
  const units = Math.floor((resources - 1) / PER_UNIT);
  for (let u = 0; u < units; u++) {
    const m = `module.svc_${u % 50}.module.unit_${u}`;
    const k = `${s}-${u}`;
    const sg = `sg-${k}`;
    const subnet = `subnet-${k}`;
    const open = u % 100 === 0;
    const addr = (t: string, n: string) => `${m}.${t}.${n}`;
    add('aws_security_group', 'web', m, {
      id: sg,
      arn: arn('ec2', `security-group/${sg}`),
      name: `web-${k}`,
      vpc_id: vpcId,
      ingress: [
        {
          from_port: open && u % 200 === 0 ? 22 : 443,
          to_port: open && u % 200 === 0 ? 22 : 443,
          protocol: 'tcp',
          cidr_blocks: [open ? '0.0.0.0/0' : '10.0.0.0/8'],
          ipv6_cidr_blocks: [],
        },
      ],
      tags: { Name: `web-${k}`, System: `system-${u % 40}` },
    });
    add('aws_subnet', 'a', m, {
      id: subnet,
      arn: arn('ec2', `subnet/${subnet}`),
      vpc_id: vpcId,
      cidr_block: `10.${u % 250}.0.0/24`,
    });
    add('aws_iam_role', 'app', m, {
      id: `app-${k}`,
      name: `app-${k}`,
      arn: `arn:aws:iam::${account}:role/app-${k}`,
      assume_role_policy: '{"Version":"2012-10-17","Statement":[]}',
    });
    add('aws_iam_role', 'fn', m, {
      id: `fn-${k}`,
      name: `fn-${k}`,
      arn: `arn:aws:iam::${account}:role/fn-${k}`,
    });
    add(
      'aws_iam_instance_profile',
      'app',
      m,
      {
        id: `app-${k}`,
        name: `app-${k}`,
        arn: `arn:aws:iam::${account}:instance-profile/app-${k}`,
        role: `app-${k}`,
      },
      [addr('aws_iam_role', 'app')],
    );
    const key = `key-${k}`;
    add('aws_kms_key', 'data', m, {
      id: key,
      key_id: key,
      arn: arn('kms', `key/${key}`),
      description: `data ${k}`,
    });
    for (const b of ['data', 'logs']) {
      add('aws_s3_bucket', b, m, {
        id: `${b}-${k}`,
        bucket: `${b}-${k}`,
        arn: `arn:aws:s3:::${b}-${k}`,
        region,
        tags: { Name: `${b}-${k}` },
      });
    }
    add(
      'aws_s3_bucket_server_side_encryption_configuration',
      'data',
      m,
      {
        id: `data-${k}`,
        bucket: `data-${k}`,
        rule: [
          {
            apply_server_side_encryption_by_default: [
              {
                sse_algorithm: 'aws:kms',
                kms_master_key_id: arn('kms', `key/${key}`),
              },
            ],
          },
        ],
      },
      [addr('aws_s3_bucket', 'data'), addr('aws_kms_key', 'data')],
    );
    add(
      'aws_iam_policy',
      'data',
      m,
      {
        id: `arn:aws:iam::${account}:policy/data-${k}`,
        arn: `arn:aws:iam::${account}:policy/data-${k}`,
        name: `data-${k}`,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:PutObject'],
              Resource: [`arn:aws:s3:::data-${k}/*`],
            },
            {
              Effect: 'Allow',
              Action: ['kms:Decrypt'],
              Resource: arn('kms', `key/${key}`),
            },
          ],
        }),
      },
      [addr('aws_s3_bucket', 'data')],
    );
    for (const r of ['app', 'fn']) {
      add(
        'aws_iam_role_policy_attachment',
        r,
        m,
        {
          id: `${r}-${k}-data`,
          role: `${r}-${k}`,
          policy_arn: `arn:aws:iam::${account}:policy/data-${k}`,
        },
        [addr('aws_iam_role', r), addr('aws_iam_policy', 'data')],
      );
    }
    for (let i = 0; i < 3; i++) {
      add(
        'aws_instance',
        `app_${i}`,
        m,
        {
          id: `i-${k}-${i}`,
          arn: arn('ec2', `instance/i-${k}-${i}`),
          instance_type: 't3.small',
          subnet_id: subnet,
          vpc_security_group_ids: [sg],
          iam_instance_profile: `app-${k}`,
          public_ip: open ? `203.0.113.${i}` : '',
          tags: { Name: `app-${k}-${i}` },
        },
        [addr('aws_subnet', 'a'), addr('aws_security_group', 'web')],
      );
    }
    add(
      'aws_lambda_function',
      'worker',
      m,
      {
        id: `worker-${k}`,
        function_name: `worker-${k}`,
        arn: arn('lambda', `function:worker-${k}`),
        role: `arn:aws:iam::${account}:role/fn-${k}`,
        kms_key_arn: arn('kms', `key/${key}`),
        runtime: 'nodejs20.x',
      },
      [addr('aws_iam_role', 'fn'), addr('aws_kms_key', 'data')],
    );
    add(
      'aws_lambda_function_url',
      'worker',
      m,
      {
        id: `https://${k}.lambda-url.${region}.on.aws/`,
        function_name: `worker-${k}`,
        authorization_type: u % 150 === 0 ? 'NONE' : 'AWS_IAM',
      },
      [addr('aws_lambda_function', 'worker')],
    );
    add(
      'aws_db_instance',
      'db',
      m,
      {
        id: `db-${k}`,
        identifier: `db-${k}`,
        arn: arn('rds', `db:db-${k}`),
        kms_key_id: arn('kms', `key/${key}`),
        vpc_security_group_ids: [sg],
        publicly_accessible: false,
        storage_encrypted: true,
      },
      [addr('aws_security_group', 'web'), addr('aws_kms_key', 'data')],
    );
    add('aws_cloudwatch_log_group', 'worker', m, {
      id: `/aws/lambda/worker-${k}`,
      arn: arn('logs', `log-group:/aws/lambda/worker-${k}`),
      name: `/aws/lambda/worker-${k}`,
    });
    add('aws_sqs_queue', 'jobs', m, {
      id: `https://sqs/${k}`,
      arn: arn('sqs', `jobs-${k}`),
      name: `jobs-${k}`,
    });
  }
  return {
    version: 4,
    terraform_version: '1.9.8',
    serial: 1,
    lineage: crypto.randomUUID(),
    outputs: {},
    resources: out,
  } as StateV4;
}

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
      const state = stack(s, perStack);
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
      ratio: '1.0x',
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
      ratio: `${(graphMs / parseMs).toFixed(1)}x`,
      note: `${assets} assets, ${edges} relationships`,
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
      ratio: `${(processMs / parseMs).toFixed(1)}x`,
      note: `${(processMs / graphMs).toFixed(
        2,
      )}x the in-process path (${STACKS} processes)`,
    });

    const ingest = async (label: string, store: GraphStore) => {
      const [, ms] = await timed(() =>
        viaProvider((s, g) =>
          store.replaceSourceGraph(TENANT, `stack-${s}`, g).then(() => {}),
        ),
      );
      row({
        step: `ingest through the provider process, ${label}`,
        time: seconds(ms),
        rate: `${Math.round(assets / (ms / 1000))} assets/s`,
        ratio: `${(ms / parseMs).toFixed(1)}x`,
        note: `peak RSS so far ${mb(peakRss)}`,
      });
      return ms;
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
    await ingest('SQLite', liteStore);
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
      await ingest('PostgreSQL', store);

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
      note: 'target < 1.5 GB',
    });

    const header: Row = {
      step: 'step',
      time: 'time',
      rate: 'rate',
      ratio: 'vs parse',
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
