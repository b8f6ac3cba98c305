import fs from 'node:fs';
import path from 'node:path';
import { builtInPacksDirectory, loadRuleSet } from '../packs/load';
import { evaluateResources } from './evaluate';

const repo = path.resolve(__dirname, '../../../..');

describe('exposure and privilege rules on a state', () => {
  it('flag the demo EKS platform: a public API endpoint, no secrets encryption or logs, AmazonEC2FullAccess on the node role', () => {
    const state = JSON.parse(
      fs.readFileSync(
        path.join(
          repo,
          'examples/terraform/cartwheel/live/platform-eks/terraform.tfstate',
        ),
        'utf8',
      ),
    );
    const resources = state.resources.flatMap((r: any) =>
      r.instances.map((i: any) => ({
        type: r.type,
        address: `${r.type}.${r.name}`,
        attributes: i.attributes,
      })),
    );
    const results = evaluateResources(
      loadRuleSet([builtInPacksDirectory()]).rules,
      resources,
    );
    const failing = results
      .filter(r => r.status === 'fail')
      .map(r => `${r.ruleId} ${r.address}`)
      .sort();
    expect(failing).toEqual([
      'aws-eks-control-plane-logging aws_eks_cluster.platform',
      'aws-eks-public-endpoint aws_eks_cluster.platform',
      'aws-eks-secrets-encryption aws_eks_cluster.platform',
      'aws-iam-full-access-policy-attached aws_iam_role_policy_attachment.nodes_ec2',
    ]);
    // The AWS managed EKS policies are neither admin nor full access.
    expect(
      results
        .filter(r => r.ruleId === 'aws-iam-admin-policy-attached')
        .every(r => r.status === 'pass'),
    ).toBe(true);
  });
});
