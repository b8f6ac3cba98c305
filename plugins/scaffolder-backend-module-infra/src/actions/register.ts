import {
  AuthService,
  DiscoveryService,
  PermissionsService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ResponseError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  INFRA_TENANT_ANNOTATION,
  infraPlanUploadPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  InfraAuthorizer,
  InfraPluginClient,
} from '@infra-hub/plugin-infra-security-node';
import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ScaffolderInfraConfig } from '../config';
import { checkBranchName, REPOSITORY_NAME } from '../git';
import { remoteOf, repositoryUrls } from './publish';

/** A module name as change control takes it. */
const MODULE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

const REGISTER_REFUSED = (tenant: string) =>
  `infra:module:register: your role in tenant ${tenant} may not register modules (it needs ${infraPlanUploadPermission.name})`;

/** The largest catalog-info.yaml read from the workspace. */
const MAX_CATALOG_INFO_BYTES = 256 * 1024;

const refOf = (ref: string, defaultKind: string) => {
  try {
    return stringifyEntityRef(parseEntityRef(ref, { defaultKind }));
  } catch {
    throw new InputError(`${JSON.stringify(ref)} is not an entity ref`);
  }
};

/**
 * What the workspace's catalog file says, checked against what the task registers: one
 * `terraform-module` Component named after the module, in the tenant, in the system.
 */
