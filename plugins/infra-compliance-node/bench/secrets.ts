/*
 * yarn bench:secrets [--files N] [--seed N]
 *
 * A generated corpus of Terraform code, tfvars, plans and state, with planted secrets of many
 * kinds and decoys that look like them (digests, UUIDs, AWS's example keys, ARNs, public keys,
 * certificates), every planted value known. Runs infra-secrets' scanner and secretlint alone
 * (its recommended preset) over the same files and prints, per kind of file, the recall and
 * precision of each (a finding is matched to the planted value by its salted fingerprint) and
 * their speed in MB/s. Targets: higher recall on state and plans, no lower precision, within 2x
 * of secretlint's speed.
 */
import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import crypto from 'node:crypto';
import os from 'node:os';
import {
  quietSecretlintProfiler,
  scanSecretsInText,
  secretFingerprint,
  SecretSource,
} from '../src/secrets';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FILES = arg('files', 200);
let seed = arg('seed', 7);
/** How many times each file is scanned by each scanner (the fastest counts). */
const ROUNDS = 5;
const SALT = 'bench';

/** A small deterministic PRNG (mulberry32), so every run plants the same corpus. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (chars: string, n: number) =>
  Array.from(
    { length: n },
    () => chars[Math.floor(random() * chars.length)],
  ).join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;
const HEX = '0123456789abcdef';

/** Secrets of many kinds, each a fresh random value of the real format. */
const SECRETS: Record<string, () => string> = {
  'aws-secret-key': () => pick(B64, 40),
  'github-token': () => `ghp_${pick(ALNUM, 36)}`,
  'slack-token': () =>
    `xoxb-${pick('0123456789', 12)}-${pick('0123456789', 13)}-${pick(
      ALNUM,
      24,
    )}`,
  'private-key': () =>
    `-----BEGIN RSA PRIVATE KEY-----\n${pick(B64, 64)}\n${pick(
      B64,
      64,
    )}\n-----END RSA PRIVATE KEY-----\n`,
  password: () => `${pick(ALNUM, 6)}#${pick(ALNUM, 5)}!${pick(ALNUM, 4)}`,
  'api-key': () => pick(ALNUM, 32),
};
/** Values that look like secrets and are not. */
const DECOYS: Array<() => string> = [
  () => pick(HEX, 64),
  () => pick(HEX, 40),
  () => crypto.randomUUID(),
  () => 'AKIAIOSFODNN7EXAMPLE',
  () => 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  () => `arn:aws:iam::${pick('0123456789', 12)}:role/${pick(ALNUM, 12)}`,
  () => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${pick(B64, 43)}`,
  () => `${pick(B64, 43)}=`,
  () => `sg-${pick(HEX, 17)}`,
  () =>
    `-----BEGIN CERTIFICATE-----\n${pick(
      B64,
      64,
    )}\n-----END CERTIFICATE-----\n`,
];

type Planted = { file: string; source: SecretSource; values: string[] };

const decoy = () => DECOYS[Math.floor(random() * DECOYS.length)]();

/** A state file: resources whose provider attributes hold secrets, decoys beside them. */
function stateFile(n: number): { text: string; values: string[] } {
  const values: string[] = [];
  const resources: unknown[] = [];
  for (let i = 0; i < 100; i++) {
    // One resource in ten holds a secret, of a kind in turn; the others only decoys.
    const kind = i % 10 === 0 ? (i / 10 + n) % 5 : -1;
    const plant = (v: string) => {
      values.push(v);
      return v;
    };
    const attrs: Record<string, unknown> = {
      id: decoy(),
      arn: `arn:aws:s3:::b-${n}-${i}`,
      etag: pick(HEX, 32),
      source_code_hash: `${pick(B64, 43)}=`,
      tags: { Owner: 'team', Commit: pick(HEX, 40) },
      description: decoy(),
      // Ids AWS makes up: random-looking, never secret.
      unique_id: `AROA${pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 17)}`,
      cluster_resource_id: `cluster-${pick(
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
        26,
      )}`,
      bucket: `logs-${pick(HEX, 8)}-${pick(HEX, 4)}`,
    };
    let type = 'aws_s3_bucket';
    let sensitive: unknown[] = [];
    if (kind === 0) {
      type = 'aws_db_instance';
      attrs.password = plant(SECRETS.password());
      sensitive = [[{ type: 'get_attr', value: 'password' }]];
    } else if (kind === 1) {
      type = 'aws_iam_access_key';
      attrs.secret = plant(SECRETS['aws-secret-key']());
      attrs.ses_smtp_password_v4 = plant(pick(B64, 44));
    } else if (kind === 2) {
      type = 'tls_private_key';
      attrs.private_key_pem = plant(SECRETS['private-key']());
      attrs.public_key_openssh = `ssh-rsa AAAAB3NzaC1yc2E${pick(B64, 60)}`;
    } else if (kind === 3) {
      type = 'aws_lambda_function';
      attrs.environment = [
        {
          variables: {
            SLACK_TOKEN: plant(SECRETS['slack-token']()),
            STAGE: 'prod',
          },
        },
      ];
    } else if (kind === 4) {
      type = 'random_password';
      attrs.result = plant(SECRETS.password());
    }
    resources.push({
      mode: 'managed',
      type,
      name: `r${i}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 0,
          attributes: attrs,
          sensitive_attributes: sensitive,
        },
      ],
    });
  }
  const token = SECRETS['github-token']();
  values.push(token);
  return {
    text: JSON.stringify(
      {
        version: 4,
        terraform_version: '1.9.8',
        serial: n,
        lineage: crypto.randomUUID(),
        outputs: {
          ci_token: { value: token, type: 'string', sensitive: true },
        },
        resources,
      },
      null,
      2,
    ),
    values,
  };
}

