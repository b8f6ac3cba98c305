/*
 * yarn bench:compliance — the compliance engine at estate scale, and how well its rules detect.
 *
 *  1. Rules over the discovery benchmark's estate (100 000 resources in 10 Terraform states):
 *     - load the graph (readState + stateToGraph, what discovery does) — the baseline;
 *     - every rule over every asset (evaluateResources) — target within 2x of the load;
 *     - a whole evaluation as the backend runs it (reading the assets page by page, evaluating,
 *       aggregating posture, storing findings and drafting nothing else) on SQLite;
 *     - peak RSS.
 *  2. Terraform code: files/s of scanDirectory (parse + resources + rules) against parsing the
 *     same files alone with @cdktn/hcl2json.
 *  3. Detection: precision and recall per rule over the labelled corpus in bench/corpus (each
 *     resource block is preceded by `# expect: <rule ids>` or `# expect: none`: the rules that
 *     must fail on it; every other rule that applies must not).
 *
 * Options: --resources N (default 100000), --stacks N (default 10), --files N (default 2000).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { parse as parseHcl } from '@cdktn/hcl2json';
import {
  builtInPacksDirectory,
  evaluateResources,
  loadRuleSet,
  scanDirectory,
  RulePackWatcher,
} from '@infra-hub/plugin-infra-compliance-node';
import {
  readState,
  stateToGraph,
  StateV4,
} from '@infra-hub/plugin-infra-discovery-backend-module-terraform';
import {
  AssetChangesPage,
  DiscoveredAsset,
} from '@infra-hub/plugin-infra-discovery-common';
import { benchEstateStack } from '@infra-hub/test-utils';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ED25519_ALGORITHM,
  generateEd25519Key,
  generateSigningKey,
  KEY_HISTORY_FORMAT,
  signPayload,
  signPayloadEd25519,
  SIGNATURE_ALGORITHM,
} from '@infra-hub/plugin-infra-change-common';
import { ComplianceStore } from '../src/database/ComplianceStore';
import { EvidenceStore } from '../src/database/EvidenceStore';
import { FrameworkStore } from '../src/database/FrameworkStore';
import { EvaluationService } from '../src/services/EvaluationService';
import {
  EvaluationOutcome,
  EvidenceSealer,
  EvidenceService,
} from '../src/services/EvidenceService';
import { FrameworkService } from '../src/services/FrameworkService';
import { Rules } from '../src/services/Rules';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RESOURCES = arg('resources', 100_000);
const STACKS = arg('stacks', 10);
const FILES = arg('files', 2000);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

function table(title: string, columns: string[], rows: string[][]) {
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(
    `\n${title}\n\n${line(columns)}\n${line(
      widths.map(w => '-'.repeat(w)),
    )}\n${rows.map(line).join('\n')}\n`,
  );
}

// ---- 1. rules over the estate -----------------------------------------------------------------
async function estate(dir: string) {
  const ruleSet = loadRuleSet([builtInPacksDirectory()]);
  const perStack = Math.ceil(RESOURCES / STACKS);
  const texts = Array.from({ length: STACKS }, (_, s) =>
    JSON.stringify(benchEstateStack(s, perStack)),
  );
  const [assets, loadMs] = await timed(() => {
    const out: DiscoveredAsset[] = [];
    texts.forEach((text, s) => {
      const graph = stateToGraph(readState(text) as StateV4);
      for (const a of graph.assets)
        out.push({
          ...a,
          sourceId: `stack-${s}`,
          firstSeen: '2026-12-01T00:00:00.000Z',
          lastSeen: '2026-12-01T00:00:00.000Z',
        });
    });
    return out;
  });
  const resources = assets.map(a => ({
    type: a.type,
    address: a.id,
    attributes: a.attributes,
  }));
  const [results, rulesMs] = await timed(() =>
    evaluateResources(ruleSet.rules, resources),
  );
  const failing = results.filter(r => r.status === 'fail').length;

  // The backend's own evaluation, its store on SQLite and the assets read as pages of the feed.
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'compliance.sqlite') },
    useNullAsDefault: true,
  });
  const database = mockServices.database({ knex });
  const store = await ComplianceStore.create({ database });
  const rules = new Rules(new RulePackWatcher([builtInPacksDirectory()]));
  const spine = { recordAudit: async () => undefined };
  const frameworks = new FrameworkService({
    store: await FrameworkStore.create({ database }),
    rules,
    spine,
  });
  const pages: AssetChangesPage[] = [];
  for (let i = 0; i < assets.length; i += 5000) {
    pages.push({
      items: assets
        .slice(i, i + 5000)
        .map(a => ({ id: a.id, asset: a, edges: [] })),
      more: i + 5000 < assets.length,
      nextAfter: String(pages.length + 1),
    });
  }
  // Evidence as the backend keeps it, sealed in-process with the same primitives change
  // control signs with (ML-DSA-65 and Ed25519 over canonical JSON): no HTTP hop measured.
  const mlDsa = generateSigningKey(new Uint8Array(32).fill(1));
  const ed = generateEd25519Key(new Uint8Array(32).fill(2));
  const sealer: EvidenceSealer = {
    sign: async seal => ({
      keyId: mlDsa.keyId,
      algorithms: [SIGNATURE_ALGORITHM, ED25519_ALGORITHM],
      mlDsa65: signPayload(seal, mlDsa.secretKey),
      ed25519: signPayloadEd25519(seal, ed.secretKey),
    }),
    keyHistory: async () => ({ format: KEY_HISTORY_FORMAT, items: [] }),
  };
  const evidenceStore = await EvidenceStore.create({ database });
  const evidence = new EvidenceService({
    store: evidenceStore,
    sealer,
    spine,
    logger: mockServices.rootLogger({ level: 'warn' }),
  });
  const evidenceMs: number[] = [];
  const service = new EvaluationService({
    store,
    rules,
    frameworks,
    spine,
    feed: async (_t, o) => pages[o.after ? Number(o.after) : 0],
    logger: mockServices.rootLogger({ level: 'warn' }),
    graphChangeDelayMs: 0,
    evidence: {
      collect: async (outcome: EvaluationOutcome) => {
        const [, ms] = await timed(() => evidence.collect(outcome));
        evidenceMs.push(ms);
      },
    },
  });
  const [first, evalMs] = await timed(() =>
    service.evaluate('bench', 'manual', 'bench'),
  );
  const [, againMs] = await timed(() =>
    service.evaluate('bench', 'manual', 'bench'),
  );
  const sealedEvidence = await evidenceStore.list('bench', { limit: 2 });
  const blobRows = await knex('infra_compliance_evidence_blobs').select(
    knex.raw('count(*) as n, sum(length(body)) as bytes'),
  );
  const manifestBytes = await knex('infra_compliance_evidence')
    .max({ n: knex.raw('length(manifest)') })
    .first();
  await knex.destroy();
  if (sealedEvidence.length !== 2 || sealedEvidence.some(e => !e.sealed))
    throw new Error('the evidence of both evaluations was not sealed');
  if (first.status !== 'succeeded') throw new Error(first.error);

  table(
    `Compliance benchmark: ${
      assets.length
    } assets from ${STACKS} state files, ${ruleSet.rules.length} rules, node ${
      process.version
    }, ${os.cpus().length} CPUs`,
    ['step', 'time', 'vs load', 'note'],
    [
      [
        'load the graph (readState + stateToGraph), baseline',
        seconds(loadMs),
        '1.00x',
        `${assets.length} assets`,
      ],
      [
        'every rule over every asset (evaluateResources)',
        seconds(rulesMs),
        ratio(rulesMs, loadMs),
        `${results.length} results, ${failing} failing; target within 2x`,
      ],
      [
        'a whole evaluation, first (SQLite)',
        seconds(evalMs),
        ratio(evalMs, loadMs),
        `reads pages, aggregates posture, stores ${first.counts?.fail} findings`,
      ],
      [
        'a whole evaluation, nothing changed (SQLite)',
        seconds(againMs),
        ratio(againMs, loadMs),
        'findings only touched',
      ],
      [
        '  of which evidence, first (build, store, seal)',
        seconds(evidenceMs[0]),
        ratio(evidenceMs[0], loadMs),
        `${blobRows[0].n} rule snapshots, ${mb(
          Number(blobRows[0].bytes),
        )}; manifest ${Math.round(Number(manifestBytes?.n) / 1024)} KB`,
      ],
      [
        '  of which evidence, nothing changed',
        seconds(evidenceMs[1]),
        ratio(evidenceMs[1], loadMs),
        'no new snapshot stored, a manifest sealed',
      ],
      ['peak RSS so far', mb(peakRss), '', 'target < 1.5 GB'],
    ],
  );
  return { rulesRatio: rulesMs / loadMs };
}

// ---- 2. Terraform code ------------------------------------------------------------------------
function writeCode(dir: string) {
  for (let f = 0; f < FILES; f++) {
    const folder = path.join(dir, `stack-${Math.floor(f / 50)}`);
    fs.mkdirSync(folder, { recursive: true });
    const n = `u${f}`;
    fs.writeFileSync(
      path.join(folder, `${n}.tf`),
      `resource "aws_s3_bucket" "${n}" {
  bucket = "data-${n}"
  tags = { Name = "data-${n}", System = "bench" }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "${n}" {
  bucket = aws_s3_bucket.${n}.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_security_group" "${n}" {
  name   = "web-${n}"
  vpc_id = var.vpc_id
  ingress {
    from_port   = ${f % 10 === 0 ? 22 : 443}
    to_port     = ${f % 10 === 0 ? 22 : 443}
    protocol    = "tcp"
    cidr_blocks = ["${f % 10 === 0 ? '0.0.0.0/0' : '10.0.0.0/8'}"]
  }
}

resource "aws_db_instance" "${n}" {
  identifier          = "db-${n}"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  storage_encrypted   = ${f % 7 !== 0}
  publicly_accessible = false
  deletion_protection = true
  backup_retention_period = 7
  vpc_security_group_ids = [aws_security_group.${n}.id]
}

resource "aws_instance" "${n}" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  metadata_options {
    http_tokens = "required"
  }
}
`,
    );
  }
}

async function code(dir: string) {
  writeCode(dir);
  const files: string[] = [];
  for (const folder of fs.readdirSync(dir))
    for (const f of fs.readdirSync(path.join(dir, folder)))
      files.push(path.join(dir, folder, f));
  const [, parseMs] = await timed(async () => {
    for (const f of files) await parseHcl(f, fs.readFileSync(f, 'utf8'));
  });
  const ruleSet = loadRuleSet([builtInPacksDirectory()]);
  const [scan, scanMs] = await timed(async () => {
    const { resources } = await scanDirectory(dir);
    return evaluateResources(ruleSet.rules, resources);
  });
  const rate = (ms: number) =>
    `${Math.round(files.length / (ms / 1000))} files/s`;
  table(
    `Terraform code: ${files.length} .tf files of 5 resources in ${Math.ceil(
      files.length / 50,
    )} folders`,
    ['step', 'time', 'rate', 'vs parse', 'note'],
    [
      [
        'parse alone (@cdktn/hcl2json), baseline',
        seconds(parseMs),
        rate(parseMs),
        '1.00x',
        '',
      ],
      [
        'scan: parse, resources with lines and references, every rule',
        seconds(scanMs),
        rate(scanMs),
        ratio(scanMs, parseMs),
        `${scan.filter(r => r.status === 'fail').length} failing, ${
          scan.filter(r => r.status === 'unknown').length
        } unknown`,
      ],
    ],
  );
}

// ---- 3. detection -----------------------------------------------------------------------------
async function detection() {
  const corpus = path.join(__dirname, 'corpus');
  const ruleSet = loadRuleSet([builtInPacksDirectory()]);
  const { resources } = await scanDirectory(corpus);
  // Labels: the `# expect:` line above each resource block, by file and line.
  const labels = new Map<string, Set<string>>();
  for (const file of fs.readdirSync(corpus).filter(f => f.endsWith('.tf'))) {
    const lines = fs.readFileSync(path.join(corpus, file), 'utf8').split('\n');
    let pending: Set<string> | undefined;
    lines.forEach((line, i) => {
      const m = /^# expect: (.*)$/.exec(line.trim());
      if (m)
        pending = new Set(
          m[1] === 'none' ? [] : m[1].split(',').map(s => s.trim()),
        );
      else if (/^resource "/.test(line) && pending) {
        labels.set(`${file}:${i + 1}`, pending);
        pending = undefined;
      }
    });
  }
  const results = evaluateResources(ruleSet.rules, resources);
  type Counts = {
    tp: number;
    fp: number;
    fn: number;
    tn: number;
    unknown: number;
  };
  const stats = new Map<string, Counts>();
  const stat = (rule: string) => {
    let s = stats.get(rule);
    if (!s) stats.set(rule, (s = { tp: 0, fp: 0, fn: 0, tn: 0, unknown: 0 }));
    return s;
  };
  const unlabelled: string[] = [];
  for (const r of results) {
    const key = `${r.location?.file}:${r.location?.line}`;
    const expected = labels.get(key);
    if (!expected) {
      unlabelled.push(key);
      continue;
    }
    const failed = r.status === 'fail';
    const s = stat(r.ruleId);
    if (expected.has(r.ruleId)) {
      if (failed) s.tp++;
      // Code cannot know what only apply knows (a policy written with jsonencode): a miss
      // here, which a plan of the same code would decide.
      else if (r.status === 'unknown') s.unknown++;
      else s.fn++;
    } else if (failed) s.fp++;
    else s.tn++;
  }
  const rows = [...stats]
    .filter(([, s]) => s.tp + s.fn + s.unknown > 0 || s.fp > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  const line = (name: string, s: Omit<Counts, 'tn'>) => [
    name,
    String(s.tp),
    String(s.fp),
    String(s.fn),
    String(s.unknown),
    s.tp + s.fp ? (s.tp / (s.tp + s.fp)).toFixed(2) : '–',
    s.tp + s.fn + s.unknown
      ? (s.tp / (s.tp + s.fn + s.unknown)).toFixed(2)
      : '–',
  ];
  const all = rows.reduce(
    (a, [, s]) => ({
      tp: a.tp + s.tp,
      fp: a.fp + s.fp,
      fn: a.fn + s.fn,
      unknown: a.unknown + s.unknown,
    }),
    { tp: 0, fp: 0, fn: 0, unknown: 0 },
  );
  table(
    `Detection over the labelled corpus (bench/corpus: ${labels.size} resources, ${resources.length} read)`,
    [
      'rule',
      'true pos.',
      'false pos.',
      'false neg.',
      'unknown',
      'precision',
      'recall',
    ],
    [
      ...rows.map(([rule, s]) => line(rule, s)),
      line(
        `all (${rows.length} of ${ruleSet.rules.length} rules labelled)`,
        all,
      ),
    ],
  );
  if (unlabelled.length)
    process.stdout.write(`\nunlabelled resources: ${unlabelled.join(', ')}\n`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-compliance-bench-'));
  try {
    await estate(dir);
    await code(path.join(dir, 'code'));
    await detection();
    table(
      'Memory',
      ['measure', 'value'],
      [['peak RSS of the whole run', mb(peakRss)]],
    );
  } finally {
    clearInterval(sampler);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
