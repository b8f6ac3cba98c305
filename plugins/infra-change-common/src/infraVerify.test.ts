import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../..');
const example = path.join(
  repo,
  'examples/evidence/storefront-prod.evidence.json',
);
const keys = path.join(repo, 'examples/evidence/signing-keys.json');

function verify(...args: string[]) {
  return spawnSync(
    process.execPath,
    [path.join(__dirname, '../bin/infra-verify'), ...args],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } },
  );
}

describe('yarn infra-verify', () => {
  it("verifies the demo estate's committed bundle offline, and refuses it altered by one byte", () => {
    const ok = verify('--keys', keys, example);
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
    const bad = verify('--keys', keys, altered);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL {2}signature of /m);
    expect(bad.stdout).toMatch(/\nINVALID: /);

    const missing = verify(
      '--keys',
      keys,
      path.join(os.tmpdir(), 'no-such-bundle.json'),
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read/);
  });

  it("verifies the demo's committed compliance evidence (ML-DSA-65 and Ed25519), and refuses a result turned to pass", () => {
    const dir = path.join(repo, 'examples/evidence/compliance');
    const bundle = path.join(
      dir,
      'cartwheel.nist-800-53-r5.sc-7.evidence.json',
    );
    const keyFile = path.join(dir, 'signing-keys.json');
    const ok = verify('--keys', keyFile, bundle);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ok {4}the seal: ML-DSA-65 signature$/m);
    expect(ok.stdout).toMatch(/^ok {4}the seal: Ed25519 signature$/m);
    expect(ok.stdout).toMatch(/\(sc-7: failing, \d+ pass, [1-9]\d* fail/);
    // The CAB example's installation is another one: its key file does not vouch for this.
    expect(verify('--keys', keys, bundle).status).toBe(1);

    const text = fs.readFileSync(bundle, 'utf8');
    const at = text.indexOf('"status":"fail"');
    expect(at).toBeGreaterThan(0);
    const altered = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'verify-')),
      'c.json',
    );
    fs.writeFileSync(
      altered,
      `${text.slice(0, at)}"status":"pass"${text.slice(at + 15)}`,
    );
    const bad = verify('--keys', keyFile, altered);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(
      /^FAIL {2}every rule result the controls rest on is in the bundle, unaltered/m,
    );
  });

  it('refuses to call anything valid without a trust anchor, and trusts from a pinned first key', () => {
    const none = verify(example);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no trust anchor/);
    expect(none.stdout).not.toMatch(/VALID/);

    const first = JSON.parse(fs.readFileSync(keys, 'utf8')).items[0].keyId;
    expect(verify('--trust', first, example).status).toBe(0);
    const other = verify(
      '--trust',
      'mldsa65:00000000000000000000000000000000',
      example,
    );
    expect(other.status).toBe(1);
    expect(other.stdout).toMatch(
      /FAIL {2}trust anchor mldsa65:0+ \(not in the key history\)/,
    );
  });
});