/** A plan: a sensitive variable, a database created with its password, decoys. */
/** Plan resources without secrets (buckets and functions with their ids and digests). */
function plainPlanResources(n: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    address: `aws_lambda_function.f${n}_${i}`,
    mode: 'managed',
    type: 'aws_lambda_function',
    name: `f${n}_${i}`,
    values: {
      function_name: `fn-${n}-${i}`,
      role: `arn:aws:iam::123456789012:role/fn-${i}`,
      source_code_hash: `${pick(B64, 43)}=`,
      environment: [{ variables: { STAGE: 'prod', BUILD: pick(HEX, 40) } }],
      tags: { Build: crypto.randomUUID() },
    },
    sensitive_values: {},
  }));
}

function planFile(n: number): { text: string; values: string[] } {
  const password = SECRETS.password();
  const apiKey = SECRETS['api-key']();
  const key = SECRETS['private-key']();
  const after = {
    password,
    engine: 'postgres',
    identifier: `orders-${n}`,
    kms_key_id: `arn:aws:kms:eu-west-1:123456789012:key/${crypto.randomUUID()}`,
    etag: pick(HEX, 32),
  };
  return {
    text: JSON.stringify(
      {
        format_version: '1.2',
        terraform_version: '1.9.8',
        variables: {
          db_password: { value: password },
          vendor_api_key: { value: apiKey },
          region: { value: 'eu-west-1' },
          build: { value: pick(HEX, 40) },
        },
        configuration: {
          root_module: { variables: { db_password: { sensitive: true } } },
        },
        planned_values: {
          root_module: {
            resources: [
              {
                address: 'aws_db_instance.orders',
                mode: 'managed',
                type: 'aws_db_instance',
                name: 'orders',
                values: after,
                sensitive_values: { password: true },
              },
              {
                address: 'tls_private_key.deploy',
                mode: 'managed',
                type: 'tls_private_key',
                name: 'deploy',
                values: { private_key_pem: key, algorithm: 'RSA', id: decoy() },
                sensitive_values: {},
              },
              ...plainPlanResources(n, 30),
            ],
          },
        },
        resource_changes: [
          {
            address: 'aws_db_instance.orders',
            mode: 'managed',
            type: 'aws_db_instance',
            name: 'orders',
            change: {
              actions: ['create'],
              before: null,
              after,
              after_sensitive: { password: true },
            },
          },
        ],
      },
      null,
      2,
    ),
    values: [password, apiKey, key],
  };
}

