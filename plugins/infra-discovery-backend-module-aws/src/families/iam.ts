import {
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListAttachedUserPolicies,
  paginateListInstanceProfiles,
  paginateListPolicies,
  paginateListRolePolicies,
  paginateListRoles,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { CollectContext } from './context';
import { decodeDocument } from './util';

/**
 * IAM (global, read once): roles with their attached and inline policies, users and the policies
 * attached to them, the account's policies with their default versions, instance profiles.
 */
export async function collectIam(ctx: CollectContext) {
  const { clients, config, attempt, add, extraEdges, home } = ctx;
  const iam = clients.iam(config(home));
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListRoles({ client: iam }, {})) {
        for (const role of page.Roles ?? []) {
          add('aws_iam_role', {
            arn: role.Arn,
            id: role.RoleName,
            name: role.RoleName,
            path: role.Path,
            unique_id: role.RoleId,
            assume_role_policy: decodeDocument(role.AssumeRolePolicyDocument),
            max_session_duration: role.MaxSessionDuration,
          });
          for await (const att of paginateListAttachedRolePolicies(
            { client: iam },
            { RoleName: role.RoleName },
          )) {
            for (const p of att.AttachedPolicies ?? []) {
              add('aws_iam_role_policy_attachment', {
                id: `${role.RoleName}/${p.PolicyArn}`,
                role: role.RoleName,
                policy_arn: p.PolicyArn,
              });
              if (p.PolicyArn?.startsWith('arn:aws:iam::aws:policy/')) {
                // AWS-managed: not listed with the account's policies, but part of the picture.
                add('aws_iam_policy', {
                  arn: p.PolicyArn,
                  id: p.PolicyArn,
                  name: p.PolicyName,
                  aws_managed: true,
                });
              }
            }
          }
          for await (const inline of paginateListRolePolicies(
            { client: iam },
            { RoleName: role.RoleName },
          )) {
            for (const name of inline.PolicyNames ?? []) {
              const doc = await iam.send(
                new GetRolePolicyCommand({
                  RoleName: role.RoleName,
                  PolicyName: name,
                }),
              );
              add('aws_iam_role_policy', {
                id: `${role.RoleName}:${name}`,
                role: role.RoleName,
                name,
                policy: decodeDocument(doc.PolicyDocument),
              });
            }
          }
        }
      }
    },
    'ListRoles',
  );
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListUsers({ client: iam }, {})) {
        for (const user of page.Users ?? []) {
          add('aws_iam_user', {
            arn: user.Arn,
            id: user.UserName,
            name: user.UserName,
            path: user.Path,
            unique_id: user.UserId,
            password_last_used: user.PasswordLastUsed?.toISOString(),
          });
          for await (const att of paginateListAttachedUserPolicies(
            { client: iam },
            { UserName: user.UserName },
          )) {
            for (const p of att.AttachedPolicies ?? []) {
              extraEdges.push({
                from: `policy:${p.PolicyArn}`,
                to: `user:${user.Arn}`,
                type: 'attached_to',
                details: { via: 'user policy attachment' },
              });
            }
          }
        }
      }
    },
    'ListUsers',
  );
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListPolicies(
        { client: iam },
        { Scope: 'Local' },
      )) {
        for (const policy of page.Policies ?? []) {
          const version = await iam.send(
            new GetPolicyVersionCommand({
              PolicyArn: policy.Arn,
              VersionId: policy.DefaultVersionId,
            }),
          );
          add('aws_iam_policy', {
            arn: policy.Arn,
            id: policy.Arn,
            name: policy.PolicyName,
            path: policy.Path,
            attachment_count: policy.AttachmentCount,
            policy: decodeDocument(version.PolicyVersion?.Document),
          });
        }
      }
    },
    'ListPolicies',
  );
  await attempt(
    'iam',
    'global',
    async () => {
      for await (const page of paginateListInstanceProfiles(
        { client: iam },
        {},
      )) {
        for (const profile of page.InstanceProfiles ?? []) {
          add('aws_iam_instance_profile', {
            arn: profile.Arn,
            id: profile.InstanceProfileName,
            name: profile.InstanceProfileName,
            role: profile.Roles?.[0]?.RoleName,
          });
        }
      }
    },
    'ListInstanceProfiles',
  );
}
