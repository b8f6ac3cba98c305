import { LoggerService } from '@backstage/backend-plugin-api';
import {
  fromBase64,
  generateSigningKey,
  signPayload,
  SYSTEM_SCOPE,
  toBase64,
  verifyPayload,
} from '@infra-hub/plugin-infra-security-common';
import crypto from 'node:crypto';
import { AuditKey, AuditStore, StoredCheckpoint } from '../database/AuditStore';
import { AuditLog, ChainVerification } from './AuditLog';
import { Credentials } from './Credentials';

const ACTOR = 'plugin:infra-security';

/** What a checkpoint signs: the head of one scope's chain at a moment. */
export type CheckpointStatement = {
  type: 'infra-hub.audit-checkpoint/1';
  scope: string;
  seq: number;
  hash: string;
  signedAt: string;
};

/** The latest checkpoint of a scope, as the verification reports it. */
export type CheckpointCheck = {
  seq: number;
  signedAt: string;
  keyId: string;
  /** The signature holds with the installation's audit key. */
  signatureValid: boolean;
  /** The chain still holds the checkpointed event, with the checkpointed hash. */
  matches: boolean;
  /** Why the chain and the checkpoint disagree. */
  problem?: string;
};

const statementOf = (
  c: Omit<StoredCheckpoint, 'signature'>,
): CheckpointStatement => ({
  type: 'infra-hub.audit-checkpoint/1',
  scope: c.scope,
  seq: c.headSeq,
  hash: c.headHash,
  signedAt: c.signedAt,
});

/**
 * Signs the head of every audit chain that moved since its last checkpoint, with the
 * installation's ML-DSA-65 audit key (its secret half in the vault, system scope; one audited
 * use per run), and checks a chain against its latest checkpoint. The chain shows an event
 * changed or removed in its middle; only a checkpoint shows the newest events cut off.
 */
export class AuditCheckpoints {
  constructor(
    private readonly deps: {
      store: AuditStore;
      audit: AuditLog;
      /** Undefined without a vault: no checkpoints are signed. */
      credentials?: Credentials;
      logger: LoggerService;
    },
  ) {}

  private async key(): Promise<AuditKey> {
    const { store, credentials } = this.deps;
    const existing = await store.latestKey();
    if (existing) return existing;
    const { keyId, publicKey, secretKey } = generateSigningKey(
      crypto.randomBytes(32),
    );
    try {
      const credential = await credentials!.create(
        SYSTEM_SCOPE,
        {
          name: `audit-checkpoint-key-${keyId.slice(8)}`,
          kind: 'ml-dsa-65-secret-key',
          value: toBase64(secretKey),
        },
        ACTOR,
      );
      const key = {
        id: keyId,
        publicKey: toBase64(publicKey),
        credentialId: credential.id,
      };
      await store.insertKey(key);
      return key;
    } finally {
      secretKey.fill(0);
    }
  }

  /** Signs a checkpoint for every chain that moved; returns how many were signed. */
  async checkpoint(): Promise<number> {
    const { store, credentials } = this.deps;
    if (!credentials) return 0;
    if ((await store.headsMovedSinceCheckpoint()).length === 0) return 0;
    const key = await this.key();
    // One use of the key per run. Its `credential.used` event is recorded before the callback
    // runs, so the system chain's head read inside already includes it.
    return credentials.use(
      SYSTEM_SCOPE,
      key.credentialId,
      ACTOR,
      async value => {
        const secretKey = fromBase64(value);
        try {
          let signed = 0;
          for (const head of await store.headsMovedSinceCheckpoint()) {
            const checkpoint = {
              scope: head.scope,
              headSeq: head.seq,
              headHash: head.hash,
              signedAt: new Date().toISOString(),
              keyId: key.id,
            };
            await store.insertCheckpoint({
              ...checkpoint,
              signature: signPayload(statementOf(checkpoint), secretKey),
            });
            signed += 1;
          }
          return signed;
        } finally {
          secretKey.fill(0);
        }
      },
      'signing audit checkpoints',
    );
  }

  /**
   * The scope's chain verified link by link, and against its latest signed checkpoint: a chain
   * cut off after its checkpoint, or a checkpoint whose signature does not hold, is invalid.
   */
  async verify(
    scope: string,
  ): Promise<ChainVerification & { checkpoint?: CheckpointCheck }> {
    const chain = await this.deps.audit.verify(scope);
    const checkpoint = await this.check(scope);
    if (!checkpoint) return chain;
    const holds = checkpoint.signatureValid && checkpoint.matches;
    return {
      ...chain,
      valid: chain.valid && holds,
      checkpoint,
      ...(chain.brokenAt || holds
        ? {}
        : {
            brokenAt: {
              seq: checkpoint.seq,
              reason:
                checkpoint.problem ??
                'the signature of the latest checkpoint does not hold',
            },
          }),
    };
  }

  /**
   * The scope's latest checkpoint checked against its chain: signed by the installation's audit
   * key, and the event it names still there with the hash it names. Undefined when the scope
   * has no checkpoint yet.
   */
  async check(scope: string): Promise<CheckpointCheck | undefined> {
    const { store } = this.deps;
    const latest = await store.latestCheckpoint(scope);
    if (!latest) return undefined;
    const key = await store.key(latest.keyId);
    const statement = statementOf(latest);
    let signatureValid = false;
    try {
      signatureValid =
        Boolean(key) &&
        verifyPayload(statement, latest.signature, fromBase64(key!.publicKey));
    } catch {
      signatureValid = false;
    }
    const result = {
      seq: statement.seq,
      signedAt: statement.signedAt,
      keyId: latest.keyId,
      signatureValid,
    };
    const hash = await store.hashAt(scope, statement.seq);
    if (hash === undefined) {
      return {
        ...result,
        matches: false,
        problem: `the log ends at seq ${await store.headSeq(
          scope,
        )}, before the event at seq ${
          statement.seq
        } that a signed checkpoint names: events were removed`,
      };
    }
    if (hash !== statement.hash) {
      return {
        ...result,
        matches: false,
        problem: `the event at seq ${statement.seq} differs from the one the signed checkpoint names`,
      };
    }
    return { ...result, matches: true };
  }
}
