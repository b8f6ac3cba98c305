import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const example = path.join(
  repo,
  'examples/evidence/storefront-prod.evidence.json',
);

function verify(file: string) {
  return spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, '../bin/infra-verify.ts'),
      file,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
}

describe('yarn infra-verify', () => {
  it("verifies the demo estate's committed bundle offline, and refuses it altered by one byte", () => {
    const ok = verify(example);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(
      /^ok {4}manifest signature \(ML-DSA-65, key mldsa65:/m,
    );
    expect(ok.stdout).toMatch(/\nVALID: /);

    const text = fs.readFileSync(example, 'utf8');
    const at = text.indexOf('"planHash":"') + 20;
    const altered = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'verify-')),
      'b.json',
    );
    fs.writeFileSync(
      altered,
      text.slice(0, at) + (text[at] === '0' ? '1' : '0') + text.slice(at + 1),
    );
    const bad = verify(altered);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL {2}signature of /m);
    expect(bad.stdout).toMatch(/\nINVALID: /);

    const missing = verify(path.join(os.tmpdir(), 'no-such-bundle.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
  });
});
