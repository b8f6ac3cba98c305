import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  assertHostAllowed,
  EgressPolicy,
  refusedAddress,
} from '@infra-hub/plugin-infra-discovery-node';
import {
  PIPELINE_PROVIDERS,
  PipelineConnection,
  PipelineProvider,
  PipelineRun,
} from '@infra-hub/plugin-infra-pipelines-common';
import { redactSecretsInText } from '@infra-hub/plugin-infra-security-common';
import {
  actorOf,
  InfraSecuritySpine,
} from '@infra-hub/plugin-infra-security-node';
import dns from 'node:dns/promises';
import { CONNECTION_ID, ConfigConnection, PipelineSettings } from '../config';
import { PipelineStore, StoredConnection } from '../database/PipelineStore';
import {
  JobUpdate,
  PROVIDER_ADAPTERS,
  ProviderApi,
  RateLimitedError,
  RunUpdate,
  WebhookEvent,
} from '../providers';
import { EntityLinks } from './EntityLinks';

/** What the plugin records as the actor of its own credential uses. */
const SELF = 'plugin:infra-pipelines';

/** What a webhook delivery came to. */
export type DeliveryOutcome = {
  status: 'stored' | 'ignored';
  runId?: string;
  reason?: string;
};

/** The end of a log, at most `bytes`, from a line start; secrets redacted. */
export function logExcerpt(
  log: string,
  bytes: number,
): { excerpt: string; truncated: boolean } {
  const buffer = Buffer.from(log, 'utf8');
  if (buffer.length <= bytes) {
    return { excerpt: redactSecretsInText(log), truncated: false };
  }
  let tail = buffer.subarray(buffer.length - bytes).toString('utf8');
  const newline = tail.indexOf('\n');
  if (newline >= 0 && newline < tail.length - 1) tail = tail.slice(newline + 1);
  return { excerpt: redactSecretsInText(tail), truncated: true };
}

/**
 * Pipelines of each tenant: its connections to CI systems, runs received by webhook (verified
 * with the tenant's secret, replays refused) or pulled from the APIs (backfill), linked to the
 * entities that claim their repositories; logs of failed jobs; triggers from the portal.
 */
export class PipelineService {
  private readonly configSecrets = new Map<
    string,
    { token?: string; webhookSecret?: string }
  >();
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      store: PipelineStore;
      links: EntityLinks;
      spine: Pick<
        InfraSecuritySpine,
        'useCredential' | 'describeCredential' | 'recordAudit'
      >;
      settings: Pick<
        PipelineSettings,
        'requestTimeoutMs' | 'logExcerptBytes' | 'egress' | 'retentionDays'
      >;
      logger: LoggerService;
      /** A tenant's run changed (stored, its jobs or logs). */
      onChanged: (tenantId: string, run: PipelineRun) => void;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /** Resolves when the background work (jobs and logs of failed runs) is done (tests). */
  async idle() {
    while (this.background.size) {
      await Promise.allSettled([...this.background]);
    }
  }

  private inBackground(work: Promise<unknown>) {
    const tracked = work.catch(error =>
      this.deps.logger.warn('pipeline background work failed', {
        error: (error as Error).message,
      }),
    );
    this.background.add(tracked);
    tracked.finally(() => this.background.delete(tracked));
  }

  // --- connections

  /** Makes the stored config connections exactly those of app-config (their secrets kept here). */
  async syncConfigConnections(connections: ConfigConnection[]) {
    for (const c of connections) {
      const existing = await this.deps.store.connection(c.tenantId, c.id);
      if (existing && existing.origin === 'api') {
        throw new Error(
          `Invalid config at 'infra.pipelines.connections.${c.tenantId}.${c.id}': the tenant already has a connection '${c.id}' created through the API`,
        );
      }
      await this.deps.store.putConnection(c.tenantId, {
        id: c.id,
        provider: c.provider,
        name: c.name,
        baseUrl: c.baseUrl ?? PROVIDER_ADAPTERS[c.provider].defaultBaseUrl,
        ...(c.tokenCredentialId
          ? { tokenCredentialId: c.tokenCredentialId }
          : {}),
        ...(c.webhookSecretCredentialId
          ? { webhookSecretCredentialId: c.webhookSecretCredentialId }
          : {}),
        origin: 'config',
        pullMinutes: c.pullMinutes,
      });
      this.configSecrets.set(`${c.tenantId}/${c.id}`, {
        ...(c.token ? { token: c.token } : {}),
        ...(c.webhookSecret ? { webhookSecret: c.webhookSecret } : {}),
      });
    }
    await this.deps.store.removeConfigConnectionsExcept(connections);
  }

