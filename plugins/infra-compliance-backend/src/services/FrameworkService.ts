import { InputError, NotFoundError } from '@backstage/errors';
import {
  CustomFramework,
  Framework,
  Rule,
  TenantFramework,
} from '@infra-hub/plugin-infra-compliance-common';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { z } from 'zod';
import { FrameworkStore } from '../database/FrameworkStore';
import { Rules } from './Rules';

const ID = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const CONTROL_ID = /^[A-Za-z0-9][A-Za-z0-9._:()-]{0,63}$/;

const schema = z
  .object({
    title: z.string().trim().min(1).max(200),
    version: z.string().trim().min(1).max(64).optional(),
    controls: z
      .array(
        z
          .object({
            id: z
              .string()
              .regex(CONTROL_ID, 'letters, digits and . _ : ( ) - only'),
            title: z.string().trim().min(1).max(300).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(2000),
    mappings: z.record(
      z.string().min(1).max(128),
      z.array(z.string().min(1).max(64)).min(1).max(200),
    ),
  })
  .strict();

/** The frameworks that apply to a tenant: the packs', then its own. */
export type TenantFrameworks = {
  frameworks: Framework[];
  /** A rule's controls by framework, the tenant's mappings included. */
  controlsOf(rule: Rule): Record<string, string[]>;
};

/**
 * Frameworks a tenant defines for itself (controls, and which rules support them), checked
 * against the active rules; a change re-evaluates the tenant, so it takes effect without a
 * restart. Also the one place that answers "which framework is `id` for this tenant".
 */
export class FrameworkService {
  constructor(
    private readonly deps: {
      store: FrameworkStore;
      rules: Rules;
      spine: Pick<InfraSecuritySpine, 'recordAudit'>;
    },
  ) {}

  private readonly listeners: Array<(tenantId: string) => void> = [];

  /** Calls `listener` after a tenant's frameworks changed (to re-evaluate the tenant). */
  onChange(listener: (tenantId: string) => void) {
    this.listeners.push(listener);
  }

  private changed(tenantId: string) {
    for (const listener of this.listeners) listener(tenantId);
  }

  /** The packs' frameworks and the tenant's own. */
  async effective(tenantId: string): Promise<TenantFrameworks> {
    const own = await this.deps.store.list(tenantId);
    const packs = this.deps.rules.current().frameworks;
    const frameworks: Framework[] = [
      ...[...packs.keys()].map(id => this.deps.rules.framework(id)!),
      ...own,
    ];
    return {
      frameworks,
      controlsOf: rule => {
        const out = { ...rule.controls };
        for (const f of own) {
          const ids = f.mappings[rule.id];
          if (ids) out[f.id] = ids;
        }
        return out;
      },
    };
  }

  /** A framework of the packs or of the tenant; NotFoundError otherwise. */
  async framework(tenantId: string, id: string): Promise<Framework> {
    const builtIn = this.deps.rules.framework(id);
    if (builtIn) return builtIn;
    const own = (await this.deps.store.list(tenantId)).find(f => f.id === id);
    if (!own) throw new NotFoundError(`No framework '${id}'`);
    return own;
  }

  /** The rules that support a framework (or one of its controls) for the tenant. */
  async rulesOf(
    tenantId: string,
    frameworkId: string,
    control?: string,
  ): Promise<string[]> {
    if (this.deps.rules.framework(frameworkId))
      return this.deps.rules.rulesOf(frameworkId, control);
    const own = await this.framework(tenantId, frameworkId);
    return Object.entries((own as CustomFramework).mappings)
      .filter(([, ids]) => control === undefined || ids.includes(control))
      .map(([ruleId]) => ruleId);
  }

  list(tenantId: string) {
    return this.deps.store.list(tenantId);
  }

  /** Creates or replaces the tenant's framework `id`; 400 naming what is wrong. */
  async put(tenantId: string, id: string, body: unknown, actor: string) {
    if (!ID.test(id))
      throw new InputError(
        `Framework id '${id}' must be lowercase letters, digits, dots and dashes`,
      );
    if (this.deps.rules.framework(id))
      throw new InputError(
        `'${id}' is a framework of the installation's rule packs; choose another id`,
      );
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        `Invalid framework at '${issue.path.join('.') || '(body)'}': ${
          issue.message
        }`,
      );
    }
    const f = parsed.data;
    const controls = new Set<string>();
    for (const c of f.controls) {
      if (controls.has(c.id))
        throw new InputError(`Control '${c.id}' is listed twice`);
      controls.add(c.id);
    }
    for (const [ruleId, ids] of Object.entries(f.mappings)) {
      if (!this.deps.rules.rule(ruleId))
        throw new InputError(`No rule '${ruleId}' in the active rule packs`);
      for (const c of ids)
        if (!controls.has(c))
          throw new InputError(
            `Control '${c}' (mapped from rule '${ruleId}') is not among the framework's controls`,
          );
    }
    const framework: CustomFramework = { id, ...f };
    const at = new Date();
    const created = await this.deps.store.put(tenantId, framework, actor, at);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: created
        ? 'compliance.framework.created'
        : 'compliance.framework.updated',
      subject: id,
      details: {
        controls: f.controls.length,
        mappedRules: Object.keys(f.mappings).length,
      },
    });
    this.changed(tenantId);
    const stored: TenantFramework = {
      tenantId,
      ...framework,
      updatedBy: actor,
      updatedAt: at.toISOString(),
    };
    return { created, framework: stored };
  }

  async delete(tenantId: string, id: string, actor: string) {
    await this.deps.store.delete(tenantId, id);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'compliance.framework.deleted',
      subject: id,
    });
    this.changed(tenantId);
  }
}