/** Code: literals in secret places and token formats in locals; references and decoys. */
function codeFile(n: number): { text: string; values: string[] } {
  const password = SECRETS.password();
  const github = SECRETS['github-token']();
  const aws = SECRETS['aws-secret-key']();
  return {
    text: `provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "${aws}"
}

locals {
  build_sha = "${pick(HEX, 40)}"
  ci_token  = "${github}"
  zone      = "${crypto.randomUUID()}"
}

resource "aws_db_instance" "db${n}" {
  engine   = "postgres"
  password = "${password}"
  kms_key_id = "arn:aws:kms:eu-west-1:123456789012:key/${crypto.randomUUID()}"
}

resource "aws_db_instance" "replica${n}" {
  engine   = "postgres"
  password = var.db_password
}
${plainResources(n, 30)}`,
    values: [aws, github, password],
  };
}

/** Resources without secrets, their ids and digests the decoys, as most code is. */
function plainResources(n: number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`resource "aws_s3_bucket" "b${n}_${i}" {
  bucket = "logs-${pick(HEX, 8)}-${i}"
  tags = {
    Owner  = "team-${i % 7}"
    Commit = "${pick(HEX, 40)}"
    Build  = "${crypto.randomUUID()}"
  }
}

resource "aws_lambda_function" "f${n}_${i}" {
  function_name    = "fn-${n}-${i}"
  role             = "arn:aws:iam::123456789012:role/fn-${i}"
  source_code_hash = "${pick(B64, 43)}="
  environment {
    variables = {
      STAGE = "prod"
      TABLE = "orders-${i}"
    }
  }
}
`);
  }
  return out.join('\n');
}

