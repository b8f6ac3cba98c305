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
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { infraHubApiRef, InfraHubClient } from './api';
import { legacyRootRouteRef, rootRouteRef } from './routes';

const infraHubApiFactory = createApiFactory({
  api: infraHubApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: deps => new InfraHubClient(deps),
});

// ---- Backstage's current frontend system --------------------------------------------------------

/** @public */
export const infraHubApi = ApiBlueprint.make({
  params: defineParams => defineParams(infraHubApiFactory),
});

/** @public */
export const infraHubPage = PageBlueprint.make({
  params: {
    path: '/infra-hub',
    title: 'Infra Hub',
    icon: <CloudQueueIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/InfraHubPage').then(m => <m.InfraHubPage />),
  },
});

/**
 * The Infra Hub plugin for apps on Backstage's current frontend system.
 *
 * @public
 */
export const infraHubPlugin = createFrontendPlugin({
  pluginId: 'infra-hub',
  info: { packageJson: () => import('../package.json') },
  extensions: [infraHubApi, infraHubPage],
  routes: { root: rootRouteRef },
});

// ---- Backstage's legacy frontend system ---------------------------------------------------------

/**
 * The Infra Hub plugin for apps on the legacy frontend system (`createApp` from
 * `@backstage/app-defaults`).
 *
 * @public
 */
export const legacyInfraHubPlugin = createPlugin({
  id: 'infra-hub',
  apis: [infraHubApiFactory],
  routes: { root: legacyRootRouteRef },
});

/**
 * The Infra Hub page for legacy apps: `<Route path="/infra-hub" element={<InfraHubPage />} />`.
 *
 * @public
 */
export const InfraHubPage = legacyInfraHubPlugin.provide(
  createRoutableExtension({
    name: 'InfraHubPage',
    component: () =>
      import('./components/InfraHubPage').then(m => m.InfraHubPage),
    mountPoint: legacyRootRouteRef,
  }),
);
