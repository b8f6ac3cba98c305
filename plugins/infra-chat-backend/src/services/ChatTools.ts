import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  ChangeRequest,
  PlanDetail,
  PlanRecord,
} from '@infra-hub/plugin-infra-change-common';
import { AiDataClass, ChatTable } from '@infra-hub/plugin-infra-chat-common';
import { Finding } from '@infra-hub/plugin-infra-compliance-common';
import {
  AttackPath,
  AssetPage,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  infraAssetGraphReadPermission,
  infraChangeReadPermission,
  infraFindingsReadPermission,
  infraTenantReadPermission,
} from '@infra-hub/plugin-infra-security-common';
import {
  apiKeyOf,
  InfraAuthorizer,
  InfraPluginClient,
} from '@infra-hub/plugin-infra-security-node';
import { z } from 'zod';
import { scrubText } from '../retrieval/text';

/** Who asks, in which tenant: tools run with the asker's rights there. */
export type ToolContext = {
  credentials: BackstageCredentials;
  tenantId: string;
};

/** What a tool gives back: a table for people, the same facts as text for a model. */
export type ToolResult = { table: ChatTable; text: string };

type ToolDefinition<S extends z.ZodObject<any>> = {
  name: string;
  description: string;
  permission: ResourcePermission;
  /** What its results are, for the policies on what may be sent to a model. */
  dataClass: AiDataClass;
  args: S;
  run(ctx: ToolContext, args: z.infer<S>): Promise<ToolResult>;
};

/** The most rows a tool returns. */
const MAX_ROWS = 25;

const tenantPath = (ctx: ToolContext, rest: string) =>
  `/tenants/${encodeURIComponent(ctx.tenantId)}${rest}`;

function table(
  title: string,
  columns: string[],
  rows: Array<Array<string | number | undefined>>,
): ToolResult {
  const cells = rows
    .slice(0, MAX_ROWS)
    .map(r => r.map(c => scrubText(c === undefined ? '' : String(c))));
  const text = [
    title,
    columns.join(' | '),
    ...cells.map(r => r.join(' | ')),
    ...(rows.length > MAX_ROWS ? [`(${rows.length - MAX_ROWS} more)`] : []),
  ].join('\n');
  return { table: { title, columns, rows: cells }, text };
}

/** Why a tool found nothing it may show, as a one-row table. */
function note(title: string, message: string): ToolResult {
  return {
    table: { title, columns: ['Note'], rows: [[message]] },
    text: `${title}: ${message}`,
  };
}

/**
 * The read-only tools the chat (and a model, when one is configured) may call. Each runs with the
 * asker's rights in the tenant: the permission is checked here first (the same way for people and
 * machine API keys), then the suite's own API is called on the person's behalf, so what a tool
 * returns is exactly what the asker could read on the portal's pages.
 */
