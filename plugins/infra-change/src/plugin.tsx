import { isInfraChangeAvailable } from '@infra-hub/plugin-infra-change-common';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import GavelIcon from '@material-ui/icons/Gavel';
import { infraChangeApiRef, InfraChangeClient } from './api';
import { isTerraformModuleWithCode } from './components/EntityModuleContent';
import { isInfraService } from './components/EntityServiceInfrastructureContent';

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

/**
 * The Infrastructure tab on a tenant's service Components: the modules and resources it depends
 * on or its system holds, their drift, open changes and the system's open findings.
 *
 * @public
 */
export const infraServiceEntityContent = EntityContentBlueprint.make({
  name: 'service-infrastructure',
  params: {
    path: 'infrastructure',
    title: 'Infrastructure',
    filter: entity => isInfraService(entity),
    loader: () =>
      import('./components/EntityServiceInfrastructureContent').then(m => (
        <m.EntityServiceInfrastructureContent />
      )),
  },
});

/**
 * `ui:field: InfraTenantPicker` for the golden-path templates: the tenants the person holds a
 * role in.
 *
 * @public
 */
export const infraTenantPickerFormField = FormFieldBlueprint.make({
  name: 'infra-tenant-picker',
  params: {
    field: () =>
      import('./scaffolder/fields').then(m => m.infraTenantPickerField),
  },
});

/**
 * `ui:field: InfraSystemPicker` for the golden-path templates: the chosen tenant's systems.
 *
 * @public
 */
export const infraSystemPickerFormField = FormFieldBlueprint.make({
  name: 'infra-system-picker',
  params: {
    field: () =>
      import('./scaffolder/fields').then(m => m.infraSystemPickerField),
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
  extensions: [
    infraChangeEntityContent,
    infraModuleEntityContent,
    infraServiceEntityContent,
    infraTenantPickerFormField,
    infraSystemPickerFormField,
  ],
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
