import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
import {
  Asset,
  Edge,
  INTERNET_ASSET_ID,
  internetAsset,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  parseArn,
  ResourceRecord,
  resourcesToGraph,
} from '@infra-hub/plugin-infra-discovery-node';
import { AwsKeys, ClientConfig, ClientFactory, sdkClients } from './clients';
import { collectCloudTrail } from './families/cloudtrail';
import { CollectContext } from './families/context';
import { collectEc2 } from './families/ec2';
import { collectIam } from './families/iam';
import { collectKms } from './families/kms';
import { collectLambda } from './families/lambda';
import { collectRds } from './families/rds';
import { collectS3 } from './families/s3';
import { describeError } from './families/util';
import { AwsService, AwsSettings } from './settings';

export { sdkClients };
export type { AwsKeys, ClientConfig, ClientFactory };

/** A resource as Terraform's AWS provider would record it in state. */
type Resource = { type: string; attributes: Record<string, unknown> };

export type AwsGraph = { assets: Asset[]; edges: Edge[]; warnings: string[] };

/**
 * Reads one account: every configured service, in every configured region (IAM once), into
 * Terraform-shaped resources, then through the same relationship inference as state files, so
 * that both providers describe the same estate the same way.
 */
async function collectAccount(
  settings: AwsSettings,
  clients: ClientFactory,
  credentials: AwsKeys | undefined,
  account: string,
  progress: (message: string) => void,
): Promise<AwsGraph & { calls: number; failures: number }> {
  const resources: Resource[] = [];
  const add = (type: string, attributes: Record<string, unknown>) =>
    resources.push({ type, attributes });
  const warnings: string[] = [];
  const extraEdges: Edge[] = [];
  let calls = 0;
  let failures = 0;
  const config = (region: string): ClientConfig => ({
    region,
    ...(credentials ? { credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: settings.maxAttempts,
    retryMode: 'adaptive',
  });
  const attempt = async (
    service: AwsService,
    region: string,
    fn: () => Promise<void>,
    operation: string,
  ) => {
    if (!settings.services.includes(service)) return;
    calls += 1;
    progress(
      `Reading ${service} ${operation} in ${region} (account ${account})`,
    );
    try {
      await fn();
    } catch (error) {
      failures += 1;
      warnings.push(
        `${service} ${operation} in ${region} (account ${account}): ${describeError(
          error,
        )}`,
      );
    }
  };

  const ctx: CollectContext = {
    settings,
    clients,
    config,
    attempt,
    add,
    extraEdges,
    warnings,
    account,
    home: settings.regions[0],
  };
  await collectIam(ctx);
  for (const region of settings.regions) await collectEc2(ctx, region);
  await collectS3(ctx);
  for (const region of settings.regions) {
    await collectLambda(ctx, region);
    await collectKms(ctx, region);
    await collectCloudTrail(ctx, region);
    await collectRds(ctx, region);
  }

  const graph = toGraph(resources, account);
  const byArn = new Map(graph.assets.map(a => [a.nativeId, a.id]));
  const resolve = (ref: string) => {
    if (ref === INTERNET_ASSET_ID) return ref;
    const [, ...rest] = ref.split(':');
    const value = rest.join(':');
    return ref.startsWith('bucket:')
      ? byArn.get(`arn:aws:s3:::${value}`)
      : byArn.get(value);
  };
  for (const e of extraEdges) {
    const from = resolve(e.from);
    const to = resolve(e.to);
    if (from && to) graph.edges.push({ ...e, from, to });
  }
  if (
    graph.edges.some(e => e.from === INTERNET_ASSET_ID) &&
    !graph.assets.some(a => a.id === INTERNET_ASSET_ID)
  ) {
    graph.assets.push(internetAsset());
  }
  return {
    ...graph,
    warnings: [...warnings, ...graph.warnings],
    calls,
    failures,
  };
}

/**
 * One account's resources through the relationship inference the state provider uses too
 * (`resourcesToGraph`), so that both describe the same estate the same way. Live resources have
 * no Terraform address, and policies AWS manages are referenced rather than found: their absence
 * is no warning.
 */
function toGraph(resources: Resource[], account: string): AwsGraph {
  const records: ResourceRecord[] = resources.map(r => ({
    provider: 'aws',
    type: r.type,
    attributes: r.attributes,
  }));
  const graph = resourcesToGraph(records, { defaultAccount: account });
  const warnings = graph.warnings.filter(w => !/is not in this state/.test(w));
  return { assets: graph.assets, edges: graph.edges, warnings };
}

/**
 * Discovers every configured account (assuming its role) and region. Access denied on one
 * service, or any other failure of one service in one region, is a warning and the rest goes
 * on; when every call failed the run fails.
 */
export async function discoverAws(
  settings: AwsSettings,
  credentials: AwsKeys | undefined,
  options: {
    clients?: ClientFactory;
    progress?: (message: string) => void;
  } = {},
): Promise<AwsGraph> {
  const clients = options.clients ?? sdkClients;
  const progress = options.progress ?? (() => {});
  const home = settings.regions[0];
  const base: ClientConfig = {
    region: home,
    ...(credentials ? { credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    maxAttempts: settings.maxAttempts,
    retryMode: 'adaptive',
  };
  const sts = clients.sts(base);
  const targets: Array<{ account: string; keys: AwsKeys | undefined }> = [];
  const warnings: string[] = [];
  if (settings.accounts) {
    for (const { roleArn, externalId } of settings.accounts) {
      const account = parseArn(roleArn)?.account ?? '-';
      progress(`Assuming ${roleArn}`);
      try {
        const { Credentials: c } = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: 'infra-hub-discovery',
            ...(externalId ? { ExternalId: externalId } : {}),
            DurationSeconds: 3600,
          }),
        );
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new Error('AssumeRole returned no credentials');
        targets.push({
          account,
          keys: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
          },
        });
      } catch (error) {
        warnings.push(
          `account ${account}: cannot assume ${roleArn}: ${describeError(
            error,
          )}`,
        );
      }
    }
    if (targets.length === 0)
      throw new Error(`No account could be read: ${warnings.join('; ')}`);
  } else {
    const identity = await sts
      .send(new GetCallerIdentityCommand({}))
      .catch(error => {
        throw new Error(
          `Cannot identify the AWS account of the credential: ${describeError(
            error,
          )}`,
        );
      });
    targets.push({ account: identity.Account ?? '-', keys: credentials });
  }

  const assets = new Map<string, Asset>();
  const edges: Edge[] = [];
  let calls = 0;
  let failures = 0;
  for (const target of targets) {
    const result = await collectAccount(
      settings,
      clients,
      target.keys,
      target.account,
      progress,
    );
    for (const a of result.assets) assets.set(a.id, a);
    edges.push(...result.edges);
    warnings.push(...result.warnings);
    calls += result.calls;
    failures += result.failures;
  }
  if (calls > 0 && failures === calls) {
    throw new Error(
      `Every AWS call failed: ${warnings.slice(0, 3).join('; ')}`,
    );
  }
  return { assets: [...assets.values()], edges, warnings };
}
