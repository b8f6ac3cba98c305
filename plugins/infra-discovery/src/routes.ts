import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef } from '@backstage/frontend-plugin-api';

export const rootRouteRef = createRouteRef();
export const legacyRootRouteRef = createLegacyRouteRef({
  id: 'infra-discovery',
});