export function checkModuleEntity(
  text: string,
  expected: { tenant: string; system: string; module: string },
): Entity {
  const problems: string[] = [];
  let entities: Entity[];
  try {
    entities = Array.from(parseAllDocuments(text)).map(d => {
      if (d.errors.length) throw d.errors[0];
      // No aliases: YAML from a task must not expand beyond its size.
      return d.toJS({ maxAliasCount: 0 }) as Entity;
    });
  } catch (e) {
    throw new InputError(
      `The catalog file does not parse: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (entities.length !== 1) {
    throw new InputError(
      `The catalog file must hold one entity, the module; it holds ${entities.length}`,
    );
  }
  const [entity] = entities;
  const spec = (entity?.spec ?? {}) as Record<string, unknown>;
  if (entity?.kind !== 'Component' || spec.type !== 'terraform-module')
    problems.push('it is not a Component of spec.type terraform-module');
  if (entity?.metadata?.name !== expected.module)
    problems.push(`its name is not ${expected.module}`);
  if (
    entity?.metadata?.annotations?.[INFRA_TENANT_ANNOTATION] !== expected.tenant
  )
    problems.push(
      `its ${INFRA_TENANT_ANNOTATION} annotation is not ${expected.tenant}`,
    );
  if (
    typeof spec.system !== 'string' ||
    refOf(spec.system, 'system') !== expected.system
  )
    problems.push(`its spec.system is not ${expected.system}`);
  if (problems.length) {
    throw new InputError(
      `The catalog file does not describe module ${
        expected.module
      }: ${problems.join('; ')}`,
    );
  }
  return entity;
}

/**
 * `infra:module:register`: puts a published module in the suite. Checks, as the person who runs
 * the task, that they hold a role in the tenant, that the system is the tenant's, and that the
 * workspace's catalog file describes the module there; then registers the module with change
 * control (their role must allow uploading plans) and adds its catalog file to the catalog as the
 * scaffolder (people without the platform team's catalog rights create modules this way, and
 * only from a configured git remote). A dry run makes every check and changes nothing.
 *
 * @public
 */
export function createInfraRegisterModuleAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
  permissions: PermissionsService;
  catalog: CatalogService;
  settings: ScaffolderInfraConfig;
}) {
  const { auth, discovery, catalog, settings } = options;
  const authorizer = new InfraAuthorizer({
    permissions: options.permissions,
    auth,
  });
  const security = new InfraPluginClient({
    discovery,
    auth,
    pluginId: 'infra-security',
  });
  const change = new InfraPluginClient({
    discovery,
    auth,
    pluginId: 'infra-change',
  });
  return createTemplateAction({
    id: 'infra:module:register',
    description:
      'Registers a published Terraform module with Infra Hub (tenant, system, change control) and adds it to the catalog.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Register the module the task just published',
        example: `steps:
  - id: register
    action: infra:module:register
    input:
      tenant: \${{ parameters.tenant }}
      system: \${{ parameters.system }}
      module: \${{ parameters.name }}`,
      },
    ],
    schema: {
      input: {
        tenant: z =>
          z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a tenant id')
            .describe('The tenant that owns the module.'),
        system: z =>
          z
            .string()
            .max(255)
            .describe("The tenant's System entity the module belongs to."),
        module: z =>
          z
            .string()
            .regex(MODULE, 'lowercase letters, digits, . _ -')
            .describe('The module name (change control, catalog entity).'),
        repository: z =>
          z
            .string()
            .regex(REPOSITORY_NAME)
            .optional()
            .describe(
              'The repository infra:publish:git published (default: the module name).',
            ),
        remote: z => z.string().max(63).optional(),
        defaultBranch: z =>
          z.string().max(100).optional().describe('Default: main.'),
        checkOnly: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Only check the person, tenant, system and catalog file (a step before publishing).',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe(
              'The catalog file, relative to the workspace and the repository (default catalog-info.yaml).',
            ),
      },
      output: {
        entityRef: z => z.string(),
        catalogInfoUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      const { tenant, module } = ctx.input;
      const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const system = refOf(ctx.input.system, 'system');
      const credentials = await ctx.getInitiatorCredentials();
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'infra:module:register: only a signed-in person may register modules',
        );
      }

      // A role in the tenant (a clear refusal before anything else).
      const me = await security.request<{
        roles: Array<{ scope: string; role: string }>;
      }>('/me', { onBehalfOf: credentials });
      if (!me.roles.some(r => r.scope === tenant)) {
        throw new NotAllowedError(
          `infra:module:register: you hold no role in tenant ${tenant}`,
        );
      }
      // Change control takes the module only from roles that upload plans.
      if (
        !(await authorizer.isAllowed(
          credentials,
          infraPlanUploadPermission,
          tenant,
        ))
      ) {
        throw new NotAllowedError(REGISTER_REFUSED(tenant));
      }

      // The system exists, the user sees it, and it is the tenant's.
      const systemEntity = await catalog.getEntityByRef(system, {
        credentials,
      });
      if (!systemEntity || systemEntity.kind !== 'System') {
        throw new InputError(
          `infra:module:register: there is no system ${system} in the catalog`,
        );
      }
      const owner =
        systemEntity.metadata.annotations?.[INFRA_TENANT_ANNOTATION];
      if (owner !== tenant) {
        throw new InputError(
          `infra:module:register: system ${system} belongs to ${
            owner ? `tenant ${owner}` : 'no tenant'
          }, not to ${tenant}`,
        );
      }

      // The catalog file says the same.
      const file = resolveSafeChildPath(ctx.workspacePath, catalogInfoPath);
      if (
        !fs.existsSync(file) ||
        fs.statSync(file).size > MAX_CATALOG_INFO_BYTES
      ) {
        throw new InputError(
          `infra:module:register: ${catalogInfoPath} is missing or over ${
            MAX_CATALOG_INFO_BYTES / 1024
          } KB`,
        );
      }
      const entity = checkModuleEntity(fs.readFileSync(file, 'utf8'), {
        tenant,
        system,
        module,
      });
      const entityRef = stringifyEntityRef(entity);

      const remote = remoteOf(settings, ctx.input.remote);
      const { remoteUrl, contentsUrl } = repositoryUrls(
        remote,
        ctx.input.repository ?? module,
        checkBranchName(ctx.input.defaultBranch ?? 'main'),
      );
      const catalogInfoUrl = `${contentsUrl}/${catalogInfoPath.replace(
        /^\.?\//,
        '',
      )}`;
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      if (ctx.input.checkOnly) {
        ctx.logger.info(
          `Module ${module} may be registered in tenant ${tenant} (${system})`,
        );
        return;
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register module ${module} of tenant ${tenant} (${system}) and add ${catalogInfoUrl} to the catalog`,
        );
        return;
      }

      await ctx.checkpoint({
        key: `infra.register.${tenant}.${module}`,
        fn: async () => {
          try {
            await change.request(
              `/tenants/${encodeURIComponent(
                tenant,
              )}/modules/${encodeURIComponent(module)}`,
              {
                method: 'PUT',
                body: { system, entityRef, repository: remoteUrl },
                onBehalfOf: credentials,
              },
            );
          } catch (e) {
            if (e instanceof ResponseError && e.response.status === 403) {
              throw new NotAllowedError(REGISTER_REFUSED(tenant));
            }
            if (e instanceof ResponseError && e.response.status === 409) {
              throw new ConflictError(
                `infra:module:register: module ${module} of tenant ${tenant} is registered to another repository`,
              );
            }
            throw e;
          }
        },
      });
      ctx.logger.info(`Registered module ${module} with change control`);

      try {
        await catalog.addLocation(
          { type: 'url', target: catalogInfoUrl },
          { credentials: await auth.getOwnServiceCredentials() },
        );
        ctx.logger.info(`Added ${catalogInfoUrl} to the catalog`);
      } catch (e) {
        const conflict =
          e instanceof ResponseError
            ? e.response.status === 409
            : e instanceof ConflictError;
        if (!conflict) throw e;
        ctx.logger.info(`${catalogInfoUrl} is in the catalog already`);
      }
    },
  });
}
