import {
  paginateListFunctions,
  paginateListFunctionUrlConfigs,
} from '@aws-sdk/client-lambda';
import { CollectContext } from './context';

/** Lambda in one region: functions and their URLs. */
export async function collectLambda(ctx: CollectContext, region: string) {
  const { clients, config, attempt, add } = ctx;
  await attempt(
    'lambda',
    region,
    async () => {
      const lambda = clients.lambda(config(region));
      for await (const page of paginateListFunctions({ client: lambda }, {})) {
        for (const fn of page.Functions ?? []) {
          add('aws_lambda_function', {
            arn: fn.FunctionArn,
            id: fn.FunctionName,
            function_name: fn.FunctionName,
            region,
            role: fn.Role,
            runtime: fn.Runtime,
            handler: fn.Handler,
            kms_key_arn: fn.KMSKeyArn ?? '',
            // Values of environment variables may be secrets: only their names are kept.
            environment_variable_names: Object.keys(
              fn.Environment?.Variables ?? {},
            ).sort(),
            vpc_config: fn.VpcConfig?.VpcId
              ? [
                  {
                    vpc_id: fn.VpcConfig.VpcId,
                    subnet_ids: fn.VpcConfig.SubnetIds,
                    security_group_ids: fn.VpcConfig.SecurityGroupIds,
                  },
                ]
              : [],
            last_modified: fn.LastModified,
          });
          for await (const urls of paginateListFunctionUrlConfigs(
            { client: lambda },
            { FunctionName: fn.FunctionName },
          )) {
            for (const url of urls.FunctionUrlConfigs ?? []) {
              add('aws_lambda_function_url', {
                id: url.FunctionUrl,
                function_name: fn.FunctionName,
                region,
                function_url: url.FunctionUrl,
                authorization_type: url.AuthType,
              });
            }
          }
        }
      }
    },
    'ListFunctions',
  );
}