function tfvarsFile(): { text: string; values: string[] } {
  const token = SECRETS['slack-token']();
  const password = SECRETS.password();
  return {
    text: `region = "eu-west-1"\nimage_digest = "${pick(
      HEX,
      64,
    )}"\nslack_webhook_token = "${token}"\nadmin_password = "${password}"\n${Array.from(
      { length: 40 },
      (_, i) =>
        `service_${i} = { name = "svc-${i}", image = "registry.example.com/svc@sha256:${pick(
          HEX,
          64,
        )}", replicas = ${i % 5} }`,
    ).join('\n')}\n`,
    values: [token, password],
  };
}

/** The i-th file of the corpus: state, plan, code and tfvars in turn. */
function makeFile(i: number): Planted & { text: string } {
  switch (i % 4) {
    case 0:
      return { source: 'state', file: `s${i}.tfstate`, ...stateFile(i) };
    case 1:
      return { source: 'plan', file: `p${i}.json`, ...planFile(i) };
    case 2:
      return { source: 'code', file: `c${i}.tf`, ...codeFile(i) };
    default:
      return { source: 'tfvars', file: `v${i}.tfvars`, ...tfvarsFile() };
  }
}

type Tally = { tp: number; fp: number; fn: number; bytes: number; ms: number };
const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0, bytes: 0, ms: 0 });

async function main() {
  const files: Array<Planted & { text: string }> = [];
  for (let i = 0; i < FILES; i++) {
    files.push(makeFile(i));
  }
  const config = {
    rules: [
      { id: '@secretlint/secretlint-rule-preset-recommend', rule: creator },
    ],
  };
  const ours = new Map<string, Tally>();
  const theirs = new Map<string, Tally>();
  const of = (m: Map<string, Tally>, k: string) => {
    let t = m.get(k);
    if (!t) m.set(k, (t = tally()));
    return t;
  };
  const count = (t: Tally, planted: Set<string>, found: Set<string>) => {
    for (const f of found) {
      if (planted.has(f)) t.tp++;
      else t.fp++;
    }
    for (const p of planted) if (!found.has(p)) t.fn++;
  };
  // secretlint's own profiler keeps every mark of the process and searches them on each new one
  // (each file costs more than the last): quieted for both runs, as the scanner does.
  await quietSecretlintProfiler();
  // Warm both up (module loading, regex compilation) outside the measured runs.
  await scanSecretsInText(files[0].file, files[0].text, { salt: SALT });
  await lintSource({
    source: {
      filePath: files[0].file,
      content: files[0].text,
      contentType: 'text',
    },
    options: { config, maskSecrets: true },
  });
  // Each file is scanned ROUNDS times by each, interleaved, and the fastest time of each counts:
  // a single pass over a few MB is mostly garbage collection and compilation noise.
  const time = async <T>(fn: () => Promise<T>) => {
    let best = Infinity;
    let result: T | undefined;
    for (let r = 0; r < ROUNDS; r++) {
      const start = process.hrtime.bigint();
      result = await fn();
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
    }
    return { result: result!, ms: best };
  };
  for (const f of files) {
    const planted = new Set(f.values.map(v => secretFingerprint(SALT, v)));
    const bytes = Buffer.byteLength(f.text);

    const ourRun = await time(() =>
      scanSecretsInText(f.file, f.text, { salt: SALT }),
    );
    for (const key of [f.source, 'all']) {
      const t = of(ours, key);
      t.bytes += bytes;
      t.ms += ourRun.ms;
      count(
        t,
        planted,
        new Set(ourRun.result.findings.map(x => x.fingerprint)),
      );
    }

    const theirRun = await time(() =>
      lintSource({
        source: { filePath: f.file, content: f.text, contentType: 'text' },
        options: { config, maskSecrets: true },
      }),
    );
    // What secretlint matched, fingerprinted the same way; a match inside a JSON string holds
    // the value as the file escapes it, so it is unescaped first.
    const found = new Set(
      theirRun.result.messages.map(m => {
        const raw = f.text.slice(m.range[0], m.range[1]);
        let value = raw;
        try {
          value = JSON.parse(`"${raw}"`);
        } catch {
          value = raw;
        }
        return secretFingerprint(SALT, value);
      }),
    );
    for (const key of [f.source, 'all']) {
      const t = of(theirs, key);
      t.bytes += bytes;
      t.ms += theirRun.ms;
      count(t, planted, found);
    }
  }
  const rate = (a: number, b: number) =>
    a + b ? (a / (a + b)).toFixed(2) : '–';
  const mbs = (t: Tally) => (t.bytes / 1024 / 1024 / (t.ms / 1000)).toFixed(1);
  const rows = ['state', 'plan', 'code', 'tfvars', 'all'].map(k => {
    const o = of(ours, k);
    const s = of(theirs, k);
    return [
      k,
      `${o.tp + o.fn}`,
      `${rate(o.tp, o.fn)} / ${rate(s.tp, s.fn)}`,
      `${rate(o.tp, o.fp)} / ${rate(s.tp, s.fp)}`,
      `${o.fp} / ${s.fp}`,
      `${mbs(o)} / ${mbs(s)}`,
      `${(o.ms / s.ms).toFixed(2)}x`,
    ];
  });
  const columns = [
    'files',
    'planted',
    'recall (ours / secretlint)',
    'precision (ours / secretlint)',
    'false pos.',
    'MB/s (ours / secretlint)',
    'time vs secretlint',
  ];
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...rows.map(r => r[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const total = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  process.stdout.write(
    `Secret scanning: ${FILES} generated files (${(total / 1024 / 1024).toFixed(
      1,
    )} MB), node ${process.version}, ${os.cpus().length} CPUs\n\n${line(
      columns,
    )}\n${line(widths.map(w => '-'.repeat(w)))}\n${rows
      .map(line)
      .join('\n')}\n\n` +
      "Targets: recall on state and plans above secretlint's, precision not below it, time within 2x.\n",
  );
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
