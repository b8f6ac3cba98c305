import { LoggerService } from '@backstage/backend-plugin-api';
import {
  fromBase64,
  generateSigningKey,
  signPayload,
  SYSTEM_SCOPE,
  toBase64,
  verifyPayload,
} from '@infra-hub/plugin-infra-security-common';
import { Knex } from 'knex';
import crypto from 'node:crypto';
import { AuditLog, ChainVerification } from './AuditLog';
import { Credentials } from './Credentials';

const EVENTS = 'infra_audit_events';
const CHECKPOINTS = 'infra_audit_checkpoints';
const KEYS = 'infra_audit_keys';
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

const statementOf = (r: any): CheckpointStatement => ({
  type: 'infra-hub.audit-checkpoint/1',
  scope: r.tenant_id,
  seq: Number(r.head_seq),
  hash: r.head_hash,
  signedAt: new Date(r.signed_at).toISOString(),
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
      knex: Knex;
      audit: AuditLog;
      /** Undefined without a vault: no checkpoints are signed. */
      credentials?: Credentials;
      logger: LoggerService;
    },
  ) {}

  private async key(): Promise<{
    id: string;
    public_key: string;
    credential_id: string;
  }> {
    const { knex, credentials } = this.deps;
    const existing = await knex(KEYS).orderBy('created_at', 'desc').first();
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
      const row = {
        id: keyId,
        public_key: toBase64(publicKey),
        credential_id: credential.id,
        created_at: new Date(),
      };
      await knex(KEYS).insert(row);
      return row;
    } finally {
      secretKey.fill(0);
    }
  }

  /** Heads of every chain whose head moved since its last checkpoint. */
  private async movedHeads() {
    const { knex } = this.deps;
    const heads: Array<{ tenant_id: string; seq: number | string }> =
      await knex(EVENTS)
        .select('tenant_id')
        .max({ seq: 'seq' })
        .groupBy('tenant_id');
    const last: Array<{ tenant_id: string; seq: number | string }> = await knex(
      CHECKPOINTS,
    )
      .select('tenant_id')
      .max({ seq: 'head_seq' })
      .groupBy('tenant_id');
    const signed = new Map(last.map(r => [r.tenant_id, Number(r.seq)]));
    return heads.filter(h => (signed.get(h.tenant_id) ?? -1) < Number(h.seq));
  }

  /** Signs a checkpoint for every chain that moved; returns how many were signed. */
  async checkpoint(): Promise<number> {
    const { knex, credentials } = this.deps;
    if (!credentials) return 0;
    if ((await this.movedHeads()).length === 0) return 0;
    const key = await this.key();
    // One use of the key per run. Its `credential.used` event is recorded before the callback
    // runs, so the system chain's head read inside already includes it.
    return credentials.use(
      SYSTEM_SCOPE,
      key.credential_id,
      ACTOR,
      async value => {
        const secretKey = fromBase64(value);
        try {
          let signed = 0;
          for (const head of await this.movedHeads()) {
            const event = await knex(EVENTS)
              .where({ tenant_id: head.tenant_id, seq: head.seq })
              .first('hash');
            const row = {
              tenant_id: head.tenant_id,
              head_seq: Number(head.seq),
              head_hash: event.hash,
              signed_at: new Date(),
              key_id: key.id,
            };
            await knex(CHECKPOINTS).insert({
              ...row,
              signature: signPayload(statementOf(row), secretKey),
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
    const { knex } = this.deps;
    const latest = await knex(CHECKPOINTS)
      .where({ tenant_id: scope })
      .orderBy('id', 'desc')
      .first();
    if (!latest) return undefined;
    const key = await knex(KEYS).where({ id: latest.key_id }).first();
    const statement = statementOf(latest);
    let signatureValid = false;
    try {
      signatureValid =
        Boolean(key) &&
        verifyPayload(statement, latest.signature, fromBase64(key.public_key));
    } catch {
      signatureValid = false;
    }
    const result = {
      seq: statement.seq,
      signedAt: statement.signedAt,
      keyId: latest.key_id,
      signatureValid,
    };
    const event = await knex(EVENTS)
      .where({ tenant_id: scope, seq: statement.seq })
      .first('hash');
    if (!event) {
      const head = await knex(EVENTS)
        .where({ tenant_id: scope })
        .max({ seq: 'seq' })
        .first();
      return {
        ...result,
        matches: false,
        problem: `the log ends at seq ${Number(
          head?.seq ?? 0,
        )}, before the event at seq ${
          statement.seq
        } that a signed checkpoint names: events were removed`,
      };
    }
    if (event.hash !== statement.hash) {
      return {
        ...result,
        matches: false,
        problem: `the event at seq ${statement.seq} differs from the one the signed checkpoint names`,
      };
    }
    return { ...result, matches: true };
  }
}