  private view(tenantId: string, c: StoredConnection): PipelineConnection {
    const secrets = this.configSecrets.get(`${tenantId}/${c.id}`) ?? {};
    const { pullAfter: _p, ...rest } = c;
    return {
      ...rest,
      webhookSecret: Boolean(
        c.webhookSecretCredentialId || secrets.webhookSecret,
      ),
      token: Boolean(c.tokenCredentialId || secrets.token),
      webhookPath: `/api/infra-pipelines/webhooks/${tenantId}/${c.id}`,
    };
  }

  async listConnections(tenantId: string): Promise<PipelineConnection[]> {
    return (await this.deps.store.connections(tenantId)).map(c =>
      this.view(tenantId, c),
    );
  }

  /** Creates or changes a connection of the tenant (not one from app-config). */
  async putConnection(
    tenantId: string,
    id: string,
    body: unknown,
    actor: string,
  ): Promise<{ connection: PipelineConnection; created: boolean }> {
    if (!CONNECTION_ID.test(id)) {
      throw new InputError(
        `Invalid connection id '${id}': lowercase letters, digits and hyphens, at most 63`,
      );
    }
    const b = (body ?? {}) as Record<string, unknown>;
    const known = [
      'provider',
      'name',
      'baseUrl',
      'tokenCredentialId',
      'webhookSecretCredentialId',
      'pullMinutes',
    ];
    const unknownKeys = Object.keys(b).filter(k => !known.includes(k));
    if (unknownKeys.length) {
      throw new InputError(
        `Unknown field(s) of a connection: ${unknownKeys.join(', ')}`,
      );
    }
    const provider = b.provider as PipelineProvider;
    if (!PIPELINE_PROVIDERS.includes(provider)) {
      throw new InputError(
        `'provider' must be one of ${PIPELINE_PROVIDERS.join(', ')}`,
      );
    }
    if (
      b.name !== undefined &&
      (typeof b.name !== 'string' || !b.name.trim() || b.name.length > 200)
    ) {
      throw new InputError(`'name' must be text of 1 to 200 characters`);
    }
    const baseUrl =
      b.baseUrl === undefined
        ? PROVIDER_ADAPTERS[provider].defaultBaseUrl
        : await this.checkBaseUrl(b.baseUrl);
    const pullMinutes = b.pullMinutes ?? 0;
    if (
      typeof pullMinutes !== 'number' ||
      !Number.isInteger(pullMinutes) ||
      pullMinutes < 0 ||
      pullMinutes > 7 * 24 * 60
    ) {
      throw new InputError(
        `'pullMinutes' must be a whole number from 0 to 10080`,
      );
    }
    const credentialIds: Record<string, string> = {};
    for (const field of ['tokenCredentialId', 'webhookSecretCredentialId']) {
      const value = b[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') {
        throw new InputError(`'${field}' must be a credential id`);
      }
      try {
        await this.deps.spine.describeCredential(tenantId, value);
      } catch {
        throw new InputError(
          `'${field}' ${value} is not a credential of tenant '${tenantId}'`,
        );
      }
      credentialIds[field] = value;
    }
    const existing = await this.deps.store.connection(tenantId, id);
    if (existing?.origin === 'config') {
      throw new ConflictError(
        `Connection '${id}' is defined in app-config; change it there`,
      );
    }
    const { created } = await this.deps.store.putConnection(tenantId, {
      id,
      provider,
      name: typeof b.name === 'string' ? b.name.trim() : id,
      baseUrl,
      ...credentialIds,
      origin: 'api',
      pullMinutes,
    });
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: created
        ? 'pipelines.connection.created'
        : 'pipelines.connection.changed',
      subject: id,
      details: { provider, baseUrl, pullMinutes, ...credentialIds },
    });
    const stored = await this.deps.store.connection(tenantId, id);
    return { connection: this.view(tenantId, stored!), created };
  }

  async deleteConnection(tenantId: string, id: string, actor: string) {
    const existing = await this.deps.store.connection(tenantId, id);
    if (!existing) throw new NotFoundError(`No pipeline connection '${id}'`);
    if (existing.origin === 'config') {
      throw new ConflictError(
        `Connection '${id}' is defined in app-config; remove it there`,
      );
    }
    await this.deps.store.deleteConnection(tenantId, id);
    await this.deps.spine.recordAudit({
      scope: tenantId,
      actor,
      action: 'pipelines.connection.deleted',
      subject: id,
    });
  }

  /** A tenant's base URL: http(s), and (for the API's connections) within the egress policy. */
  private async checkBaseUrl(value: unknown): Promise<string> {
    let url: URL;
    try {
      if (typeof value !== 'string') throw new Error();
      url = new URL(value);
      if (!['http:', 'https:'].includes(url.protocol)) throw new Error();
    } catch {
      throw new InputError(`'baseUrl' must be an http(s) URL`);
    }
    await this.assertEgress(url, this.deps.settings.egress);
    return url.toString().replace(/\/$/, '');
  }

  private async assertEgress(url: URL, policy: EgressPolicy) {
    try {
      assertHostAllowed(url, policy);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const addresses = await dns.lookup(host, { all: true }).catch(() => []);
      for (const a of addresses) {
        const why = refusedAddress(a.address, policy);
        if (why) {
          throw new Error(
            `${url.hostname} resolves to ${a.address}, ${why}: refused by the egress policy (infra.pipelines.egress)`,
          );
        }
      }
    } catch (error) {
      throw new InputError((error as Error).message);
    }
  }

  /** Hands a connection's secret to `fn` (config value, or the vault's, audited). */
  private async withSecret<T>(
    tenantId: string,
    connection: StoredConnection,
    which: 'token' | 'webhookSecret',
    purpose: string,
    fn: (secret: string | undefined) => Promise<T>,
  ): Promise<T> {
    const fromConfig = this.configSecrets.get(`${tenantId}/${connection.id}`)?.[
      which
    ];
    if (fromConfig) return fn(fromConfig);
    const credentialId =
      which === 'token'
        ? connection.tokenCredentialId
        : connection.webhookSecretCredentialId;
    if (!credentialId) return fn(undefined);
    return this.deps.spine.useCredential(
      { tenantId, credentialId, actor: SELF, purpose },
      value => fn(value),
    );
  }

  private async api<T>(
    tenantId: string,
    connection: StoredConnection,
    purpose: string,
    fn: (api: ProviderApi) => Promise<T>,
  ): Promise<T | undefined> {
    return this.withSecret(
      tenantId,
      connection,
      'token',
      purpose,
      async token => {
        if (!token) return undefined;
        if (connection.origin === 'api') {
          await this.assertEgress(
            new URL(connection.baseUrl),
            this.deps.settings.egress,
          );
        }
        return fn(
          PROVIDER_ADAPTERS[connection.provider].api({
            baseUrl: connection.baseUrl,
            token,
            timeoutMs: this.deps.settings.requestTimeoutMs,
          }),
        );
      },
    );
  }

  // --- webhooks

  /**
   * The headers of a delivery of `rawBody` as the connection's provider would send it, signed
   * with the connection's secret (replaying recorded deliveries, the demo's).
   */
  async signDelivery(
    tenantId: string,
    connectionId: string,
    delivery: { id: string; event: string },
    rawBody: Buffer,
  ): Promise<Record<string, string>> {
    const connection = await this.deps.store.connection(tenantId, connectionId);
    if (!connection) {
      throw new NotFoundError(
        `No pipeline connection '${connectionId}' in tenant '${tenantId}'`,
      );
    }
    return this.withSecret(
      tenantId,
      connection,
      'webhookSecret',
      'sign a recorded webhook delivery',
      async secret => {
        if (!secret) {
          throw new AuthenticationError(
            `Connection '${connectionId}' has no webhook secret to sign with`,
          );
        }
        return PROVIDER_ADAPTERS[connection.provider].sign(
          secret,
          rawBody,
          delivery,
        );
      },
    );
  }

  /**
   * A webhook delivery to a tenant's connection: verified with its secret (refused without one),
   * refused when replayed, then stored when an entity of the tenant claims the repository.
   */
  async receive(
    tenantId: string,
    connectionId: string,
    headers: Record<string, string | string[] | undefined>,
    rawBody: Buffer,
  ): Promise<DeliveryOutcome> {
    const connection = await this.deps.store.connection(tenantId, connectionId);
    if (!connection) {
      throw new NotFoundError(
        `No pipeline connection '${connectionId}' in tenant '${tenantId}'`,
      );
    }
    const adapter = PROVIDER_ADAPTERS[connection.provider];
    const delivery = await this.withSecret(
      tenantId,
      connection,
      'webhookSecret',
      'verify a webhook delivery',
      async secret => {
        if (!secret) {
          throw new AuthenticationError(
            `Connection '${connectionId}' has no webhook secret: every delivery is refused until one is set`,
          );
        }
        return adapter.verify(headers, rawBody, secret);
      },
    );
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new InputError('The delivery is not JSON');
    }
    if (
      !(await this.deps.store.recordDelivery(tenantId, connectionId, {
        id: delivery.id,
        event: delivery.event,
        outcome: 'received',
      }))
    ) {
      throw new ConflictError(
        `Delivery ${delivery.id} was already received; a replay changes nothing`,
      );
    }
    try {
      const outcome = await this.ingest(
        tenantId,
        connection,
        adapter.parse(delivery.event, body),
        'webhook',
      );
      if (outcome.status === 'stored') {
        await this.deps.store.setDeliveryOutcome(
          tenantId,
          connectionId,
          delivery.id,
          `stored run ${outcome.runId}`,
        );
      } else {
        // Nothing was stored, so nothing can be replayed: the provider's redelivery (once an
        // entity claims the repository) is accepted.
        await this.deps.store.forgetDelivery(
          tenantId,
          connectionId,
          delivery.id,
        );
      }
      return outcome;
    } catch (error) {
      // Not processed: the provider's retry of this delivery is accepted.
      await this.deps.store.forgetDelivery(tenantId, connectionId, delivery.id);
      throw error;
    }
  }

  /** Stores what a provider reported, when an entity of the tenant claims it. */
  async ingest(
    tenantId: string,
    connection: StoredConnection,
    event: WebhookEvent,
    via: PipelineRun['receivedVia'],
  ): Promise<DeliveryOutcome> {
    if (event.kind === 'ignored')
      return { status: 'ignored', reason: event.reason };
    const reported: RunUpdate =
      event.kind === 'run'
        ? event.run
        : (await this.deps.store.runByExternalId(
            tenantId,
            connection.id,
            event.run.externalId,
          )) ?? {
            // A job reported before its run: the run is stored from what the job says, and
            // replaced by the run's own report (which is newer).
            pipeline: 'pipeline',
            status: event.job.status === 'running' ? 'running' : 'queued',
            ...event.run,
            updatedAt: new Date(0).toISOString(),
            ...(event.job.startedAt ? { queuedAt: event.job.startedAt } : {}),
          };
    const links = await this.deps.links.linksOf(
      tenantId,
      connection.provider,
      reported,
    );
    if (!links.entityRefs.length) {
      return {
        status: 'ignored',
        reason: `No entity of tenant '${tenantId}' claims ${
          connection.provider
        } repository ${reported.repository}${
          reported.pipelineId ? ` (pipeline ${reported.pipelineId})` : ''
        }`,
      };
    }
    let run: PipelineRun;
    if (event.kind === 'run') {
      ({ run } = await this.deps.store.upsertRun(
        tenantId,
        connection,
        event.run,
        links,
        via,
      ));
    } else {
      const existing = await this.deps.store.runByExternalId(
        tenantId,
        connection.id,
        event.run.externalId,
      );
      run =
        existing ??
        (
          await this.deps.store.upsertRun(
            tenantId,
            connection,
            reported,
            links,
            via,
          )
        ).run;
      await this.deps.store.upsertJobs(tenantId, run.id, [event.job]);
    }
    this.deps.onChanged(tenantId, run);
    if (
      run.status === 'failed' ||
      (event.kind === 'job' && event.job.status === 'failed')
    ) {
      this.inBackground(this.readFailures(tenantId, connection, run));
    }
    return { status: 'stored', runId: run.id };
  }

  /** Jobs of a failed run (when the report had none) and the ends of its failed jobs' logs. */
  async readFailures(
    tenantId: string,
    connection: StoredConnection,
    run: PipelineRun,
  ) {
    let jobs = await this.deps.store.jobsOf(tenantId, run.id);
    if (!jobs.length) {
      const listed = await this.api(
        tenantId,
        connection,
        'read the jobs of a failed run',
        api => api.listJobs(run.repository, run.externalId),
      );
      if (!listed?.length) return;
      await this.deps.store.upsertJobs(tenantId, run.id, listed);
      jobs = await this.deps.store.jobsOf(tenantId, run.id);
    }
    let changed = false;
    for (const job of jobs.filter(j => j.status === 'failed' && !j.hasLog)) {
      const update: JobUpdate = {
        externalId: job.id,
        name: job.name,
        status: job.status,
        ...(job.logId ? { logId: job.logId } : {}),
      };
      const log = await this.api(
        tenantId,
        connection,
        'read the log of a failed job',
        api => api.jobLog(run.repository, run.externalId, update),
      );
      if (log === undefined) return;
      await this.deps.store.setJobLog(
        tenantId,
        run.id,
        job.id,
        logExcerpt(log, this.deps.settings.logExcerptBytes),
      );
      changed = true;
    }
    if (changed) this.deps.onChanged(tenantId, run);
  }

  // --- pulls

  /** Pulls every connection that is due (the scheduled task). */
  async pullDue() {
    for (const c of await this.deps.store.dueForPull(this.now())) {
      await this.pull(c.tenantId, c.id).catch(error =>
        this.deps.logger.warn('pipeline pull failed', {
          tenantId: c.tenantId,
          connection: c.id,
          error: (error as Error).message,
        }),
      );
    }
  }

  /**
   * Reads the runs of every repository the tenant's entities claim on the connection's provider,
   * changed since the last complete pull (a little before it). A rate limit stops the pull until
   * its reset and keeps the last complete pull's time, so the next pull reads what was missed.
   */
  async pull(
    tenantId: string,
    connectionId: string,
  ): Promise<{ runs: number; errors: string[] }> {
    const connection = await this.deps.store.connection(tenantId, connectionId);
    if (!connection)
      throw new NotFoundError(`No pipeline connection '${connectionId}'`);
    const started = this.now();
    const since = new Date(
      connection.lastPulledAt && !connection.lastPullError
        ? Date.parse(connection.lastPulledAt) - 10 * 60_000
        : started.getTime() -
          Math.min(this.deps.settings.retentionDays, 7) * 86_400_000,
    ).toISOString();
    const errors: string[] = [];
    let runs = 0;
    let pullAfter: Date | undefined;
    const repositories = await this.deps.links.repositories(
      tenantId,
      connection.provider,
    );
    for (const { repository, pipelines } of repositories) {
      try {
        const listed = await this.api(
          tenantId,
          connection,
          'pull pipeline runs',
          api =>
            api.listRuns(repository, {
              since,
              limit: 100,
              pipelineIds: pipelines,
            }),
        );
        if (listed === undefined) {
          errors.push('the connection has no API token');
          break;
        }
        for (const run of listed) {
          const outcome = await this.ingest(
            tenantId,
            connection,
            { kind: 'run', run },
            'pull',
          );
          if (outcome.status === 'stored') runs++;
        }
      } catch (error) {
        errors.push(`${repository}: ${(error as Error).message}`);
        if (error instanceof RateLimitedError) {
          pullAfter = error.retryAt;
          break;
        }
      }
    }
    await this.deps.store.recordPull(tenantId, connectionId, {
      // The time of the last complete pull stays when this one missed something.
      at:
        errors.length && connection.lastPulledAt
          ? new Date(connection.lastPulledAt)
          : started,
      ...(errors.length ? { error: errors.join('; ').slice(0, 2000) } : {}),
      ...(pullAfter ? { pullAfter } : {}),
    });
    return { runs, errors };
  }

  // --- triggers

  /** Starts the pipeline of an entity of the tenant on its provider; audited. */
  async trigger(
    credentials: BackstageCredentials,
    tenantId: string,
    body: unknown,
  ): Promise<{ message: string; externalId?: string; url?: string }> {
    const b = (body ?? {}) as Record<string, unknown>;
    const entityRef = b.entityRef;
    if (typeof entityRef !== 'string' || !entityRef) {
      throw new InputError(
        `'entityRef' is required: the entity whose pipeline to start`,
      );
    }
    const ref = b.ref ?? 'main';
    if (
      typeof ref !== 'string' ||
      !/^[A-Za-z0-9._/-]{1,250}$/.test(ref) ||
      ref.includes('..')
    ) {
      throw new InputError(`'ref' must be a branch or tag name`);
    }
    const inputs = (b.inputs ?? {}) as Record<string, unknown>;
    if (
      typeof inputs !== 'object' ||
      Array.isArray(inputs) ||
      Object.keys(inputs).length > 10 ||
      Object.entries(inputs).some(
        ([k, v]) =>
          !/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(k) ||
          typeof v !== 'string' ||
          v.length > 1000,
      )
    ) {
      throw new InputError(
        `'inputs' must map at most 10 names to text values (of at most 1000 characters)`,
      );
    }
    const claim = await this.deps.links.claimOf(tenantId, entityRef);
    if (!claim) {
      throw new NotFoundError(
        `Entity ${entityRef} of tenant '${tenantId}' names no repository of a CI system`,
      );
    }
    const pipelineId =
      typeof b.pipeline === 'string' ? b.pipeline : claim.pipelines[0];
    if (
      pipelineId &&
      claim.pipelines.length &&
      !claim.pipelines.includes(pipelineId.toLowerCase())
    ) {
      throw new InputError(
        `'pipeline' ${pipelineId} is not a pipeline of ${entityRef}`,
      );
    }
    const connections = (await this.deps.store.connections(tenantId)).filter(
      c => c.provider === claim.provider,
    );
    const actor = actorOf(credentials);
    for (const connection of connections) {
      const result = await this.api(
        tenantId,
        connection,
        'start a pipeline',
        api =>
          api.trigger({
            repository: claim.repository,
            ...(pipelineId ? { pipelineId } : {}),
            ref,
            inputs: inputs as Record<string, string>,
          }),
      );
      if (!result) continue;
      await this.deps.spine.recordAudit({
        scope: tenantId,
        actor,
        action: 'pipelines.triggered',
        subject: entityRef,
        details: {
          connection: connection.id,
          provider: claim.provider,
          repository: claim.repository,
          ...(pipelineId ? { pipeline: pipelineId } : {}),
          ref,
          inputs: Object.keys(inputs),
          ...(result.externalId ? { run: result.externalId } : {}),
        },
      });
      return result;
    }
    throw new NotAllowedError(
      `Tenant '${tenantId}' has no ${claim.provider} connection with an API token to start pipelines with`,
    );
  }
}
