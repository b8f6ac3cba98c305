import { InfraRouteKit } from '@infra-hub/plugin-infra-security-node';
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';
import { Credentials } from '../services/Credentials';
import type { RouterOptions } from '../router';

/** What every route group of the security router is given. */
export type SecurityRouteContext = Omit<
  RouterOptions,
  'httpAuth' | 'credentials'
> & {
  /** The typed router generated from the OpenAPI document. */
  router: ReturnType<typeof createValidatedOpenApiRouter<typeof spec>>;
  kit: InfraRouteKit;
  /** The vault; 503 when no vault key is configured. */
  vault(): Credentials;
};
