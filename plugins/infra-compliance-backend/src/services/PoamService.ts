import { ConflictError, InputError } from '@backstage/errors';
import {
  POAM_STATES,
  POAM_TRANSITIONS,
  PoamState,
} from '@infra-hub/plugin-infra-compliance-common';
import { InfraSecuritySpine } from '@infra-hub/plugin-infra-security-node';
import { PoamStore } from '../database/PoamStore';

/** The POA&M: items drafted from open findings, moved through explicit transitions, audited. */
export class PoamService {
  constructor(
    private readonly deps: {
      store: PoamStore;
      spine: Pick<InfraSecuritySpine, 'recordAudit'>;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /** Drafts items for the tenant's open findings that have none (after each evaluation). */
  draft(tenantId: string) {
    return this.deps.store.draft(tenantId, this.now());
  }

  list(
    tenantId: string,
    query: { state?: unknown },
    page: { limit: number; after?: string },
  ) {
    let state: PoamState | undefined;
    if (query.state !== undefined && query.state !== '') {
      if (!(POAM_STATES as readonly unknown[]).includes(query.state))
        throw new InputError(
          `Query parameter 'state' must be one of ${POAM_STATES.join(', ')}`,
        );
      state = query.state as PoamState;
    }
    return this.deps.store.list(tenantId, { state }, page);
  }

  get(tenantId: string, id: string) {
    return this.deps.store.get(tenantId, id);
  }

  /**
   * Moves an item along one of its transitions. An illegal move is a 409 naming the allowed ones;
   * closing needs the finding resolved by an evaluation.
   */
  async transition(
    tenantId: string,
    id: string,
    body: { to?: unknown; comment?: unknown },
    actor: string,
  ) {
    const to = body.to;
    if (
      typeof to !== 'string' ||
      !(POAM_STATES as readonly string[]).includes(to)
    )
      throw new InputError(`'to' must be one of ${POAM_STATES.join(', ')}`);
    const comment =
      typeof body.comment === 'string' && body.comment.trim()
        ? body.comment.trim()
        : undefined;
    const item = await this.deps.store.get(tenantId, id);
    const allowed = POAM_TRANSITIONS[item.state];
    if (!allowed.includes(to as PoamState))
      throw new ConflictError(
        `A POA&M item cannot go from ${item.state} to ${to}${
          allowed.length
            ? `; from ${item.state} it may go to ${allowed.join(' or ')}`
            : ': it is closed'
        }`,
      );
    if (to === 'closed' && item.findingStatus !== 'resolved')
      throw new ConflictError(
        `POA&M item '${id}' cannot close: its finding is ${
          item.findingStatus ?? 'gone'
        }, and closing needs an evaluation that resolves it`,
      );
    await this.deps.store.transition(
      tenantId,
      id,
      item.state,
      to as PoamState,
      {
        actor,
        comment,
        at: this.now(),
      },
    );
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'compliance.poam.transition',
      subject: id,
      details: { from: item.state, to, ...(comment ? { comment } : {}) },
    });
    return this.deps.store.get(tenantId, id);
  }
}
