/*
 * yarn bench:drift — change control at scale.
 *
 *   - a generated plan of about 50 MB with 10 000 resource changes (and 500 drifted resources):
 *     parsing and analysing it (drift, attribute diffs with masking, risk, summary) against plain
 *     JSON.parse of the same text (target: within 2x), the canonical SHA-256 of it, peak RSS;
 *   - ML-DSA-65 sign and verify per second through our code (canonical JSON payloads) against
 *     direct @noble/post-quantum calls on the same bytes (target: within 10%);
 *   - the compliance report for 10 000 signed approvals (5 000 change requests of two
 *     approvals), every signature verified, on SQLite and PostgreSQL.
 *
 * Options: --changes N (default 10000), --approvals N (default 10000).
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  ApprovalPayload,
  generateSigningKey,
  signedBytes,
  signPayload,
  SIGNATURE_ALGORITHM,
  toBase64,
  verifyPayload,
} from '@infra-hub/plugin-infra-change-common';
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';
import knexFactory, { Knex } from 'knex';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ChangeStore } from '../src/database/ChangeStore';
import { ChangeService } from '../src/services/ChangeService';
import { VerifierPool } from '../src/services/VerifierPool';
import { PlanAnalyzer } from '../src/services/PlanAnalyzer';
import {
  analyzePlan,
  analyzePlanText,
  planHashOf,
} from '../src/services/planAnalysis';
import { parsePlan } from '@infra-hub/plugin-infra-change-common';
import { SigningService } from '../src/services/SigningService';
import { SigningKeyStore } from '../src/database/SigningKeyStore';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CHANGES = arg('changes', 10_000);
const APPROVALS = arg('approvals', 10_000);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** The best of `n` runs, in ms. */
function best(n: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t = now();
    fn();
    min = Math.min(min, now() - t);
  }
  return min;
}

// ---- the plan ----------------------------------------------------------------------------------

function attributes(i: number, variant: number) {
  const tags: Record<string, string> = {
    Name: `app-${i}`,
    Team: 'storefront',
    CostCenter: `cc-${i % 97}`,
    Environment: 'production',
  };
  return {
    id: `i-${i.toString(16).padStart(12, '0')}`,
    arn: `arn:aws:ec2:eu-west-1:210987654321:instance/i-${i}`,
    ami: `ami-${(i * 7919).toString(16)}`,
    instance_type: variant ? 't3.large' : 't3.medium',
    subnet_id: `subnet-${i % 40}`,
    vpc_security_group_ids: [`sg-${i % 25}`, `sg-shared`],
    iam_instance_profile: `app-${i % 50}`,
    monitoring: true,
    ebs_optimized: variant === 1,
    user_data: `#!/bin/bash\necho ${'x'.repeat(200)}\n`,
    root_block_device: [
      {
        volume_size: 30 + variant * 10,
        volume_type: 'gp3',
        encrypted: true,
        kms_key_id: `arn:aws:kms:eu-west-1:210987654321:key/${i % 10}`,
        iops: 3000,
        throughput: 125,
        delete_on_termination: true,
      },
    ],
    metadata_options: [
      {
        http_tokens: variant ? 'required' : 'optional',
        http_endpoint: 'enabled',
        http_put_response_hop_limit: 1,
      },
    ],
    ingress: Array.from({ length: 6 }, (_, k) => ({
      from_port: 8000 + k,
      to_port: 8000 + k,
      protocol: 'tcp',
      cidr_blocks: [`10.${k}.0.0/16`],
      description: `service port ${k} ${'d'.repeat(60)}`,
    })),
    tags,
    tags_all: { ...tags, ManagedBy: 'terraform' },
    password: `pw-${i}`,
    credit_specification: [{ cpu_credits: 'unlimited' }],
    capacity_reservation_specification: [
      {
        capacity_reservation_preference: 'open',
        capacity_reservation_target: [],
      },
    ],
    private_dns_name_options: [
      { enable_resource_name_dns_a_record: false, hostname_type: 'ip-name' },
    ],
    description: 'd'.repeat(450),
  };
}