export class ChatTools {
  private readonly clients: Record<string, InfraPluginClient>;
  readonly definitions: Array<ToolDefinition<any>>;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      authorizer: InfraAuthorizer;
    },
  ) {
    const client = (pluginId: string) =>
      new InfraPluginClient({
        discovery: deps.discovery,
        auth: deps.auth,
        pluginId,
      });
    this.clients = {
      discovery: client('infra-discovery'),
      change: client('infra-change'),
      compliance: client('infra-compliance'),
      catalog: client('catalog'),
      pipelines: client('infra-pipelines'),
    };
    this.definitions = [
      this.define({
        name: 'list_drift',
        dataClass: 'changes',
        description:
          "The tenant's Terraform modules with their latest plan: resources drifted outside Terraform, risk, when and by whom uploaded.",
        permission: infraChangeReadPermission,
        args: z.object({ module: z.string().max(200).optional() }).strict(),
        run: async (ctx, args) => {
          const { items } = await this.call<{ items: PlanRecord[] }>(
            ctx,
            'change',
            tenantPath(ctx, '/drift'),
          );
          const rows = items
            .filter(p => !args.module || p.moduleId === args.module)
            .sort((a, b) => b.drifted - a.drifted);
          return table(
            'Drift by module',
            ['Module', 'Drifted', 'Risk', 'Plan', 'Uploaded', 'By'],
            rows.map(p => [
              p.moduleId,
              p.drifted,
              p.risk,
              p.id,
              p.uploadedAt,
              p.uploadedBy,
            ]),
          );
        },
      }),
      this.define({
        name: 'list_change_requests',
        dataClass: 'changes',
        description:
          'Change requests of the tenant, newest first, with state, risk, requester and their approvals (who, when, whether signed).',
        permission: infraChangeReadPermission,
        args: z
          .object({
            module: z.string().max(200).optional(),
            state: z
              .enum([
                'draft',
                'pending_approval',
                'approved',
                'rejected',
                'applied',
                'cancelled',
              ])
              .optional(),
          })
          .strict(),
        run: async (ctx, args) => {
          const { items } = await this.call<{ items: ChangeRequest[] }>(
            ctx,
            'change',
            tenantPath(ctx, '/change-requests'),
            { limit: MAX_ROWS, module: args.module, state: args.state },
          );
          return table(
            'Change requests',
            ['Change', 'Module', 'State', 'Risk', 'Requester', 'Decisions'],
            items.map(cr => [
              cr.id,
              cr.moduleId,
              cr.state,
              cr.risk,
              cr.requester,
              cr.decisions
                .map(
                  d =>
                    `${d.decision === 'approve' ? 'approved' : 'rejected'} by ${
                      d.approver
                    } ${d.decidedAt}${d.signed ? ' (signed)' : ''}`,
                )
                .join('; ') || 'none',
            ]),
          );
        },
      }),
      this.define({
        name: 'get_change_request',
        dataClass: 'changes',
        description:
          'One change request: its plan summary, rollback note, and each approval or rejection with its signature status.',
        permission: infraChangeReadPermission,
        args: z.object({ id: z.string().min(1).max(64) }).strict(),
        run: async (ctx, args) => {
          const cr = await this.call<ChangeRequest>(
            ctx,
            'change',
            tenantPath(ctx, `/change-requests/${encodeURIComponent(args.id)}`),
          );
          return table(
            `Change request ${cr.id} (${cr.moduleId}, ${cr.state}, risk ${cr.risk})`,
            ['Approver', 'Decision', 'When', 'Signature', 'Comment'],
            cr.decisions.map(d => [
              d.approver,
              d.decision,
              d.decidedAt,
              d.signed ? 'ML-DSA-65 signed' : 'not signed',
              d.comment,
            ]),
          );
        },
      }),
      this.define({
        name: 'list_findings',
        dataClass: 'findings',
        description:
          'Open compliance findings of the tenant, worst first; optionally of one framework (e.g. cis-aws) and control, or one severity.',
        permission: infraFindingsReadPermission,
        args: z
          .object({
            framework: z.string().max(100).optional(),
            control: z.string().max(100).optional(),
            severity: z
              .enum(['critical', 'high', 'medium', 'low', 'info'])
              .optional(),
          })
          .strict(),
        run: async (ctx, args) => {
          const page = await this.call<{ items: Finding[]; total: number }>(
            ctx,
            'compliance',
            tenantPath(ctx, '/findings'),
            {
              status: 'open',
              limit: MAX_ROWS,
              framework: args.framework,
              control: args.control,
              severity: args.severity,
            },
          );
          return table(
            `Open findings (${page.total})`,
            ['Severity', 'Finding', 'Resource', 'System', 'Controls'],
            page.items.map(f => [
              f.severity,
              f.title,
              f.resourceName,
              f.system,
              Object.entries(f.controls)
                .map(([fw, ids]) => `${fw} ${ids.join(' ')}`)
                .join('; '),
            ]),
          );
        },
      }),
      this.define({
        name: 'attack_paths',
        dataClass: 'assets',
        description:
          'Ways in from the internet to sensitive assets, ranked; optionally only those through one asset id.',
        permission: infraAssetGraphReadPermission,
        args: z.object({ assetId: z.string().max(2048).optional() }).strict(),
        run: async (ctx, args) => {
          const { items } = await this.call<{ items: AttackPath[] }>(
            ctx,
            'discovery',
            tenantPath(ctx, '/attack-paths'),
            { limit: MAX_ROWS, assetId: args.assetId },
          );
          const names = await this.assetNames(ctx, items);
          const name = (id: string) => names.get(id) ?? id;
          return table(
            'Exposed to the internet',
            ['Severity', 'Target', 'Entry', 'Path', 'Why'],
            items.map(p => [
              p.severity,
              name(p.target),
              name(p.entry),
              [
                'internet',
                ...p.steps.map(s => name(s.reversed ? s.edge.from : s.edge.to)),
              ].join(' → '),
              p.reasons.join('; '),
            ]),
          );
        },
      }),
      this.define({
        name: 'search_catalog',
        dataClass: 'catalog',
        description:
          "The tenant's catalog entities (systems, components, modules, resources) whose name or description matches the text.",
        permission: infraTenantReadPermission,
        args: z.object({ text: z.string().min(1).max(200) }).strict(),
        run: async (ctx, args) => {
          const result = await this.call<{
            items: Array<{
              kind: string;
              metadata: {
                name: string;
                namespace?: string;
                title?: string;
                description?: string;
                annotations?: Record<string, string>;
              };
              spec?: { type?: string; owner?: string };
            }>;
          }>(ctx, 'catalog', '/entities/by-query', {
            fullTextFilterTerm: args.text,
            filter: `metadata.annotations.infra-hub.io/tenant=${ctx.tenantId}`,
            limit: MAX_ROWS,
          });
          return table(
            `Catalog entities matching "${args.text}"`,
            ['Kind', 'Name', 'Type', 'Owner', 'Description'],
            result.items.map(e => [
              e.kind,
              e.metadata.title ?? e.metadata.name,
              e.spec?.type,
              e.spec?.owner,
              e.metadata.description,
            ]),
          );
        },
      }),
      this.define({
        name: 'plan_summary',
        dataClass: 'changes',
        description:
          "A stored Terraform plan's deterministic summary: counts of changes, drift, risk and why.",
        permission: infraChangeReadPermission,
        args: z.object({ planId: z.string().min(1).max(64) }).strict(),
        run: async (ctx, args) => {
          const plan = await this.call<PlanDetail>(
            ctx,
            'change',
            tenantPath(ctx, `/plans/${encodeURIComponent(args.planId)}`),
          );
          return table(
            `Plan ${plan.id} of ${plan.moduleId} (risk ${plan.risk})`,
            ['Resource', 'Action', 'Risk', 'Why'],
            plan.summary.resources.map(r => [
              r.address,
              r.drift ? 'drifted' : r.action,
              r.risk,
              r.reasons.join('; '),
            ]),
          );
        },
      }),
    ];
  }

  private define<S extends z.ZodObject<any>>(d: ToolDefinition<S>) {
    return d;
  }

  /** The tools as a model is offered them (JSON Schema arguments), of the data classes given. */
  specs(dataClasses: readonly AiDataClass[]) {
    return this.definitions
      .filter(d => dataClasses.includes(d.dataClass))
      .map(d => {
        const { $schema, ...parameters } = z.toJSONSchema(d.args) as Record<
          string,
          unknown
        >;
        void $schema;
        return {
          type: 'function' as const,
          function: { name: d.name, description: d.description, parameters },
        };
      });
  }

  /** The tool named `name`; undefined when there is none. */
  get(name: string) {
    return this.definitions.find(d => d.name === name);
  }

  /**
   * Runs a tool with the asker's rights. Arguments outside the tool's schema, a permission the
   * asker lacks, or an item that does not exist give a note saying so (the answer goes on).
   */
  async run(
    ctx: ToolContext,
    name: string,
    rawArgs: unknown,
  ): Promise<ToolResult> {
    const tool = this.get(name);
    if (!tool) return note(name, `There is no tool '${name}'`);
    const parsed = tool.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      return note(
        name,
        `Arguments outside the tool's schema: ${parsed.error.issues
          .map(
            (i: { path: PropertyKey[]; message: string }) =>
              `${i.path.map(String).join('.') || '(arguments)'} ${i.message}`,
          )
          .join('; ')}`,
      );
    }
    if (
      !(await this.deps.authorizer.isAllowed(
        ctx.credentials,
        tool.permission,
        ctx.tenantId,
      ))
    ) {
      return note(name, `You may not read this (${tool.permission.name})`);
    }
    try {
      return await tool.run(ctx, parsed.data);
    } catch (error) {
      if (error instanceof ResponseError) {
        const status = error.response.status;
        if (status === 404) return note(name, 'Not found');
        if (status === 403) return note(name, 'You may not read this');
        if (status === 400) return note(name, error.body.error.message);
      }
      throw error;
    }
  }

  /**
   * Reads from a suite plugin's API as the asker (a person on their behalf; a machine API key,
   * whose permission the caller checked, as this plugin on the tenant's own path).
   */
  async call<T>(
    ctx: ToolContext,
    plugin: keyof ChatTools['clients'],
    path: string,
    query?: Record<string, string | number | undefined>,
  ): Promise<T> {
    // A person's call is made on their behalf; a machine API key (already checked against its
    // role in this tenant above) cannot be forwarded, so its call is made by this plugin, on the
    // tenant's own path only.
    const onBehalfOf = apiKeyOf(ctx.credentials) ? undefined : ctx.credentials;
    return this.clients[plugin].request<T>(path, {
      query,
      ...(onBehalfOf &&
      onBehalfOf.principal &&
      (onBehalfOf.principal as any).type === 'user'
        ? { onBehalfOf }
        : {}),
    });
  }

  private async assetNames(ctx: ToolContext, paths: AttackPath[]) {
    const names = new Map<string, string>();
    const ids = new Set(paths.flatMap(p => [p.target, p.entry]));
    for (const id of ids) {
      const page = await this.call<AssetPage>(
        ctx,
        'discovery',
        tenantPath(ctx, '/assets'),
        {
          search: id,
          limit: 1,
          includeGone: 'true',
        },
      ).catch(() => undefined);
      const asset = page?.items.find(a => a.id === id);
      if (asset) names.set(id, asset.name);
    }
    return names;
  }
}
