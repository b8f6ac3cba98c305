import { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import {
  collectOutput,
  demoToken,
  freePort,
  hasPostgres,
  postgresBackendEnv,
  spawnDevelopmentBackend,
  waitForBackend,
} from '@infra-hub/test-utils';

// Two replicas of the portal's backend on one PostgreSQL server, as a deployment behind a load
// balancer runs them: both on the same databases (both seed the demo estate and schedule the
// same tasks), taking work at the same time. What must hold: every scheduled
// task runs once, a decision is counted once, a signal published on one replica reaches the
// browsers connected to the other, and both answer the same as one backend would.

const root = path.resolve(__dirname, '../../..');

type Replica = {
  name: string;
  base: string;
  child: ChildProcess;
  output: () => string;
  dataDir: string;
};

function startReplica(name: string, port: number, prefix: string): Replica {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `infra-${name}-`));
  const child = spawnDevelopmentBackend({
    port,
    env: {
      ...postgresBackendEnv(prefix),
      APP_CONFIG_infra_scaffolder_gitRemotes: JSON.stringify([
        { name: 'demo', directory: path.join(dataDir, 'git') },
      ]),
    },
  });
  const base = `http://localhost:${port}`;
  return { name, base, child, output: collectOutput(child), dataDir };
}

async function stopReplica(r: Replica) {
  if (r.child.exitCode === null) {
    const exited = new Promise(resolve => r.child.once('exit', resolve));
    r.child.kill('SIGTERM');
    await Promise.race([exited, new Promise(res => setTimeout(res, 20_000))]);
    if (r.child.exitCode === null) r.child.kill('SIGKILL');
  }
  fs.rmSync(r.dataDir, { recursive: true, force: true });
}

const signIn = demoToken;

