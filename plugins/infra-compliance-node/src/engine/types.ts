import { SourceLocation } from '@infra-hub/plugin-infra-compliance-common';

/**
 * A resource as rules see it, whichever input it came from (Terraform code, a plan, a state or a
 * discovered asset): its type, its attributes in the provider's schema shape, and what is known
 * about it.
 *
 * @public
 */
export type ScanResource = {
  type: string;
  /** The Terraform address (`module.a.aws_s3_bucket.logs`), or the asset id of a discovered asset. */
  address: string;
  attributes: Record<string, unknown>;
  /** Top-level attributes whose value cannot be known before apply (plans, code). */
  unknown?: ReadonlySet<string>;
  /**
   * Addresses of other resources that an attribute refers to (from code or a plan's configuration),
   * e.g. `{ bucket: ['aws_s3_bucket.logs'] }`.
   */
  refs?: Record<string, string[]>;
  location?: SourceLocation;
};
