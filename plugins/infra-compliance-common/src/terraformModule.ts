/**
 * The annotation of a `terraform-module` Component naming the folder of its `.tf` files,
 * relative to the entity's catalog file (or URL), e.g. `../modules/network`.
 *
 * @public
 */
export const TERRAFORM_MODULE_PATH_ANNOTATION =
  'infra-hub.io/terraform-module-path';

/**
 * What a Terraform module's code says of its interface, as the catalog records it under
 * `spec.terraform` of its Component.
 *
 * @public
 */
export type TerraformModuleInterface = {
  inputs: Array<{
    name: string;
    /** The type expression as written (`string`, `map(string)`); none when not declared. */
    type?: string;
    description?: string;
    /** True when the variable has a default (optional input). */
    optional: boolean;
    /** The default, when it is a literal (not for sensitive inputs). */
    default?: unknown;
    sensitive: boolean;
    nullable?: boolean;
    /** The error messages of its validation blocks. */
    validations: string[];
  }>;
  outputs: Array<{ name: string; description?: string; sensitive: boolean }>;
  /** `required_version` of the terraform block. */
  requiredVersion?: string;
  providers: Array<{ name: string; source?: string; version?: string }>;
  /** The modules it calls. */
  modules: Array<{ name: string; source: string; version?: string }>;
  /** The resource types it manages, sorted. */
  resourceTypes: string[];
  /** The files read, sorted. */
  files: string[];
};