async function call(
  base: string,
  token: string,
  method: string,
  route: string,
  body?: unknown,
  type = 'application/json',
) {
  const res = await fetch(`${base}/api/${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'Content-Type': type } : {}),
    },
    ...(body !== undefined
      ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
      : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Polls `check` once a second until it returns a value, up to `seconds`. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  seconds = 180,
): Promise<T> {
  for (let i = 0; i < seconds; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`${what} did not happen within ${seconds} s`);
}

/** Every page of a list route. */
async function all(base: string, token: string, route: string) {
  const items: any[] = [];
  let after: string | undefined;
  do {
    const sep = route.includes('?') ? '&' : '?';
    const page = await call(
      base,
      token,
      'GET',
      `${route}${sep}limit=200${
        after ? `&after=${encodeURIComponent(after)}` : ''
      }`,
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    after = page.body.nextAfter;
  } while (after);
  return items;
}

describe.skipIf(!hasPostgres())('two replicas on one PostgreSQL', () => {
  const replicas: Replica[] = [];
  afterAll(async () => {
    await Promise.all(replicas.map(stopReplica));
  });

  it('runs each scheduled task once, counts each decision once, carries signals across, and answers the same on both', async () => {
    const prefix = `infra_replicas_${Date.now()}_`;
    // The first replica creates the databases; the second joins it while it serves, as a
    // scale-out or a rolling update does. (Backstage's own migrations refuse to run from two
    // processes at once on an empty database: start a new installation with one replica.)
    const a = startReplica('a', await freePort(), prefix);
    replicas.push(a);
    await waitForBackend(a.child, a.base, a.output, 360_000);
    const b = startReplica('b', await freePort(), prefix);
    replicas.push(b);
    await waitForBackend(b.child, b.base, b.output, 360_000);
    const priyaA = await signIn(a.base, 'priya.shah');
    const priyaB = await signIn(b.base, 'priya.shah');

    // The demo estate's five Terraform state sources each run once shortly after start (their
    // scheduled tasks are shared by the replicas), not once per replica.
    // (Alex is tenant-admin of both tenants.)
    const alexA = await signIn(a.base, 'alex.morgan');
    const sourcesOf = { cartwheel: 3, 'harbor-bank': 2 };
    for (const [tenant, count] of Object.entries(sourcesOf)) {
      const jobs = await eventually(`the first runs in ${tenant}`, async () => {
        const list = await all(
          a.base,
          alexA,
          `infra-discovery/tenants/${tenant}/jobs`,
        );
        const done = list.filter(
          j => j.trigger === 'schedule' && j.status !== 'running',
        );
        return done.length >= count ? list : undefined;
      });
      // Later runs of the hour would be scheduled an hour on: a few seconds more show that no
      // second replica started its own.
      await new Promise(r => setTimeout(r, 5000));
      const again = await all(
        a.base,
        alexA,
        `infra-discovery/tenants/${tenant}/jobs`,
      );
      expect(again.length).toBe(jobs.length);
      const scheduled = jobs.filter((j: any) => j.trigger === 'schedule');
      const perSource = new Map<string, number>();
      for (const j of scheduled)
        perSource.set(j.sourceId, (perSource.get(j.sourceId) ?? 0) + 1);
      expect([...perSource.values()]).toEqual(Array(count).fill(1));
      expect(scheduled.every((j: any) => j.status === 'succeeded')).toBe(true);
    }

    // Both replicas answer the same: the asset graph, drift and the pipelines' runs (replayed
    // from the recorded deliveries by both at start; each delivery is kept once).
    const assetsA = await all(
      a.base,
      priyaA,
      'infra-discovery/tenants/cartwheel/assets',
    );
    const assetsB = await all(
      b.base,
      priyaB,
      'infra-discovery/tenants/cartwheel/assets',
    );
    expect(assetsA.length).toBeGreaterThan(50);
    expect(new Set(assetsA.map(x => `${x.sourceId}|${x.id}`)).size).toBe(
      assetsA.length,
    );
    expect(assetsB).toEqual(assetsA);
    const runsA = await eventually('the recorded pipeline runs', async () => {
      const runs = await all(
        a.base,
        priyaA,
        'infra-pipelines/tenants/cartwheel/runs',
      );
      return runs.length > 0 ? runs : undefined;
    });
    const runKeys = runsA.map(
      (r: any) =>
        `${r.provider}|${r.repository}|${r.externalId}|${r.attempt ?? 1}`,
    );
    expect(new Set(runKeys).size).toBe(runKeys.length);
    expect(
      await all(b.base, priyaB, 'infra-pipelines/tenants/cartwheel/runs'),
    ).toEqual(runsA);

    // The catalog module runs on both replicas: each discovered asset is one entity, once.
    const entities = await eventually(
      'the catalog’s infrastructure entities',
      async () => {
        const res = await call(
          b.base,
          priyaB,
          'GET',
          `catalog/entities/by-query?filter=${encodeURIComponent(
            'metadata.annotations.infra-hub.io/tenant=cartwheel,kind=Resource',
          )}&limit=500&fields=metadata.name,metadata.namespace`,
        );
        return res.status === 200 && res.body.items.length > 0
          ? res.body.items
          : undefined;
      },
    );
    const refs = entities.map(
      (e: any) => `${e.metadata.namespace}/${e.metadata.name}`,
    );
    expect(new Set(refs).size).toBe(refs.length);

    // A signal published on replica A reaches a browser connected to replica B: Priya watches
    // Cartwheel's discovery jobs on B and starts a run on A.
    const socket = new WebSocket(
      `${b.base.replace('http', 'ws')}/api/signals`,
      priyaB,
    );
    const messages: any[] = [];
    socket.on('message', data => messages.push(JSON.parse(String(data))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(
      JSON.stringify({
        action: 'subscribe',
        channel: 'infra-discovery:jobs:cartwheel',
      }),
    );
    await new Promise(r => setTimeout(r, 500));
    const started = await call(
      a.base,
      priyaA,
      'POST',
      'infra-discovery/tenants/cartwheel/sources/storefront-prod/runs',
    );
    expect(started.status).toBe(202);
    const signalled = await eventually(
      'the job signal on the other replica',
      async () =>
        messages.find(m => m.message?.jobId === started.body.id) ?? undefined,
      60,
    );
    expect(signalled.channel).toBe('infra-discovery:jobs:cartwheel');
    socket.close();

    // Plans uploaded to both replicas at once are both kept and read the same from either.
    const plan = fs.readFileSync(
      path.join(
        root,
        'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
      ),
      'utf8',
    );
    const uploads = await Promise.all(
      [a, b].map((r, i) =>
        call(
          r.base,
          i === 0 ? priyaA : priyaB,
          'POST',
          'infra-change/tenants/cartwheel/plans?module=storefront-prod',
          plan,
        ),
      ),
    );
    expect(uploads.map(u => u.status)).toEqual([201, 201]);
    expect(uploads[0].body.id).not.toBe(uploads[1].body.id);
    const driftA = await call(
      a.base,
      priyaA,
      'GET',
      'infra-change/tenants/cartwheel/drift',
    );
    const driftB = await call(
      b.base,
      priyaB,
      'GET',
      'infra-change/tenants/cartwheel/drift',
    );
    expect(driftB.body).toEqual(driftA.body);

    // One change request; Tomas approves it on both replicas at the same moment: one decision
    // counts, the other is refused. Alex's approval on B completes it, seen alike on A.
    const change = await call(
      a.base,
      priyaA,
      'POST',
      'infra-change/tenants/cartwheel/change-requests',
      {
        planId: uploads[0].body.id,
        rollbackNote: 'Re-apply the previous release tag of storefront-prod.',
        submit: true,
      },
    );
    expect(change.status).toBe(201);
    const id = change.body.id;
    const tomasA = await signIn(a.base, 'tomas.novak');
    const tomasB = await signIn(b.base, 'tomas.novak');
    const decisions = await Promise.all(
      [
        [a.base, tomasA],
        [b.base, tomasB],
      ].map(([base, token]) =>
        call(
          base,
          token,
          'POST',
          `infra-change/tenants/cartwheel/change-requests/${id}/decisions`,
          { decision: 'approve', comment: 'Reviewed on whichever replica.' },
        ),
      ),
    );
    expect(decisions.map(d => d.status).sort()).toEqual([200, 409]);
    const alex = await signIn(b.base, 'alex.morgan');
    const approved = await call(
      b.base,
      alex,
      'POST',
      `infra-change/tenants/cartwheel/change-requests/${id}/decisions`,
      { decision: 'approve', comment: 'Approved.' },
    );
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');
    const seenA = await call(
      a.base,
      priyaA,
      'GET',
      `infra-change/tenants/cartwheel/change-requests/${id}`,
    );
    expect(seenA.body.state).toBe('approved');
    expect(seenA.body.decisions.map((d: any) => d.approver).sort()).toEqual([
      'user:default/alex.morgan',
      'user:default/tomas.novak',
    ]);
  }, 900_000);
});
