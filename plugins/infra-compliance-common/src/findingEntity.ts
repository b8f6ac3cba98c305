import { Severity } from './types';

/** The apiVersion of the suite's own entity kinds. @public */
export const FINDING_ENTITY_API_VERSION = 'infra-hub.io/v1alpha1';

/** The catalog kind of a compliance finding. @public */
export const FINDING_ENTITY_KIND = 'Finding';

/** The annotation naming the finding behind a `Finding` entity. @public */
export const FINDING_ID_ANNOTATION = 'infra-hub.io/finding-id';

/** From a finding to the resource it is about, and back. @public */
export const RELATION_FINDING_OF = 'findingOf';
/** @public */
export const RELATION_HAS_FINDING = 'hasFinding';

/**
 * The events topic on which the compliance backend says a tenant's findings changed (an
 * evaluation finished, a suppression was set or lifted); payload `{ tenantId }`.
 *
 * @public
 */
export const COMPLIANCE_FINDINGS_TOPIC = 'infra-compliance.findings-changed';

/** The spec of a `Finding` entity. @public */
export type FindingEntitySpec = {
  severity: Severity;
  status: 'open' | 'suppressed';
  /** The rule that fails. */
  rule: string;
  /** The entity ref of the resource it is about, when the catalog has one. */
  resource?: string;
  owner: string;
  system?: string;
  /** `<framework>:<control>` for every control the rule supports. */
  controls: string[];
  remediation: string;
  firstSeen: string;
  lastSeen: string;
};

/**
 * The JSON schema the catalog validates `Finding` entities against (the catalog module's
 * processor).
 *
 * @public
 */
export const FINDING_ENTITY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { enum: [FINDING_ENTITY_API_VERSION] },
    kind: { enum: [FINDING_ENTITY_KIND] },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: [
        'severity',
        'status',
        'rule',
        'owner',
        'controls',
        'remediation',
        'firstSeen',
        'lastSeen',
      ],
      properties: {
        severity: { enum: ['critical', 'high', 'medium', 'low', 'info'] },
        status: { enum: ['open', 'suppressed'] },
        rule: { type: 'string', minLength: 1, maxLength: 128 },
        resource: { type: 'string', minLength: 1 },
        owner: { type: 'string', minLength: 1 },
        system: { type: 'string', minLength: 1 },
        controls: { type: 'array', items: { type: 'string', minLength: 1 } },
        remediation: { type: 'string' },
        firstSeen: { type: 'string' },
        lastSeen: { type: 'string' },
      },
    },
  },
} as const;
