import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import { createInfraPagePlugin } from '@infra-hub/plugin-infra-hub-react';
import ChatIcon from '@material-ui/icons/Chat';
import { infraChatApiRef, InfraChatClient } from './api';

/** True for entities of a tenant (those the chat can answer about). @public */
export function isInfraChatAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}) {
  return Boolean(entity.metadata.annotations?.[INFRA_TENANT_ANNOTATION]);
}

/**
 * The "Ask about this" card on the overview of a tenant's entities.
 *
 * @public
 */
export const infraChatEntityCard = EntityCardBlueprint.make({
  name: 'ask-about-this',
  params: {
    type: 'info',
    filter: entity => isInfraChatAvailable(entity),
    loader: () =>
      import('./components/AskAboutEntityCard').then(m => (
        <m.AskAboutEntityCard />
      )),
  },
});

const infraChat = createInfraPagePlugin({
  pluginId: 'infra-chat',
  api: {
    ref: infraChatApiRef,
    create: deps => new InfraChatClient(deps),
  },
  page: {
    path: '/infra-chat',
    title: 'Infra chat',
    icon: <ChatIcon />,
    load: () => import('./components').then(m => m.ChatPage),
    legacyName: 'InfraChatPage',
  },
  packageJson: () => import('../package.json'),
  extensions: [infraChatEntityCard],
});

/** The client extension. @public */
export const infraChatApi = infraChat.apiExtension;
/** The page extension (`/infra-chat`). @public */
export const infraChatPage = infraChat.pageExtension;
/** The plugin for apps on Backstage's current frontend system. @public */
export const infraChatPlugin = infraChat.plugin;
/** The plugin for apps on the legacy frontend system. @public */
export const legacyInfraChatPlugin = infraChat.legacyPlugin;
/** `<Route path="/infra-chat" element={<InfraChatPage />} />` in legacy apps. @public */
export const InfraChatPage = infraChat.LegacyPage;
