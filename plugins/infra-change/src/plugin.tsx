import { isInfraChangeAvailable } from '@infra-hub/plugin-infra-change-common';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import GavelIcon from '@material-ui/icons/Gavel';
import { infraChangeApiRef, InfraChangeClient } from './api';
import { isTerraformModuleWithCode } from './components/EntityModuleContent';

/**
 * The Changes tab on Terraform module entities (`infra-hub.io/change-module`).
 *
 * @public
 */
export const infraChangeEntityContent = EntityContentBlueprint.make({
  name: 'changes',
  params: {
    path: 'changes',
    title: 'Changes',
    filter: entity => isInfraChangeAvailable(entity),
    loader: () =>
      import('./components/EntityChangesContent').then(m => (
        <m.EntityChangesContent />
      )),
  },
});

/**
 * The Module tab on Terraform module entities whose code the catalog read (`spec.terraform`):
 * inputs, outputs, providers, called modules, resource types, and who uses the module.
 *
 * @public
 */
export const infraModuleEntityContent = EntityContentBlueprint.make({
  name: 'module',
  params: {
    path: 'module',
    title: 'Module',
    filter: entity => isTerraformModuleWithCode(entity),
    loader: () =>
      import('./components/EntityModuleContent').then(m => (
        <m.EntityModuleContent />
      )),
  },
});

const infraChange = createInfraPagePlugin({
  pluginId: 'infra-change',
  api: {
    ref: infraChangeApiRef,
    create: deps => new InfraChangeClient(deps),
  },
  page: {
    path: '/infra-change',
    title: 'Changes',
    icon: <GavelIcon />,
    load: () => import('./components').then(m => m.ChangePage),
    legacyName: 'InfraChangePage',
  },
  packageJson: () => import('../package.json'),
  extensions: [infraChangeEntityContent, infraModuleEntityContent],
});

/** The client extension. @public */
export const infraChangeApi = infraChange.apiExtension;
/** The page extension (`/infra-change`). @public */
export const infraChangePage = infraChange.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraChangePlugin = infraChange.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraChangePlugin = infraChange.legacyPlugin;
/** `<Route path="/infra-change" element={<InfraChangePage />} />` in legacy apps. @public */
export const InfraChangePage = infraChange.LegacyPage;
