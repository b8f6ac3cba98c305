import { isInfraDiscoveryAvailable } from '@infra-hub/plugin-infra-discovery-common';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import { infraDiscoveryApiRef, InfraDiscoveryClient } from './api';

/**
 * The Infrastructure tab on Resource and Component entities published from discovered assets.
 *
 * @public
 */
export const infraAssetEntityContent = EntityContentBlueprint.make({
  name: 'infrastructure',
  params: {
    path: 'infrastructure',
    title: 'Infrastructure',
    filter: entity => isInfraDiscoveryAvailable(entity),
    loader: () =>
      import('./components/EntityInfrastructureContent').then(m => (
        <m.EntityInfrastructureContent />
      )),
  },
});

const infraDiscovery = createInfraPagePlugin({
  pluginId: 'infra-discovery',
  api: {
    ref: infraDiscoveryApiRef,
    create: deps => new InfraDiscoveryClient(deps),
  },
  page: {
    path: '/infra-discovery',
    title: 'Infrastructure',
    icon: <AccountTreeIcon />,
    load: () => import('./components').then(m => m.DiscoveryPage),
    legacyName: 'InfraDiscoveryPage',
  },
  packageJson: () => import('../package.json'),
  extensions: [infraAssetEntityContent],
});

/** The client extension. @public */
export const infraDiscoveryApi = infraDiscovery.apiExtension;
/** The page extension (`/infra-discovery`). @public */
export const infraDiscoveryPage = infraDiscovery.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraDiscoveryPlugin = infraDiscovery.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraDiscoveryPlugin = infraDiscovery.legacyPlugin;
/** `<Route path="/infra-discovery" element={<InfraDiscoveryPage />} />` in legacy apps. @public */
export const InfraDiscoveryPage = infraDiscovery.LegacyPage;
