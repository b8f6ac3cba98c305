/*
 * yarn infra-verify <bundle.json>
 *
 * Verifies an Infra Hub evidence bundle offline: nothing but the file is read (no network, no
 * database). Prints each check and VALID or INVALID; exits 0 when valid, 1 when not, 2 when the
 * file cannot be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { verifyEvidenceBundle } from '../src/signing';

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  process.stderr.write('usage: yarn infra-verify <bundle.json>\n');
  process.exit(2);
}
// Yarn runs scripts from the repository root; a relative path is relative to where it was typed.
const where = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
let text: string;
try {
  text = fs.readFileSync(where, 'utf8');
} catch (e) {
  process.stderr.write(
    `infra-verify: cannot read ${where}: ${(e as Error).message}\n`,
  );
  process.exit(2);
}
const result = verifyEvidenceBundle(text);
for (const c of result.checks) {
  process.stdout.write(
    `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}${
      c.detail ? ` (${c.detail})` : ''
    }\n`,
  );
}
process.stdout.write(`\n${result.valid ? 'VALID' : 'INVALID'}: ${where}\n`);
process.exit(result.valid ? 0 : 1);
