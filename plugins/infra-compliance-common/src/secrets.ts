import { Severity } from './types';

/**
 * The attribute of a discovered asset that lists the secrets its source (a Terraform state)
 * keeps in plain text for it: where and their fingerprints, never the values. The secrets
 * pack's rules read it.
 *
 * @public
 */
export const SECRET_MARKERS_ATTRIBUTE = 'infra_hub_secrets';

/** One secret found for an asset. @public */
export type SecretMarker = {
  /** The detector, e.g. `tf-secret-attribute`. */
  kind: string;
  severity: Severity;
  /** The attribute path inside the resource, dotted. */
  attribute?: string;
  /** Where: the state file (path or URL) and the 1-based line. */
  file: string;
  line: number;
  /** HMAC-SHA256 of the value with the tenant's salt, 32 hex digits. */
  fingerprint: string;
};

/** A failing secret rule's message: each secret's attribute, kind, place and fingerprint. @public */
export function describeSecretMarkers(
  markers: readonly SecretMarker[],
): string {
  return markers
    .map(
      m =>
        `${m.attribute ?? '(value)'}: ${m.kind} at ${m.file}:${
          m.line
        }, fingerprint ${m.fingerprint}`,
    )
    .join('; ');
}
