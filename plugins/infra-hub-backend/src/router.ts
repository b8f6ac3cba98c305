import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { infraSuiteReadPermission } from '@infra-hub/plugin-infra-hub-common';
import { createOpenApiRouter } from './schema/openapi.generated';
import { AboutService } from './services/AboutService';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  about: AboutService;
}) {
  const { httpAuth, permissions, about } = options;
  const router = await createOpenApiRouter();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/about', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: infraSuiteReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the suite's status (${infraSuiteReadPermission.name})`,
      );
    }
    const { enabled } = req.query;
    res.json(
      await about.about({
        enabled: enabled === undefined ? undefined : enabled === 'true',
      }),
    );
  });

  return router;
}
