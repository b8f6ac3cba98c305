#!/usr/bin/env node
/*
 * A demo change through the CAB, against a portal running in development (`npm start`):
 *
 *   node scripts/demo-change.mjs [--url http://localhost:7007] [--out evidence.json]
 *                                [--keys-out signing-keys.json] [--approve]
 *
 * Signs in as demo users, uploads Cartwheel's drifted storefront plan (Priya), opens a change
 * request for it and submits it; with --approve, Tomas (security analyst) and Alex (tenant admin)
 * approve it and its evidence bundle is written to --out, to be checked with
 * `yarn infra-verify --keys <keys file> <file>`; --keys-out writes the installation's signing key
 * history (GET /api/infra-change/signing-keys) beside it. Without --approve the change waits in the CAB queue for two demo
 * users to approve it in the portal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = name => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const url = arg('url') ?? 'http://localhost:7007';
const out = arg('out');
const keysOut = arg('keys-out');
const approve = process.argv.includes('--approve');

async function call(token, method, route, body, type = 'application/json') {
  const res = await fetch(`${url}/api/${route}`, {
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
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return { text, json: () => JSON.parse(text) };
}

async function signIn(user) {
  const ref = `user:default/${user}`;
  const attempt = () =>
    fetch(`${url}/api/auth/demo/refresh?user=${encodeURIComponent(ref)}`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
  let res = await attempt();
  // Right after a first start the catalog has not ingested the demo users yet.
  for (let i = 0; i < 60 && res.status === 404; i++) {
    await new Promise(r => setTimeout(r, 1000));
    res = await attempt();
  }
  if (!res.ok)
    throw new Error(
      `demo sign-in of ${user}: ${res.status} (is the portal running in development?)`,
    );
  return (await res.json()).backstageIdentity.token;
}

const priya = await signIn('priya.shah');
const plan = fs.readFileSync(
  path.join(
    root,
    'examples/terraform/cartwheel/plans/storefront-prod.plan.json',
  ),
  'utf8',
);
const stored = (
  await call(
    priya,
    'POST',
    'infra-change/tenants/cartwheel/plans?module=storefront-prod',
    plan,
  )
).json();
console.log(
  `plan ${stored.id}: risk ${stored.risk}, ${stored.drifted} drifted resources`,
);
const change = (
  await call(priya, 'POST', 'infra-change/tenants/cartwheel/change-requests', {
    planId: stored.id,
    rollbackNote:
      'Re-apply the storefront-prod plan of the previous release tag; the drifted security group and public access block go back to their Terraform values.',
    submit: true,
  })
).json();
console.log(
  `change request ${change.id}: ${change.state}, ${change.requiredApprovals} approvals needed`,
);
if (approve) {
  for (const user of ['tomas.novak', 'alex.morgan']) {
    const token = await signIn(user);
    const after = (
      await call(
        token,
        'POST',
        `infra-change/tenants/cartwheel/change-requests/${change.id}/decisions`,
        {
          decision: 'approve',
          comment: `Reviewed the drift and the rollback note (${user}).`,
        },
      )
    ).json();
    console.log(`approved by ${user}: ${after.state}`);
  }
  const bundle = await call(
    priya,
    'GET',
    `infra-change/tenants/cartwheel/change-requests/${change.id}/evidence`,
  );
  if (out) {
    fs.writeFileSync(
      path.resolve(process.env.INIT_CWD ?? process.cwd(), out),
      bundle.text,
    );
    console.log(`evidence bundle written to ${out}`);
  } else {
    process.stdout.write(bundle.text);
  }
}
if (keysOut) {
  const keys = await call(priya, 'GET', 'infra-change/signing-keys');
  fs.writeFileSync(
    path.resolve(process.env.INIT_CWD ?? process.cwd(), keysOut),
    `${JSON.stringify(keys.json(), null, 2)}\n`,
  );
  console.log(`signing key history written to ${keysOut}`);
}