function generatePlan(changes: number) {
  const actionOf = (i: number): string[] => {
    const r = i % 20;
    if (r < 14) return ['update'];
    if (r < 16) return ['create'];
    if (r === 16) return ['delete'];
    if (r === 17) return ['delete', 'create'];
    return ['no-op'];
  };
  const types = [
    'aws_instance',
    'aws_security_group',
    'aws_s3_bucket',
    'aws_db_instance',
  ];
  const resource_changes = Array.from({ length: changes }, (_, i) => {
    const actions = actionOf(i);
    const before = actions[0] === 'create' ? null : attributes(i, 0);
    const after =
      actions[0] === 'delete' && actions.length === 1 ? null : attributes(i, 1);
    return {
      address: `module.app_${i % 100}.${types[i % 4]}.r${i}`,
      module_address: `module.app_${i % 100}`,
      mode: 'managed',
      type: types[i % 4],
      name: `r${i}`,
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions,
        before,
        after,
        after_unknown: after ? { id: actions[0] === 'create' } : {},
        before_sensitive: before ? { password: true } : false,
        after_sensitive: after ? { password: true } : false,
      },
    };
  });
  const resource_drift = resource_changes
    .slice(0, Math.round(changes / 20))
    .map(r => ({
      ...r,
      change: {
        ...r.change,
        actions: ['update'],
        before: attributes(1, 0),
        after: attributes(1, 1),
      },
    }));
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_drift,
    resource_changes,
    planned_values: { root_module: {} },
  });
}

// ---- databases ---------------------------------------------------------------------------------

/** `knex` migrated as the plugin does it (through the store's create()). */
async function migrate(knex: Knex) {
  await ChangeStore.create({ database: mockServices.database({ knex }) });
  return knex;
}

async function postgres() {
  const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url) return undefined;
  const db = `infra_drift_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${db}`);
  await admin.destroy();
  const u = new URL(url);
  u.pathname = `/${db}`;
  return migrate(knexFactory({ client: 'pg', connection: u.toString() }));
}

/** 5 000 change requests with two signed approvals each; the report verifies all of them. */
async function reportBench(
  knex: Knex,
  key: ReturnType<typeof generateSigningKey>,
  signatures: Array<{ payload: ApprovalPayload; signature: string }>,
) {
  const spine = { recordAudit: async () => {} } as any;
  const store = new ChangeStore(knex);
  const make = (verifier?: VerifierPool) =>
    new ChangeService({
      store,
      spine,
      signing: new SigningService(new SigningKeyStore(knex), spine),
      settings: {
        requiredApprovals: { none: 1, low: 1, medium: 1, high: 2, critical: 2 },
        maxPlanBytes: 1 << 30,
        analysisTimeoutMs: 60_000,
        seedPlans: [],
        refresh: [],
      },
      analyzer: new PlanAnalyzer({ timeoutMs: 60_000 }),
      ...(verifier ? { verifier } : {}),
    });
  await knex('infra_signing_keys').insert({
    tenant_id: 'system',
    id: key.keyId,
    algorithm: SIGNATURE_ALGORITHM,
    public_key: toBase64(key.publicKey),
    credential_id: crypto.randomUUID(),
    created_by: 'bench',
    created_at: new Date(),
  });
  await knex('infra_change_modules').insert({
    tenant_id: 'bench',
    id: 'storefront-prod',
    created_by: 'bench',
    created_at: new Date(),
  });
  const planId = crypto.randomUUID();
  await knex('infra_change_plans').insert({
    tenant_id: 'bench',
    id: planId,
    module_id: 'storefront-prod',
    kind: 'plan',
    sha256: signatures[0].payload.planHash,
    format_version: '1.2',
    size_bytes: 1,
    risk: 'high',
    drifted: 0,
    summary: '{}',
    drift: '[]',
    changes: '[]',
    uploaded_by: 'bench',
    uploaded_at: new Date(),
  });
  const requests = [];
  const decisions = [];
  for (let i = 0; i < signatures.length; i += 2) {
    const id = signatures[i].payload.changeRequestId;
    requests.push({
      tenant_id: 'bench',
      id,
      module_id: 'storefront-prod',
      plan_id: planId,
      plan_hash: signatures[i].payload.planHash,
      risk: 'high',
      summary: '{"text":""}',
      requester: 'user:default/priya.shah',
      rollback_note: 'Re-apply.',
      state: 'approved',
      required_approvals: 2,
      created_at: new Date(Date.now() - i),
      updated_at: new Date(),
    });
    for (const s of [signatures[i], signatures[i + 1]]) {
      decisions.push({
        tenant_id: 'bench',
        id: crypto.randomUUID(),
        change_request_id: id,
        approver: s.payload.approver,
        decision: 'approve',
        comment: 'ok',
        decided_at: new Date(s.payload.approvedAt),
        payload: JSON.stringify(s.payload),
        signature: s.signature,
        key_id: key.keyId,
      });
    }
  }
  for (let i = 0; i < requests.length; i += 200)
    await knex('infra_change_requests').insert(requests.slice(i, i + 200));
  for (let i = 0; i < decisions.length; i += 200)
    await knex('infra_change_decisions').insert(decisions.slice(i, i + 200));
  // The first report on one thread (no pool), then, forgotten, on the worker pool, then on
  // another service (another replica, or after a restart): outcomes come from the database.
  let t = now();
  await make().report('bench', { limit: requests.length });
  const oneThreadMs = now() - t;
  await knex('infra_change_verifications').delete();
  const pool = new VerifierPool();
  try {
    t = now();
    const rows = await make(pool).report('bench', { limit: requests.length });
    const ms = now() - t;
    const valid = rows
      .flatMap(r => r.approvals)
      .filter(a => a.signature === 'valid').length;
    t = now();
    await make(new VerifierPool()).report('bench', { limit: requests.length });
    const againMs = now() - t;
    return { oneThreadMs, ms, againMs, valid, workers: pool.size };
  } finally {
    pool.stop();
  }
}

