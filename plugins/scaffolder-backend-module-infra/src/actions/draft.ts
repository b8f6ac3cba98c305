import {
  AuthService,
  DiscoveryService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, ResponseError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { InfraPluginClient } from '@infra-hub/plugin-infra-security-node';
import fs from 'node:fs';
import path from 'node:path';

/** What the chat backend's module drafting answers. */
type ModuleDraft = {
  proposals: Array<{ templateRef: string; title: string; score: number }>;
  files?: Record<string, string>;
  model?: string;
  refusal?: string;
};

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\.(tf|md|tftest\.hcl)$/;

/**
 * `infra:module:draft`: a Terraform module drafted from a description by the chat's model (the
 * person's team policy must allow `module-scaffold`), written into the workspace for the steps
 * after it, `infra:scan` first, exactly as the golden paths' generated code. Without a model, or
 * refused by the policy, the task stops and names the closest golden-path templates to use
 * instead. The drafted code is machine-written: the task log says so.
 *
 * @public
 */
export function createInfraDraftModuleAction(options: {
  auth: AuthService;
  discovery: DiscoveryService;
}) {
  const chat = new InfraPluginClient({
    discovery: options.discovery,
    auth: options.auth,
    pluginId: 'infra-chat',
  });
  return createTemplateAction({
    id: 'infra:module:draft',
    description:
      "Drafts a Terraform module from a description with the Infra Hub chat's model; without one, names the closest golden paths.",
    supportsDryRun: false,
    examples: [
      {
        description: 'Draft, then scan like a golden path',
        example: `steps:
  - id: draft
    action: infra:module:draft
    input:
      tenant: \${{ parameters.tenant }}
      description: \${{ parameters.description }}
      name: \${{ parameters.name }}
  - id: scan
    action: infra:scan
    input:
      failOn: high`,
      },
    ],
    schema: {
      input: {
        tenant: z =>
          z
            .string()
            .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a tenant id')
            .describe('The tenant the module is for.'),
        description: z =>
          z.string().min(1).max(2000).describe('What the module should do.'),
        name: z =>
          z
            .string()
            .regex(/^[a-z][a-z0-9-]{1,62}$/)
            .optional()
            .describe('The module name.'),
        path: z =>
          z
            .string()
            .max(200)
            .optional()
            .describe('Where in the workspace to write it (default the root).'),
      },
      output: {
        model: z => z.string(),
        files: z => z.array(z.string()),
        proposal: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      if (!options.auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'infra:module:draft: only a signed-in person may draft modules',
        );
      }
      let draft: ModuleDraft;
      try {
        draft = await chat.request<ModuleDraft>(
          `/tenants/${encodeURIComponent(ctx.input.tenant)}/ai/module-draft`,
          {
            body: {
              description: ctx.input.description,
              ...(ctx.input.name ? { name: ctx.input.name } : {}),
            },
            onBehalfOf: credentials,
          },
        );
      } catch (error) {
        // The chat's own refusal, as it said it (a 403 names the permission, a 400 the field).
        if (error instanceof ResponseError) {
          const message = `infra:module:draft: ${error.body.error.message}`;
          throw error.response.status === 403
            ? new NotAllowedError(message)
            : new InputError(message);
        }
        throw error;
      }
      const closest = draft.proposals
        .map(p => `${p.title} (${p.templateRef})`)
        .join(', ');
      if (!draft.files) {
        throw new InputError(
          `infra:module:draft: no module was drafted (${
            draft.refusal ?? 'no model is configured'
          }). ${
            closest
              ? `The closest golden paths: ${closest}.`
              : 'No golden path matches.'
          }`,
        );
      }
      const target = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.path ?? '.',
      );
      fs.mkdirSync(target, { recursive: true });
      const names = Object.keys(draft.files).sort();
      for (const name of names) {
        if (!FILE_NAME.test(name)) {
          throw new InputError(`infra:module:draft: refused file name ${name}`);
        }
        fs.writeFileSync(path.join(target, name), draft.files[name]);
      }
      ctx.logger.info(
        `infra:module:draft: machine-written by ${draft.model}: ${names.join(
          ', ',
        )}; review it, the scans follow.${
          closest ? ` The closest golden paths: ${closest}.` : ''
        }`,
      );
      ctx.output('model', draft.model ?? '');
      ctx.output('files', names);
      if (draft.proposals[0])
        ctx.output('proposal', draft.proposals[0].templateRef);
    },
  });
}
