import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The page's route in Backstage's current frontend system. */
export const rootRouteRef = createRouteRef();

/** The same route for apps on the legacy frontend system. */
export const legacyRootRouteRef = createLegacyRouteRef({ id: 'infra-hub' });