type Row = {
  step: string;
  value: string;
  baseline: string;
  ratio: string;
  note: string;
};

/**
 * A hostile plan of about `bytes`: attribute values that made the old backtracking patterns
 * quadratic (long JWT-like runs, long keys, long policy documents with many Action lists).
 */
function adversarialPlan(bytes: number, kind: 'jwt' | 'keys' | 'policy') {
  const n = Math.floor(bytes / 2);
  let after: Record<string, unknown>;
  if (kind === 'jwt') after = { note: 'eyJ-'.repeat(bytes / 4) };
  else if (kind === 'keys')
    after = {
      [`${'a'.repeat(n)}.`]: 'x',
      tags: { [`${'b_'.repeat(n / 2)}`]: 'y' },
    };
  else
    after = {
      policy: `{"Statement":[${'{"Action":["s3:GetObject",'.repeat(
        bytes / 27,
      )}"x"]}]}`,
    };
  return JSON.stringify({
    format_version: '1.2',
    resource_changes: [
      {
        address: 'aws_iam_policy.hostile',
        type: 'aws_iam_policy',
        change: { actions: ['update'], before: {}, after },
      },
    ],
  });
}

/**
 * Adversarial plans: the analysis time per MB stays flat as the size doubles (linear), and a
 * server on this process keeps answering its liveness route while the worker analyses.
 */
