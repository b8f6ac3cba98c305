import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isInfraComplianceAvailable } from '@infra-hub/plugin-infra-compliance-common';
import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { infraComplianceApiRef, InfraComplianceClient } from './api';

/**
 * The Compliance tab on discovered resources, systems and the components of a system.
 *
 * @public
 */
export const infraComplianceEntityContent = EntityContentBlueprint.make({
  name: 'compliance',
  params: {
    path: 'compliance',
    title: 'Compliance',
    filter: entity => isInfraComplianceAvailable(entity),
    loader: () =>
      import('./components/EntityComplianceContent').then(m => (
        <m.EntityComplianceContent />
      )),
  },
});

const infraCompliance = createInfraPagePlugin({
  pluginId: 'infra-compliance',
  api: {
    ref: infraComplianceApiRef,
    create: deps => new InfraComplianceClient(deps),
  },
  page: {
    path: '/infra-compliance',
    title: 'Compliance',
    icon: <VerifiedUserIcon />,
    load: () => import('./components').then(m => m.CompliancePage),
    legacyName: 'InfraCompliancePage',
  },
  packageJson: () => import('../package.json'),
  extensions: [infraComplianceEntityContent],
});

/** The client extension. @public */
export const infraComplianceApi = infraCompliance.apiExtension;
/** The page extension (`/infra-compliance`). @public */
export const infraCompliancePage = infraCompliance.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraCompliancePlugin = infraCompliance.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraCompliancePlugin = infraCompliance.legacyPlugin;
/** `<Route path="/infra-compliance" element={<InfraCompliancePage />} />` in legacy apps. @public */
export const InfraCompliancePage = infraCompliance.LegacyPage;
