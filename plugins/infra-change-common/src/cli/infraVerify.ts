/*
 * infra-verify --keys <signing-keys.json> <bundle.json>
 * infra-verify --trust <keyId> <bundle.json>
 *
 * Verifies an Infra Hub evidence bundle offline, against the installation's keys: a change
 * request's CAB evidence (ML-DSA-65) or compliance evidence (ML-DSA-65 and Ed25519). The key file
 * is what GET /api/infra-change/signing-keys returns (keep a copy from the installation), or
 * --trust pins a key id (the installation's first) and the bundle's own key history is trusted
 * from that key onwards. Nothing else is read (no network, no database). Prints each check and
 * VALID or INVALID; exits 0 when valid, 1 when not, 2 for a usage error or an unreadable file.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  COMPLIANCE_EVIDENCE_BUNDLE_FORMAT,
  verifyComplianceEvidence,
} from '../complianceEvidence';
import { TrustAnchor, verifyEvidenceBundle } from '../signing';

/** The verifier for a bundle's format: compliance evidence, or (any other) CAB evidence. */
function verifierOf(text: string) {
  let format: unknown;
  try {
    format = JSON.parse(text)?.format;
  } catch {
    format = undefined;
  }
  return format === COMPLIANCE_EVIDENCE_BUNDLE_FORMAT
    ? verifyComplianceEvidence
    : (t: string, trust: TrustAnchor) => verifyEvidenceBundle(t, trust);
}

const USAGE = `usage: infra-verify --keys <signing-keys.json> <bundle.json>
       infra-verify --trust <keyId> <bundle.json>
A bundle is only ever checked against the installation's keys: without --keys or --trust,
nothing is called valid.
`;

/** Where the CLI writes, and where relative paths start. */
export type CliIo = {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
};

class UsageError extends Error {}

/**
 * The `infra-verify` command: `args` as typed after the command name. Returns the exit code:
 * 0 valid, 1 invalid, 2 a usage error or an unreadable file.
 *
 * @public
 */
export function runInfraVerify(
  args: string[],
  io: CliIo = {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
    // Yarn runs scripts from the repository root; a relative path is relative to where it was typed.
    cwd: process.env.INIT_CWD ?? process.cwd(),
  },
): number {
  try {
    return verify(args, io);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`infra-verify: ${e.message}\n${USAGE}`);
    return 2;
  }
}

function verify(args: string[], io: CliIo): number {
  let keysFile: string | undefined;
  let trustKeyId: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--keys' || a === '--trust') {
      const value = args[++i];
      if (!value) throw new UsageError(`${a} needs a value`);
      if (a === '--keys') keysFile = value;
      else trustKeyId = value;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) throw new UsageError('give exactly one bundle file');
  if (!keysFile && !trustKeyId)
    throw new UsageError(
      "no trust anchor: give the installation's key file (--keys) or a key id (--trust)",
    );

  const read = (file: string) => {
    const where = path.resolve(io.cwd, file);
    try {
      return { where, text: fs.readFileSync(where, 'utf8') };
    } catch (e) {
      io.stderr(
        `infra-verify: cannot read ${where}: ${(e as Error).message}\n`,
      );
      return undefined;
    }
  };
  const bundle = read(files[0]);
  const keys = keysFile ? read(keysFile) : undefined;
  if (!bundle || (keysFile && !keys)) return 2;
  const result = verifierOf(bundle.text)(bundle.text, {
    keyFile: keys?.text,
    trustKeyId,
  });
  for (const c of result.checks) {
    io.stdout(
      `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}${
        c.detail ? ` (${c.detail})` : ''
      }\n`,
    );
  }
  io.stdout(`\n${result.valid ? 'VALID' : 'INVALID'}: ${bundle.where}\n`);
  return result.valid ? 0 : 1;
}
