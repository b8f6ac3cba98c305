/*
 * yarn bench:chat — the chat's retrieval quality and speed.
 *
 * In this one process:
 *   - retrieval: a question set about the demo estate (both tenants, asked by their admins)
 *     with the sources that answer each; recall@5 of the hybrid retrieval (keywords fused with
 *     local vectors), per question and on average (target: 0.8 or better);
 *   - answers: p50/p95 latency of whole answers through the REST API, extractive (no model: the
 *     floor) and narrated by the local OpenAI-protocol model with its tool calls, and the ratio;
 *   - the index at estate scale: the discovery benchmark's 100 000 assets turned into documents
 *     (the floor), then indexed (keywords and vectors) on SQLite and on PostgreSQL, documents/s
 *     and the ratio to the floor; p50/p95 of retrieval over the 100 000-document tenant;
 *   - peak RSS.
 * PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (scripts/bench.sh
 * starts a throwaway cluster); without it the PostgreSQL rows say so.
 *
 * Options: --assets N (default 100000), --rounds N (answers per question, default 3).
 */
// The test backend's mock services call a global `jest.fn` for spies the benchmark never reads.
(globalThis as any).jest = {
  fn: (impl?: unknown) => impl ?? (() => undefined),
};
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  ChatSourceKind,
  CHAT_SOURCE_PERMISSIONS,
} from '@infra-hub/plugin-infra-chat-common';
import { DiscoveredAsset } from '@infra-hub/plugin-infra-discovery-common';
import {
  readState,
  StateV4,
  stateToGraph,
} from '@infra-hub/plugin-infra-discovery-backend-module-terraform';
import { benchEstateStack, PERSONAS } from '@infra-hub/test-utils';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { search, startChatTestBackend } from '../src/__testUtils__/chatBackend';
import { ChatIndexStore } from '../src/database/ChatIndexStore';
import { startLocalModelServer } from '../src/models/localModelServer';
import { LocalEmbedder } from '../src/retrieval/embedder';
import { Retriever } from '../src/retrieval/Retriever';
import { assetDocument } from '../src/services/IndexSources';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ASSETS = arg('assets', 100_000);
const ROUNDS = arg('rounds', 3);

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};
async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** A question and what answers it: items of a kind whose title matches. */
type Case = {
  tenant: 'cartwheel' | 'harbor-bank';
  question: string;
  relevant: Array<{ kind: ChatSourceKind; title?: RegExp }>;
};

