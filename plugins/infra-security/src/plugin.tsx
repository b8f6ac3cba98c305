import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import SecurityIcon from '@material-ui/icons/Security';
import { infraSecurityApiRef, InfraSecurityClient } from './api';

const infraAdmin = createInfraPagePlugin({
  pluginId: 'infra-security',
  api: {
    ref: infraSecurityApiRef,
    create: deps => new InfraSecurityClient(deps),
  },
  page: {
    path: '/infra-admin',
    title: 'Infra Admin',
    icon: <SecurityIcon />,
    load: () => import('./components').then(m => m.AdminPage),
    legacyName: 'InfraAdminPage',
  },
  packageJson: () => import('../package.json'),
});

/** The client extension. @public */
export const infraSecurityApi = infraAdmin.apiExtension;
/** The page extension (`/infra-admin`). @public */
export const infraAdminPage = infraAdmin.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraSecurityPlugin = infraAdmin.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraSecurityPlugin = infraAdmin.legacyPlugin;
/** `<Route path="/infra-admin" element={<InfraAdminPage />} />` in legacy apps. @public */
export const InfraAdminPage = infraAdmin.LegacyPage;