async function adversarialBench(
  row: (r: Partial<Row> & { step: string }) => void,
) {
  for (const kind of ['jwt', 'keys', 'policy'] as const) {
    const small = adversarialPlan(256 * 1024, kind);
    const large = adversarialPlan(1024 * 1024, kind);
    const smallMs = best(3, () => analyzePlanText(small));
    const largeMs = best(3, () => analyzePlanText(large));
    row({
      step: `hostile plan (${kind}), ${(large.length / 1024).toFixed(
        0,
      )} KB vs ${(small.length / 1024).toFixed(0)} KB`,
      value: `${largeMs.toFixed(1)} ms`,
      baseline: `${smallMs.toFixed(1)} ms`,
      ratio: `${(largeMs / smallMs).toFixed(2)}x`,
      note: 'linear: about 4x for 4x the size',
    });
  }
  // Liveness while 20 hostile 1 MB plans are analysed in the worker thread.
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const analyzer = new PlanAnalyzer({ timeoutMs: 120_000 });
  let worst = 0;
  let answered = 0;
  let busy = true;
  const probe = (async () => {
    while (busy) {
      const t = now();
      await new Promise<void>((resolve, reject) =>
        http
          .get(`http://127.0.0.1:${port}/health`, res => {
            res.resume();
            res.on('end', resolve);
          })
          .on('error', reject),
      );
      worst = Math.max(worst, now() - t);
      answered++;
      await new Promise(r => setTimeout(r, 10));
    }
  })();
  const t = now();
  const plans = ['jwt', 'keys', 'policy'].map(k =>
    adversarialPlan(1024 * 1024, k as 'jwt'),
  );
  for (let i = 0; i < 20; i++) await analyzer.analyze(plans[i % 3]);
  const total = now() - t;
  busy = false;
  await probe;
  analyzer.stop();
  server.close();
  row({
    step: 'liveness while 20 hostile 1 MB plans are analysed',
    value: `worst ${worst.toFixed(0)} ms`,
    note: `${answered} answers in ${(total / 1000).toFixed(
      1,
    )} s; target a few hundred ms`,
  });
}

