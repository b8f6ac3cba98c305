import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  paginateListAliases,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { CollectContext } from './context';

/** KMS in one region: keys with their rotation, and aliases. */
export async function collectKms(ctx: CollectContext, region: string) {
  const { clients, config, attempt, add } = ctx;
  const kms = clients.kms(config(region));
  await attempt(
    'kms',
    region,
    async () => {
      for await (const page of paginateListKeys({ client: kms }, {})) {
        for (const key of page.Keys ?? []) {
          const meta = (
            await kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))
          ).KeyMetadata;
          const customer = meta?.KeyManager === 'CUSTOMER';
          const rotation =
            customer && meta?.KeyState === 'Enabled'
              ? await kms.send(
                  new GetKeyRotationStatusCommand({ KeyId: key.KeyId }),
                )
              : undefined;
          add('aws_kms_key', {
            arn: key.KeyArn,
            id: key.KeyId,
            key_id: key.KeyId,
            region,
            description: meta?.Description ?? '',
            key_manager: meta?.KeyManager,
            key_state: meta?.KeyState,
            key_usage: meta?.KeyUsage,
            enable_key_rotation: rotation?.KeyRotationEnabled ?? false,
          });
        }
      }
    },
    'ListKeys',
  );
  await attempt(
    'kms',
    region,
    async () => {
      for await (const page of paginateListAliases({ client: kms }, {})) {
        for (const alias of page.Aliases ?? []) {
          if (!alias.TargetKeyId) continue;
          add('aws_kms_alias', {
            arn: alias.AliasArn,
            id: alias.AliasName,
            name: alias.AliasName,
            region,
            target_key_id: alias.TargetKeyId,
          });
        }
      }
    },
    'ListAliases',
  );
}
