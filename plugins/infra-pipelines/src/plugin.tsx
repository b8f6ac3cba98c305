import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import PlayCircleOutlineIcon from '@material-ui/icons/PlayCircleOutline';
import { infraPipelinesApiRef, InfraPipelinesClient } from './api';
import { isPipelinesAvailable } from './components/EntityPipelinesContent';

/**
 * The Pipelines tab on entities of a tenant that name a repository of a CI system.
 *
 * @public
 */
export const infraPipelinesEntityContent = EntityContentBlueprint.make({
  name: 'pipelines',
  params: {
    path: 'pipelines',
    title: 'Pipelines',
    filter: entity => isPipelinesAvailable(entity),
    loader: () =>
      import('./components/EntityPipelinesContent').then(m => (
        <m.EntityPipelinesContent />
      )),
  },
});

const infraPipelines = createInfraPagePlugin({
  pluginId: 'infra-pipelines',
  api: {
    ref: infraPipelinesApiRef,
    create: deps => new InfraPipelinesClient(deps),
  },
  page: {
    path: '/infra-pipelines',
    title: 'Pipelines',
    icon: <PlayCircleOutlineIcon />,
    load: () => import('./components').then(m => m.PipelinesPage),
    legacyName: 'InfraPipelinesPage',
  },
  packageJson: () => import('../package.json'),
  extensions: [infraPipelinesEntityContent],
});

/** The client extension. @public */
export const infraPipelinesApi = infraPipelines.apiExtension;
/** The page extension (`/infra-pipelines`). @public */
export const infraPipelinesPage = infraPipelines.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraPipelinesPlugin = infraPipelines.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraPipelinesPlugin = infraPipelines.legacyPlugin;
/** `<Route path="/infra-pipelines" element={<InfraPipelinesPage />} />` in legacy apps. @public */
export const InfraPipelinesPage = infraPipelines.LegacyPage;
