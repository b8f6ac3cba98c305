#!/usr/bin/env node
/*
 * Administration commands of the Infra Hub security spine, for operators and CI.
 *
 *   infra-security rotate-vault [--url http://localhost:7007]
 *   infra-security verify-audit <scope> [--url ...]
 *   infra-security tenants [--url ...]
 *
 * The token comes from INFRA_HUB_TOKEN: the backend's static external-access token
 * (INFRA_HUB_EXTERNAL_TOKEN in production), or a system-admin's Backstage token. It is never
 * printed. The package installs it as the `infra-security` binary (`npx infra-security ...`);
 * in this repository `yarn infra-security ...` runs it.
 */
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const baseUrl = flag(
  'url',
  process.env.INFRA_HUB_URL ?? 'http://localhost:7007',
).replace(/\/$/, '');
const [command, scope] = args;
const token = process.env.INFRA_HUB_TOKEN;

function fail(message) {
  process.stderr.write(`infra-security: ${message}\n`);
  process.exit(1);
}

async function call(method, path) {
  if (!token)
    fail(
      'set INFRA_HUB_TOKEN to the external-access token or a system-admin token',
    );
  let res;
  try {
    res = await fetch(`${baseUrl}/api/infra-security${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch (e) {
    fail(`cannot reach ${baseUrl}: ${e.cause?.code ?? e.message}`);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) fail(`${res.status} ${body.error?.message ?? res.statusText}`);
  return body;
}

if (command === 'rotate-vault') {
  const { reencrypted, activeKeyId } = await call('POST', '/vault/rotate');
  process.stdout.write(
    `re-encrypted ${reencrypted} credential(s) under vault key '${activeKeyId}'\n`,
  );
} else if (command === 'verify-audit' && scope) {
  const result = await call(
    'GET',
    `/audit/${encodeURIComponent(scope)}/verify`,
  );
  if (result.valid) {
    // The signed checkpoint is what shows that no newest event was cut off.
    const checkpoint = result.checkpoint
      ? `, signed checkpoint at seq ${result.checkpoint.seq} (${result.checkpoint.signedAt}, key ${result.checkpoint.keyId}) matches`
      : ', no signed checkpoint yet';
    process.stdout.write(
      `audit chain of '${scope}' holds: ${result.checked} event(s)${checkpoint}\n`,
    );
  } else {
    fail(
      `audit chain of '${scope}' breaks at event #${result.brokenAt.seq}: ${result.brokenAt.reason}`,
    );
  }
} else if (command === 'tenants') {
  const { items } = await call('GET', '/tenants');
  for (const t of items) process.stdout.write(`${t.id}\t${t.title}\n`);
  if (items.length === 0) process.stdout.write('no tenants\n');
} else {
  fail(
    'usage: infra-security rotate-vault | verify-audit <scope> | tenants   [--url URL]',
  );
}
