import { paginateDescribeDBInstances } from '@aws-sdk/client-rds';
import { CollectContext } from './context';

/** RDS in one region: database instances. */
export async function collectRds(ctx: CollectContext, region: string) {
  const { clients, config, attempt, add } = ctx;
  await attempt(
    'rds',
    region,
    async () => {
      const rds = clients.rds(config(region));
      for await (const page of paginateDescribeDBInstances(
        { client: rds },
        {},
      )) {
        for (const db of page.DBInstances ?? []) {
          add('aws_db_instance', {
            arn: db.DBInstanceArn,
            id: db.DBInstanceIdentifier,
            identifier: db.DBInstanceIdentifier,
            region,
            engine: db.Engine,
            engine_version: db.EngineVersion,
            instance_class: db.DBInstanceClass,
            storage_encrypted: db.StorageEncrypted,
            kms_key_id: db.KmsKeyId ?? '',
            publicly_accessible: db.PubliclyAccessible,
            vpc_security_group_ids: (db.VpcSecurityGroups ?? []).map(
              g => g.VpcSecurityGroupId,
            ),
            db_subnet_group_name: db.DBSubnetGroup?.DBSubnetGroupName,
            backup_retention_period: db.BackupRetentionPeriod,
            deletion_protection: db.DeletionProtection,
            multi_az: db.MultiAZ,
          });
        }
      }
    },
    'DescribeDBInstances',
  );
}
