import {
  INTERNET_ASSET_ID,
  managedPolicyPrivilege,
} from '@infra-hub/plugin-infra-discovery-common';
import {
  asStrings,
  InferenceContext,
  InferenceEntry,
  isPublicPrincipal,
  policyStatements,
} from './common';

/*
 * Security relationships of AWS resources (Terraform's `aws` provider shapes, which the live AWS
 * provider also produces): the role a function or instance profile runs as, policy attachments,
 * what policies grant access to, KMS keys, CloudTrail and access-log destinations, security
 * groups, subnets and VPCs, and ingress from the internet. One handler per resource type,
 * grouped by family.
 */

/** What the handlers collect for the passes after every resource was seen. */
type AwsFacts = {
  /** Bucket asset → the texts of the policies attached to it. */
  policiesByBucket: Map<string, string[]>;
  /** Buckets whose public-access block lets public policies through. */
  publicAccessAllowed: Set<string>;
};

type Handler = (
  ctx: InferenceContext,
  e: InferenceEntry,
  facts: AwsFacts,
) => void;

const keyOf = (ctx: InferenceContext, value: unknown) =>
  ctx.lookup('arn', value) ?? ctx.lookup('kms', value);

const securityGroups = (
  ctx: InferenceContext,
  { id, attrs }: InferenceEntry,
) => {
  for (const sg of asStrings(attrs.vpc_security_group_ids)) {
    ctx.edge(id, ctx.lookup('id:aws_security_group', sg), 'depends_on', {
      attribute: 'vpc_security_group_ids',
    });
  }
};

/** Functions, their URLs, instances and the profiles they run as. */
const COMPUTE: Record<string, Handler> = {
  aws_lambda_function: (ctx, { id, attrs }) => {
    ctx.edge(id, ctx.lookup('arn', attrs.role), 'executes_as', {
      attribute: 'role',
    });
    ctx.edge(id, keyOf(ctx, attrs.kms_key_arn), 'encrypted_by', {
      attribute: 'kms_key_arn',
    });
  },
  aws_lambda_function_url: (ctx, { id, attrs }) => {
    const fn = ctx.lookup('function', attrs.function_name);
    ctx.edge(id, fn, 'attached_to', { attribute: 'function_name' });
    if (attrs.authorization_type === 'NONE') {
      ctx.edge(INTERNET_ASSET_ID, fn, 'internet_ingress', {
        via: 'function URL without authorization',
      });
    }
  },
  aws_iam_instance_profile: (ctx, { id, attrs }) => {
    ctx.edge(id, ctx.lookup('name:aws_iam_role', attrs.role), 'executes_as', {
      attribute: 'role',
    });
  },
  aws_instance: (ctx, e) => {
    const { id, attrs } = e;
    ctx.edge(
      id,
      ctx.lookup('name:aws_iam_instance_profile', attrs.iam_instance_profile),
      'executes_as',
      { attribute: 'iam_instance_profile' },
    );
    ctx.edge(ctx.lookup('id:aws_subnet', attrs.subnet_id), id, 'contains', {
      attribute: 'subnet_id',
    });
    securityGroups(ctx, e);
  },
  aws_eks_cluster: (ctx, { id, attrs }) => {
    ctx.edge(id, ctx.lookup('arn', attrs.role_arn), 'executes_as', {
      attribute: 'role_arn',
    });
    // A public API endpoint admits the CIDRs it lists; AWS's default is anyone.
    for (const v of Array.isArray(attrs.vpc_config) ? attrs.vpc_config : []) {
      if (v?.endpoint_public_access !== true) continue;
      const cidrs = asStrings(v.public_access_cidrs);
      if (cidrs.length === 0 || cidrs.includes('0.0.0.0/0'))
        ctx.edge(INTERNET_ASSET_ID, id, 'internet_ingress', {
          via: 'public Kubernetes API endpoint open to 0.0.0.0/0',
          ports: ['443/tcp'],
        });
    }
  },
  aws_eks_node_group: (ctx, { id, attrs }) => {
    // The cluster schedules its workloads on the group's nodes, which run as the node role.
    ctx.edge(
      ctx.lookup('name:aws_eks_cluster', attrs.cluster_name),
      id,
      'contains',
      {
        attribute: 'cluster_name',
      },
    );
    ctx.edge(id, ctx.lookup('arn', attrs.node_role_arn), 'executes_as', {
      attribute: 'node_role_arn',
    });
  },
};

/** Policies, what they grant, and what they are attached to. */
const IDENTITY: Record<string, Handler> = {
  aws_iam_role_policy_attachment: (ctx, { id, attrs }) => {
    const role = ctx.lookup('name:aws_iam_role', attrs.role);
    const policy = ctx.lookup('arn', attrs.policy_arn);
    if (role && policy)
      ctx.edge(policy, role, 'attached_to', {
        via: 'aws_iam_role_policy_attachment',
      });
    else if (role && typeof attrs.policy_arn === 'string') {
      ctx.warn(
        `${attrs.policy_arn} (attached to ${attrs.role}) is not in this state`,
      );
    }
    // An AWS managed policy is not in the state: what it grants is known by its ARN.
    const privilege = managedPolicyPrivilege(attrs.policy_arn);
    ctx.edge(
      id,
      role,
      'attached_to',
      privilege ? { managedPolicy: attrs.policy_arn, privilege } : undefined,
    );
  },
  aws_iam_policy: (ctx, e) => grants(ctx, e, e.id),
  aws_iam_role_policy: (ctx, e) =>
    grants(ctx, e, ctx.lookup('name:aws_iam_role', e.attrs.role)),
};

