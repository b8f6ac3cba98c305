/*
 * yarn infra-verify --keys <signing-keys.json> <bundle.json>
 * yarn infra-verify --trust <keyId> <bundle.json>
 *
 * Verifies an Infra Hub evidence bundle offline, against the installation's keys: the key file
 * is what GET /api/infra-change/signing-keys returns (keep a copy from the installation), or
 * --trust pins a key id (the installation's first) and the bundle's own key history is trusted
 * from that key onwards. Nothing else is read (no network, no database). Prints each check and
 * VALID or INVALID; exits 0 when valid, 1 when not, 2 for a usage error or an unreadable file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { verifyEvidenceBundle } from '../src/signing';

const USAGE = `usage: infra-verify --keys <signing-keys.json> <bundle.json>
       infra-verify --trust <keyId> <bundle.json>
A bundle is only ever checked against the installation's keys: without --keys or --trust,
nothing is called valid.
`;

function fail(message: string): never {
  process.stderr.write(`infra-verify: ${message}\n${USAGE}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let keysFile: string | undefined;
let trustKeyId: string | undefined;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--keys' || a === '--trust') {
    const value = args[++i];
    if (!value) fail(`${a} needs a value`);
    if (a === '--keys') keysFile = value;
    else trustKeyId = value;
  } else if (a.startsWith('--')) fail(`unknown option ${a}`);
  else files.push(a);
}
if (files.length !== 1) fail('give exactly one bundle file');
if (!keysFile && !trustKeyId)
  fail(
    "no trust anchor: give the installation's key file (--keys) or a key id (--trust)",
  );

// Yarn runs scripts from the repository root; a relative path is relative to where it was typed.
const read = (file: string) => {
  const where = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  try {
    return { where, text: fs.readFileSync(where, 'utf8') };
  } catch (e) {
    process.stderr.write(
      `infra-verify: cannot read ${where}: ${(e as Error).message}\n`,
    );
    return process.exit(2);
  }
};
const bundle = read(files[0]);
const result = verifyEvidenceBundle(bundle.text, {
  keyFile: keysFile ? read(keysFile).text : undefined,
  trustKeyId,
});
for (const c of result.checks) {
  process.stdout.write(
    `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}${
      c.detail ? ` (${c.detail})` : ''
    }\n`,
  );
}
process.stdout.write(
  `\n${result.valid ? 'VALID' : 'INVALID'}: ${bundle.where}\n`,
);
process.exit(result.valid ? 0 : 1);
