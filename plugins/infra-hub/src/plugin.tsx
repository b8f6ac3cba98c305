import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import { infraHubApiRef, InfraHubClient } from './api';

const infraHub = createInfraPagePlugin({
  pluginId: 'infra-hub',
  api: { ref: infraHubApiRef, create: deps => new InfraHubClient(deps) },
  page: {
    path: '/infra-hub',
    title: 'Infra Hub',
    icon: <CloudQueueIcon />,
    load: () => import('./components/InfraHubPage').then(m => m.InfraHubPage),
    legacyName: 'InfraHubPage',
  },
  packageJson: () => import('../package.json'),
});

/** The client extension. @public */
export const infraHubApi = infraHub.apiExtension;
/** The page extension (`/infra-hub`). @public */
export const infraHubPage = infraHub.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraHubPlugin = infraHub.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraHubPlugin = infraHub.legacyPlugin;
/** `<Route path="/infra-hub" element={<InfraHubPage />} />` in legacy apps. @public */
export const InfraHubPage = infraHub.LegacyPage;
