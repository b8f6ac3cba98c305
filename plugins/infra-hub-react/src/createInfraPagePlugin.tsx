import {
  ApiRef,
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  createRouteRef as createLegacyRouteRef,
  DiscoveryApi,
  discoveryApiRef,
  FetchApi,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  ExtensionDefinition,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { ReactElement } from 'react';

/**
 * One page of the suite, served to apps on both of Backstage's frontend systems: the API client
 * (built on discoveryApi and fetchApi, which adds the user's token), the page and its route, as
 * extensions of the current system and as a legacy plugin with a routable extension. Every suite
 * frontend plugin is made with it, so the two systems never drift apart.
 *
 * @public
 */
export function createInfraPagePlugin<TApi>(options: {
  pluginId: string;
  api: {
    ref: ApiRef<TApi>;
    create: (deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) => TApi;
  };
  page: {
    path: string;
    title: string;
    icon: ReactElement;
    /** Loads the page component (lazily, so it is only fetched when the page is opened). */
    load: () => Promise<() => JSX.Element>;
    /** The legacy routable extension's name, e.g. `InfraHubPage`. */
    legacyName: string;
  };
  packageJson: () => Promise<{ name: string; version?: string }>;
  /** More extensions of the plugin on the current frontend system (entity content, cards). */
  extensions?: ExtensionDefinition[];
}) {
  const apiFactory = createApiFactory({
    api: options.api.ref,
    deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
    factory: deps => options.api.create(deps),
  });
  const rootRouteRef = createRouteRef();
  const legacyRootRouteRef = createLegacyRouteRef({ id: options.pluginId });

  const apiExtension = ApiBlueprint.make({
    params: defineParams => defineParams(apiFactory),
  });
  const pageExtension = PageBlueprint.make({
    params: {
      path: options.page.path,
      title: options.page.title,
      icon: options.page.icon,
      routeRef: rootRouteRef,
      noHeader: true,
      loader: () => options.page.load().then(Page => <Page />),
    },
  });
  const plugin = createFrontendPlugin({
    pluginId: options.pluginId,
    info: { packageJson: options.packageJson },
    extensions: [apiExtension, pageExtension, ...(options.extensions ?? [])],
    routes: { root: rootRouteRef },
  });

  const legacyPlugin = createPlugin({
    id: options.pluginId,
    apis: [apiFactory],
    routes: { root: legacyRootRouteRef },
  });
  const LegacyPage = legacyPlugin.provide(
    createRoutableExtension({
      name: options.page.legacyName,
      component: options.page.load,
      mountPoint: legacyRootRouteRef,
    }),
  );

  return {
    plugin,
    apiExtension,
    pageExtension,
    legacyPlugin,
    LegacyPage,
    rootRouteRef,
    legacyRootRouteRef,
  };
}
