/*
 * The Infra Hub portal's backend: Backstage's core plugins plus the Infra Hub suite.
 * Which database, which sign-in providers and which catalog locations it uses comes from
 * app-config.yaml (development) and app-config.production.yaml (production).
 */
import { createBackend } from '@backstage/backend-defaults';
import { infraApiKeyTokenHandlerFactory } from '@infra-hub/plugin-infra-security-node';
import { infraLocalGitUrlReader } from '@infra-hub/plugin-scaffolder-backend-module-infra';
import { rootHttpRouterWithSecurityHeaders } from './securityHeaders';

const backend = createBackend();

// Backstage's HTTP defaults (HSTS, nosniff, CSP from backend.csp) plus X-Frame-Options: DENY
backend.add(rootHttpRouterWithSecurityHeaders);

// the app's static files
backend.add(import('@backstage/plugin-app-backend'));

// sign-in: guest (development only) and OIDC (production, configured from the environment)
backend.add(import('@backstage/plugin-auth-backend'));
// guest and OIDC, each sign-in recorded in the suite's audit log
backend.add(import('@infra-hub/plugin-auth-backend-module-infra'));

// the catalog, fed from catalog.locations (the demo estate in development)
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// software templates
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// the golden paths' actions (infra:scan, infra:publish:git, infra:module:register) and the
// reader of the folder git remotes they publish to (infra.scaffolder.gitRemotes)
backend.add(import('@infra-hub/plugin-scaffolder-backend-module-infra'));
backend.add(infraLocalGitUrlReader);

// permissions: the suite's policy (roles per tenant), never allow-all
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@infra-hub/plugin-permission-backend-module-infra'));

// search: PostgreSQL engine when the database is PostgreSQL, in-memory otherwise
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// the event bus that notifications, signals and the catalog share between backend replicas
backend.add(import('@backstage/plugin-events-backend'));

// user settings, notifications and signals (live updates for long-running work)
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// the Infra Hub suite; machine API keys (Bearer sk_...) are accepted through the token handler
backend.add(import('@infra-hub/plugin-infra-hub-backend'));
backend.add(import('@infra-hub/plugin-infra-security-backend'));
backend.add(import('@infra-hub/plugin-infra-discovery-backend'));
backend.add(
  import('@infra-hub/plugin-infra-discovery-backend-module-terraform'),
);
backend.add(import('@infra-hub/plugin-infra-discovery-backend-module-aws'));
backend.add(import('@infra-hub/plugin-catalog-backend-module-infra'));
backend.add(import('@infra-hub/plugin-infra-change-backend'));
backend.add(import('@infra-hub/plugin-infra-compliance-backend'));
backend.add(import('@infra-hub/plugin-infra-chat-backend'));
backend.add(import('@infra-hub/plugin-infra-pipelines-backend'));
backend.add(infraApiKeyTokenHandlerFactory);

// A plugin that cannot start stops the backend, loudly: Backstage logs the failure but keeps the
// process alive (its handlers catch the rejection), which would leave a half-started portal.
backend.start().catch(error => {
  process.stderr.write(
    `The backend could not start: ${error?.stack ?? String(error)}\n`,
  );
  process.exit(1);
});
