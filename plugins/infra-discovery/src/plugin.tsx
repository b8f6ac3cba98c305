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
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { infraDiscoveryApiRef, InfraDiscoveryClient } from './api';
import { legacyRootRouteRef, rootRouteRef } from './routes';

const apiFactory = createApiFactory({
  api: infraDiscoveryApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: deps => new InfraDiscoveryClient(deps),
});

/** @public */
export const infraDiscoveryApi = ApiBlueprint.make({
  params: defineParams => defineParams(apiFactory),
});

/** @public */
export const infraDiscoveryPage = PageBlueprint.make({
  params: {
    path: '/infra-discovery',
    title: 'Infrastructure',
    icon: <AccountTreeIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () => import('./components').then(m => <m.DiscoveryPage />),
  },
});

/**
 * The Infra Hub discovery pages for apps on Backstage's current frontend system.
 *
 * @public
 */
export const infraDiscoveryPlugin = createFrontendPlugin({
  pluginId: 'infra-discovery',
  info: { packageJson: () => import('../package.json') },
  extensions: [infraDiscoveryApi, infraDiscoveryPage],
  routes: { root: rootRouteRef },
});

/** The same plugin for apps on the legacy frontend system. @public */
export const legacyInfraDiscoveryPlugin = createPlugin({
  id: 'infra-discovery',
  apis: [apiFactory],
  routes: { root: legacyRootRouteRef },
});

/** `<Route path="/infra-discovery" element={<InfraDiscoveryPage />} />` in legacy apps. @public */
export const InfraDiscoveryPage = legacyInfraDiscoveryPlugin.provide(
  createRoutableExtension({
    name: 'InfraDiscoveryPage',
    component: () => import('./components').then(m => m.DiscoveryPage),
    mountPoint: legacyRootRouteRef,
  }),
);
