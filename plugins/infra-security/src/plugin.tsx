import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import AdminPanelIcon from '@material-ui/icons/Security';
import { infraSecurityApiRef, InfraSecurityClient } from './api';
import { legacyRootRouteRef, rootRouteRef } from './routes';

const apiFactory = createApiFactory({
  api: infraSecurityApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: deps => new InfraSecurityClient(deps),
});

/** @public */
export const infraSecurityApi = ApiBlueprint.make({
  params: defineParams => defineParams(apiFactory),
});

/** @public */
export const infraAdminPage = PageBlueprint.make({
  params: {
    path: '/infra-admin',
    title: 'Infra Admin',
    icon: <AdminPanelIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () => import('./components').then(m => <m.AdminPage />),
  },
});

/**
 * The Infra Hub administration for apps on Backstage's current frontend system.
 *
 * @public
 */
export const infraSecurityPlugin = createFrontendPlugin({
  pluginId: 'infra-security',
  info: { packageJson: () => import('../package.json') },
  extensions: [infraSecurityApi, infraAdminPage],
  routes: { root: rootRouteRef },
});

/** The same plugin for apps on the legacy frontend system. @public */
export const legacyInfraSecurityPlugin = createPlugin({
  id: 'infra-security',
  apis: [apiFactory],
  routes: { root: legacyRootRouteRef },
});

/** `<Route path="/infra-admin" element={<InfraAdminPage />} />` in legacy apps. @public */
export const InfraAdminPage = legacyInfraSecurityPlugin.provide(
  createRoutableExtension({
    name: 'InfraAdminPage',
    component: () => import('./components').then(m => m.AdminPage),
    mountPoint: legacyRootRouteRef,
  }),
);
