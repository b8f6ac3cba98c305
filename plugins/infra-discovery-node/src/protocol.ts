import type { EgressPolicy } from './egress';
import { EDGE_TYPES } from '@infra-hub/plugin-infra-discovery-common';
import { z } from 'zod';

/**
 * The discovery provider protocol, version 1. A provider is any program; the backend starts it
 * with no arguments and a minimal environment, writes one request line to its stdin and closes
 * it, and reads JSON lines from its stdout. stderr is free text for diagnostics (kept short,
 * never containing credentials). A run succeeds when the provider printed `done` and exited 0.
 *
 * backend → provider: `{"type":"run","protocol":1,"settings":{...},"credentials":{...}|null}`
 *
 * provider → backend, one per line:
 * - `{"type":"asset","asset":{...}}` and `{"type":"edge","edge":{"from","to","type"}}`
 * - `{"type":"progress","message":"…","done":10,"total":100}`
 * - `{"type":"warning","message":"…"}` (the run goes on; recorded as a partial error)
 * - `{"type":"error","message":"…"}` (the run fails)
 * - `{"type":"done"}`
 *
 * @public
 */
export const PROTOCOL_VERSION = 1;

/** @public */
export type RunRequest = {
  type: 'run';
  protocol: typeof PROTOCOL_VERSION;
  settings: Record<string, unknown>;
  /** Decrypted from the vault for this run only; the provider must not print or store them. */
  credentials: Record<string, string> | null;
  /**
   * For a source created through the API: where the provider may connect. A provider that
   * reaches addresses a tenant chose must keep to it (`egressGet`, `egressAgents`).
   */
  egress?: EgressPolicy;
  /**
   * The tenant's salt for fingerprints of secrets a provider finds (a state file's), so that
   * it reports where a secret is and its fingerprint, never the value.
   */
  fingerprintSalt?: string;
};

const assetSchema = z.object({
  id: z.string().min(1).max(2048),
  provider: z.string().min(1).max(64),
  account: z.string().max(255),
  region: z.string().max(255),
  type: z.string().min(1).max(128),
  nativeId: z.string().min(1).max(2048),
  name: z.string().max(1024),
  tags: z.record(z.string(), z.string()),
  attributes: z.record(z.string(), z.unknown()),
  source: z
    .object({ address: z.string().optional(), module: z.string().optional() })
    .optional(),
});

/** One line a provider may print. @public */
export const providerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('asset'), asset: assetSchema }),
  z.object({
    type: z.literal('edge'),
    edge: z.object({
      from: z.string().min(1),
      to: z.string().min(1),
      type: z.enum(EDGE_TYPES),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  z.object({
    type: z.literal('progress'),
    message: z.string().max(1000),
    done: z.number().int().nonnegative().optional(),
    total: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('warning'), message: z.string().max(4000) }),
  z.object({ type: z.literal('error'), message: z.string().max(4000) }),
  z.object({ type: z.literal('done') }),
]);

/** @public */
export type ProviderMessage = z.infer<typeof providerMessageSchema>;
