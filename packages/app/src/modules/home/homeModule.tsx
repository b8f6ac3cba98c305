import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Infra Hub

The portal where platform, security and compliance teams find their
infrastructure and the services that run on it.

- **[Catalog](/)**: every tenant's domains, systems, services, APIs and
  Terraform modules. Filter by *Kind* to see domains (one per client tenant).
- **[Infra Hub](/infra-hub)**: the suite's version and which of its features
  this portal runs.
- **[Create](/create)**: software templates.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Where to start in the Infra Hub portal',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