/** `can_access` edges from `holder` to what the policy's Allow statements name. */
function grants(
  ctx: InferenceContext,
  { attrs }: InferenceEntry,
  holder: string | undefined,
) {
  for (const s of policyStatements(attrs.policy)) {
    if (s.effect !== 'Allow') continue;
    for (const r of s.resources) {
      const target =
        ctx.lookup('arn', r) ??
        ctx.lookup('arn', r.replace(/\/\*$/, '')) ??
        ctx.lookup('arn', r.replace(/\/.*$/, ''));
      ctx.edge(holder, target, 'can_access', { actions: s.actions });
    }
  }
}

/** Buckets: their encryption, public-access blocks, policies and access logs. */
const STORAGE: Record<string, Handler> = {
  aws_s3_bucket_server_side_encryption_configuration: (ctx, { id, attrs }) => {
    const bucket = ctx.lookup('bucket', attrs.bucket);
    for (const rule of (Array.isArray(attrs.rule) ? attrs.rule : []) as any[]) {
      for (const d of rule?.apply_server_side_encryption_by_default ?? []) {
        ctx.edge(bucket, keyOf(ctx, d?.kms_master_key_id), 'encrypted_by', {
          via: 'aws_s3_bucket_server_side_encryption_configuration',
        });
      }
    }
    ctx.edge(id, bucket, 'attached_to');
  },
  aws_s3_bucket_public_access_block: (ctx, { id, attrs }, facts) => {
    const bucket = ctx.lookup('bucket', attrs.bucket);
    ctx.edge(id, bucket, 'attached_to');
    if (
      bucket &&
      attrs.block_public_policy === false &&
      attrs.restrict_public_buckets === false
    ) {
      facts.publicAccessAllowed.add(bucket);
    }
  },
  aws_s3_bucket_policy: (ctx, { id, attrs }, facts) => {
    const bucket = ctx.lookup('bucket', attrs.bucket);
    ctx.edge(id, bucket, 'attached_to');
    if (bucket)
      facts.policiesByBucket.set(bucket, [
        ...(facts.policiesByBucket.get(bucket) ?? []),
        String(attrs.policy ?? ''),
      ]);
  },
  aws_s3_bucket_logging: (ctx, { attrs }) => {
    ctx.edge(
      ctx.lookup('bucket', attrs.bucket),
      ctx.lookup('bucket', attrs.target_bucket),
      'logs_to',
      { via: 'S3 access logs' },
    );
  },
};

/** Trails, databases and keys. */
const RECORDS_AND_KEYS: Record<string, Handler> = {
  aws_cloudtrail: (ctx, { id, attrs }) => {
    ctx.edge(id, ctx.lookup('bucket', attrs.s3_bucket_name), 'logs_to', {
      attribute: 's3_bucket_name',
    });
    ctx.edge(id, keyOf(ctx, attrs.kms_key_id), 'encrypted_by', {
      attribute: 'kms_key_id',
    });
  },
  aws_db_instance: (ctx, e) => {
    const { id, attrs } = e;
    ctx.edge(id, keyOf(ctx, attrs.kms_key_id), 'encrypted_by', {
      attribute: 'kms_key_id',
    });
    securityGroups(ctx, e);
    if (attrs.publicly_accessible === true)
      ctx.edge(INTERNET_ASSET_ID, id, 'internet_ingress', {
        via: 'publicly_accessible',
      });
  },
  aws_kms_alias: (ctx, { id, attrs }) => {
    ctx.edge(
      id,
      keyOf(ctx, attrs.target_key_arn) ?? keyOf(ctx, attrs.target_key_id),
      'attached_to',
    );
  },
};

/** VPCs, subnets, and security groups open to the internet. */
const NETWORK: Record<string, Handler> = {
  aws_security_group: (ctx, { id, attrs }) => {
    ctx.edge(ctx.lookup('id:aws_vpc', attrs.vpc_id), id, 'contains', {
      attribute: 'vpc_id',
    });
    const open = (Array.isArray(attrs.ingress) ? attrs.ingress : [])
      .filter(
        (r: any) =>
          asStrings(r?.cidr_blocks).includes('0.0.0.0/0') ||
          asStrings(r?.ipv6_cidr_blocks).includes('::/0'),
      )
      .map((r: any) =>
        r.from_port === r.to_port
          ? `${r.from_port}/${r.protocol}`
          : `${r.from_port}-${r.to_port}/${r.protocol}`,
      );
    if (open.length)
      ctx.edge(INTERNET_ASSET_ID, id, 'internet_ingress', { ports: open });
  },
  aws_subnet: (ctx, { id, attrs }) => {
    ctx.edge(ctx.lookup('id:aws_vpc', attrs.vpc_id), id, 'contains', {
      attribute: 'vpc_id',
    });
  },
};

const HANDLERS: Record<string, Handler> = {
  ...COMPUTE,
  ...IDENTITY,
  ...STORAGE,
  ...RECORDS_AND_KEYS,
  ...NETWORK,
};

/** The AWS relationships of every entry, then the buckets the internet can read. */
export function inferAws(ctx: InferenceContext) {
  const facts: AwsFacts = {
    policiesByBucket: new Map(),
    publicAccessAllowed: new Set(),
  };
  for (const entry of ctx.entries) {
    HANDLERS[entry.type]?.(ctx, entry, facts);
  }
  // A bucket whose public-access block allows it and whose policy lets anyone in.
  for (const [bucket, policies] of facts.policiesByBucket) {
    const publicPolicy = policies.some(p =>
      policyStatements(p).some(
        s => s.effect === 'Allow' && isPublicPrincipal(s.principal),
      ),
    );
    if (publicPolicy && facts.publicAccessAllowed.has(bucket)) {
      ctx.edge(INTERNET_ASSET_ID, bucket, 'internet_ingress', {
        via: 'bucket policy allows Principal "*"',
      });
    }
  }
}