const CASES: Case[] = [
  {
    tenant: 'cartwheel',
    question: 'Which modules drifted?',
    relevant: [{ kind: 'drift', title: /storefront-prod/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'Who approved the change request for storefront-prod?',
    relevant: [{ kind: 'change-request', title: /storefront-prod/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'What is exposed to the internet?',
    relevant: [{ kind: 'attack-path' }],
  },
  {
    tenant: 'cartwheel',
    question: 'Which security group admits SSH from the internet?',
    relevant: [
      {
        kind: 'finding',
        title: /admit SSH from the internet on cartwheel-web/,
      },
      { kind: 'asset', title: /^aws_security_group cartwheel-web$/ },
    ],
  },
  {
    tenant: 'cartwheel',
    question: 'Is a secret kept in plain text in the Terraform state?',
    relevant: [{ kind: 'finding', title: /secret is kept in plain text/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'Which buckets do not keep object versions?',
    relevant: [{ kind: 'finding', title: /keeps object versions/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'What inputs does the storefront-edge module take?',
    relevant: [{ kind: 'module', title: /storefront-edge/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'Which system handles payments and orders?',
    relevant: [{ kind: 'entity', title: /Payments and Orders/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'Where is the orders database?',
    relevant: [{ kind: 'asset', title: /^aws_db_instance cartwheel-orders$/ }],
  },
  {
    tenant: 'cartwheel',
    question: 'Which Lambda function processes order events?',
    relevant: [
      {
        kind: 'asset',
        title: /aws_lambda_function cartwheel-order-events-processor/,
      },
      { kind: 'entity', title: /Order Events Processor/ },
    ],
  },
  {
    tenant: 'harbor-bank',
    question: 'What drifted in core banking?',
    relevant: [{ kind: 'drift', title: /core-banking/ }],
  },
  {
    tenant: 'harbor-bank',
    question: 'What can reach the ledger database from the internet?',
    relevant: [{ kind: 'attack-path', title: /harbor-ledger/ }],
  },
  {
    tenant: 'harbor-bank',
    question: 'Is the bastion security group open to SSH?',
    relevant: [
      { kind: 'finding', title: /SSH from the internet on harbor-ops-bastion/ },
    ],
  },
  {
    tenant: 'harbor-bank',
    question: 'Which component generates customer statements?',
    relevant: [
      { kind: 'entity', title: /Statement Generator/ },
      {
        kind: 'asset',
        title: /aws_lambda_function harbor-statement-generator/,
      },
    ],
  },
];

const ADMIN = {
  cartwheel: PERSONAS.priya,
  'harbor-bank': PERSONAS.omar,
} as const;
const as = (tenant: Case['tenant']) =>
  mockCredentials.user.header(ADMIN[tenant]);
const matches = (item: { kind: string; title: string }, c: Case) =>
  c.relevant.some(
    r => r.kind === item.kind && (!r.title || r.title.test(item.title)),
  );

async function retrievalQuality(server: any) {
  console.log('\n## Retrieval on the demo estate (recall@5)\n');
  console.log('| question | relevant items | found in top 5 | recall@5 |');
  console.log('|---|---|---|---|');
  const recalls: number[] = [];
  for (const c of CASES) {
    // Every item that answers, among all the asker may read (the broadest page of the index).
    const all = await search(server, c.tenant, as(c.tenant), c.question, 50);
    const everything = await search(
      server,
      c.tenant,
      as(c.tenant),
      c.relevant
        .map(r => `${r.kind} ${r.title?.source ?? ''}`)
        .join(' ')
        .replace(/[^A-Za-z0-9 -]/g, ' '),
      50,
    );
    const relevant = new Set(
      [...all.body.items, ...everything.body.items]
        .filter((i: any) => matches(i, c))
        .map((i: any) => `${i.kind}:${i.id}`),
    );
    const top = await search(server, c.tenant, as(c.tenant), c.question, 5);
    const found = top.body.items.filter((i: any) =>
      relevant.has(`${i.kind}:${i.id}`),
    ).length;
    const recall = relevant.size ? found / Math.min(5, relevant.size) : 0;
    recalls.push(recall);
    console.log(
      `| ${c.question} | ${relevant.size} | ${found} | ${recall.toFixed(2)} |`,
    );
  }
  const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
  console.log(`| **mean** | | | **${mean.toFixed(2)}** (target 0.80) |`);
}

async function answerLatency(server: any, label: string) {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of CASES) {
      const [res, t] = await timed(() =>
        request(server)
          .post(`/api/infra-chat/tenants/${c.tenant}/conversations`)
          .set('Authorization', as(c.tenant))
          .send({
            question: `${c.question} Any drift, approvals or exposure?`,
          }),
      );
      if (res.status !== 201)
        throw new Error(`${label}: ${res.status} ${res.text}`);
      times.push(t);
    }
  }
  return { p50: pct(times, 50), p95: pct(times, 95), n: times.length };
}

async function sqlite(dir: string) {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(dir, 'chat.sqlite') },
    useNullAsDefault: true,
  });
}

async function postgres(): Promise<Knex | undefined> {
  const url = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url) return undefined;
  const db = `infra_chat_bench_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`CREATE DATABASE ${db}`);
  await admin.destroy();
  const u = new URL(url);
  u.pathname = `/${db}`;
  return knexFactory({
    client: 'pg',
    connection: u.toString(),
    pool: { min: 1, max: 4 },
  });
}

async function indexAtScale() {
  console.log(`\n## The index at estate scale (${ASSETS} assets)\n`);
  console.log('| step | time | rate | ratio to the floor | note |');
  console.log('|---|---|---|---|---|');
  const stacks = 10;
  const states = Array.from({ length: stacks }, (_, s) =>
    JSON.stringify(benchEstateStack(s, Math.floor(ASSETS / stacks))),
  );
  const [docs, floorMs] = await timed(() =>
    states.flatMap(text =>
      stateToGraph(readState(text) as StateV4).assets.map(a =>
        assetDocument({ ...a, sourceId: 'bench' } as DiscoveredAsset),
      ),
    ),
  );
  console.log(
    `| read the states, make the documents (floor) | ${ms(
      floorMs,
    )} | ${Math.round(docs.length / (floorMs / 1000))} docs/s | 1.0x | ${
      docs.length
    } documents |`,
  );
  const embedder = new LocalEmbedder();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-chat-bench-'));
  try {
    for (const [name, make] of [
      ['SQLite', () => sqlite(dir)],
      ['PostgreSQL', postgres],
    ] as const) {
      const knex = await make();
      if (!knex) {
        console.log(
          `| index on ${name} | not run | | | no PostgreSQL configured |`,
        );
        continue;
      }
      try {
        const store = await ChatIndexStore.create({
          database: mockServices.database({ knex }),
        });
        const [, t] = await timed(() =>
          store.replaceKind(
            'bench',
            'asset',
            docs,
            async texts => (await embedder.embed(texts)).vectors,
          ),
        );
        console.log(
          `| index on ${name} (keywords: ${store.fullText}, vectors: ${
            store.vectors
          }) | ${ms(t)} | ${Math.round(docs.length / (t / 1000))} docs/s | ${(
            t / floorMs
          ).toFixed(1)}x | |`,
        );
        const [unchanged, again] = await timed(() =>
          store.replaceKind(
            'bench',
            'asset',
            docs,
            async texts => (await embedder.embed(texts)).vectors,
          ),
        );
        console.log(
          `| index again, nothing changed, on ${name} | ${ms(again)} | | ${(
            again / floorMs
          ).toFixed(1)}x | ${
            unchanged.added + unchanged.changed + unchanged.removed
          } rewritten |`,
        );
        const retriever = new Retriever({
          store,
          vectors: {
            forQuestion: async (_c, _t, q) =>
              (await embedder.embed([q])).vectors[0],
          },
          authorizer: undefined as any,
        });
        const times: number[] = [];
        const questions = [
          'public bucket without encryption',
          'instance role with admin policy',
          'security group open',
          'database in subnet',
          'kms key rotation',
        ];
        for (let i = 0; i < 20; i++) {
          const [, q] = await timed(() =>
            retriever.retrieveWith(
              'bench',
              [CHAT_SOURCE_PERMISSIONS.asset],
              questions[i % questions.length],
              { limit: 5 },
            ),
          );
          times.push(q);
        }
        console.log(
          `| retrieve top 5 of ${docs.length} on ${name} | p50 ${ms(
            pct(times, 50),
          )}, p95 ${ms(pct(times, 95))} | | | ${
            store.vectors === 'off'
              ? 'keywords only (no pgvector here)'
              : `keywords + vectors (${store.vectors}), fused`
          } |`,
        );
      } finally {
        await knex.destroy();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { server, close } = await startChatTestBackend();
  await retrievalQuality(server);
  const model = await startLocalModelServer();
  const withModel = await startChatTestBackend({
    model: { baseUrl: model.url, chatModel: 'local-model', timeoutSeconds: 30 },
  });
  console.log(
    `\n## Answers through the API (${ROUNDS * CASES.length} per row)\n`,
  );
  console.log('| answer | p50 | p95 | ratio to extractive (p50) |');
  console.log('|---|---|---|---|');
  const plain = await answerLatency(server, 'extractive');
  console.log(
    `| extractive, no model (floor) | ${ms(plain.p50)} | ${ms(
      plain.p95,
    )} | 1.0x |`,
  );
  const narrated = await answerLatency(withModel.server, 'model');
  console.log(
    `| narrated by the local OpenAI-protocol model, with tool calls | ${ms(
      narrated.p50,
    )} | ${ms(narrated.p95)} | ${(narrated.p50 / plain.p50).toFixed(1)}x |`,
  );
  close();
  withModel.close();
  await model.close();
  await indexAtScale();
  clearInterval(sampler);
  console.log(`\nPeak RSS: ${mb(peakRss)}`);
}

main().then(
  () => process.exit(0),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