async function main() {
  const rows: Row[] = [];
  const row = (r: Partial<Row> & { step: string }) =>
    rows.push({ value: '', baseline: '', ratio: '', note: '', ...r });

  // ---- analysis
  const text = generatePlan(CHANGES);
  const parseMs = best(3, () => JSON.parse(text));
  let drifted = 0;
  const analysisMs = best(3, () => {
    drifted = analyzePlan(parsePlan(text)).drift.length;
  });
  row({
    step: `analyse a ${mb(
      text.length,
    )} plan (${CHANGES} changes, ${drifted} drifted)`,
    value: `${analysisMs.toFixed(0)} ms`,
    baseline: `JSON.parse ${parseMs.toFixed(0)} ms`,
    ratio: `${(analysisMs / parseMs).toFixed(2)}x`,
    note: 'target within 2x',
  });
  const hashMs = best(1, () => planHashOf(JSON.parse(text)));
  row({
    step: 'SHA-256 over the canonical form (parse included)',
    value: `${hashMs.toFixed(0)} ms`,
    baseline: `JSON.parse ${parseMs.toFixed(0)} ms`,
    ratio: `${(hashMs / parseMs).toFixed(2)}x`,
  });

  await adversarialBench(row);

  // ---- signatures
  const key = generateSigningKey(crypto.randomBytes(32));
  const payload = (i: number, approver: string): ApprovalPayload => ({
    type: 'infra-hub.cab-approval/1',
    changeRequestId: crypto.randomUUID(),
    tenant: 'bench',
    module: 'storefront-prod',
    risk: 'high',
    planHash: 'a'.repeat(64),
    approver,
    approvedAt: new Date(Date.UTC(2026, 10, 25) + i * 1000).toISOString(),
  });
  const sample = Array.from({ length: 60 }, (_, i) =>
    payload(i, 'user:default/tomas.novak'),
  );
  const bytes = sample.map(p => signedBytes(p));
  // Warm both paths up, then alternate them so that neither gets a better machine.
  for (let i = 0; i < 5; i++) {
    ml_dsa65.sign(bytes[i], key.secretKey);
    signPayload(sample[i], key.secretKey);
  }
  let direct = 0;
  let ours = 0;
  for (let round = 0; round < 3; round++) {
    let t = now();
    for (const b of bytes) ml_dsa65.sign(b, key.secretKey);
    direct += now() - t;
    t = now();
    for (const p of sample) signPayload(p, key.secretKey);
    ours += now() - t;
  }
  const n = bytes.length * 3;
  row({
    step: 'ML-DSA-65 sign, our code (canonical JSON payload)',
    value: `${Math.round((1000 * n) / ours)}/s`,
    baseline: `direct ${Math.round((1000 * n) / direct)}/s`,
    ratio: `${(ours / direct).toFixed(2)}x time`,
    note: 'target within 10%',
  });
  const sigs = sample.map(p => signPayload(p, key.secretKey));
  const rawSigs = sigs.map(s => Uint8Array.from(Buffer.from(s, 'base64')));
  direct = 0;
  ours = 0;
  for (let round = 0; round < 10; round++) {
    let t = now();
    for (let i = 0; i < bytes.length; i++)
      ml_dsa65.verify(rawSigs[i], bytes[i], key.publicKey);
    direct += now() - t;
    t = now();
    for (let i = 0; i < sample.length; i++)
      verifyPayload(sample[i], sigs[i], key.publicKey);
    ours += now() - t;
  }
  const m = bytes.length * 10;
  row({
    step: 'ML-DSA-65 verify, our code',
    value: `${Math.round((1000 * m) / ours)}/s`,
    baseline: `direct ${Math.round((1000 * m) / direct)}/s`,
    ratio: `${(ours / direct).toFixed(2)}x time`,
    note: 'target within 10%',
  });

  // ---- the report
  const signed: Array<{ payload: ApprovalPayload; signature: string }> = [];
  const t0 = now();
  for (let i = 0; i < APPROVALS; i += 2) {
    const first = payload(i, 'user:default/tomas.novak');
    const second = { ...first, approver: 'user:default/alex.morgan' };
    signed.push(
      { payload: first, signature: signPayload(first, key.secretKey) },
      { payload: second, signature: signPayload(second, key.secretKey) },
    );
  }
  const signMs = now() - t0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-bench-'));
  try {
    const lite = await migrate(
      knexFactory({
        client: 'better-sqlite3',
        connection: { filename: path.join(dir, 'bench.sqlite') },
        useNullAsDefault: true,
      }),
    );
    const reportRows = (
      db: string,
      r: Awaited<ReturnType<typeof reportBench>>,
    ) => {
      row({
        step: `compliance report, ${APPROVALS} approvals, ${db}: first run, one thread`,
        value: `${(r.oneThreadMs / 1000).toFixed(2)} s`,
        baseline: 'floor',
        ratio: '1.0x',
        note: `signing them took ${(signMs / 1000).toFixed(1)} s`,
      });
      row({
        step: `compliance report, ${db}: first run, ${r.workers} worker threads`,
        value: `${(r.ms / 1000).toFixed(2)} s`,
        ratio: `${(r.ms / r.oneThreadMs).toFixed(2)}x`,
        note: `${r.valid} signatures verified valid`,
      });
      row({
        step: `compliance report, ${db}: another replica or a restart`,
        value: `${(r.againMs / 1000).toFixed(2)} s`,
        ratio: `${(r.againMs / r.oneThreadMs).toFixed(2)}x`,
        note: 'outcomes remembered in the database, nothing verified again',
      });
    };
    reportRows('SQLite', await reportBench(lite, key, signed));
    await lite.destroy();
    const pg = await postgres();
    if (pg) {
      reportRows('PostgreSQL', await reportBench(pg, key, signed));
      await pg.destroy();
    } else {
      row({
        step: 'compliance report, PostgreSQL',
        note: 'not run: no BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  row({ step: 'peak RSS of the whole run', value: mb(peakRss) });
  clearInterval(sampler);

  const header: Row = {
    step: 'step',
    value: 'value',
    baseline: 'baseline',
    ratio: 'ratio',
    note: 'note',
  };
  const keys = Object.keys(header) as Array<keyof Row>;
  const width = Object.fromEntries(
    keys.map(k => [k, Math.max(...[header, ...rows].map(r => r[k].length))]),
  ) as Record<keyof Row, number>;
  const line = (r: Row) =>
    `| ${keys.map(k => r[k].padEnd(width[k])).join(' | ')} |`;
  console.log(
    `\nDrift and CAB benchmark: node ${process.version}, ${
      os.cpus().length
    } CPUs\n`,
  );
  console.log(line(header));
  console.log(`| ${keys.map(k => '-'.repeat(width[k])).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
