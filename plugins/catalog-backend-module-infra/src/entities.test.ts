import { assetToEntity, entityNameOf, entityRefOf } from './entities';

const mapping = {
  tenantId: 'cartwheel',
  owner: 'group:default/cartwheel-engineering',
  namespace: 'cartwheel',
  systemNamespace: 'default',
};

describe('asset entities', () => {
  it('names entities from the asset id alone, readable, unique and at most 63 characters', () => {
    const bucket =
      'aws:210987654321:eu-west-1:aws_s3_bucket:arn:aws:s3:::cartwheel-orders';
    expect(entityNameOf(bucket)).toMatch(
      /^s3-bucket-cartwheel-orders-[0-9a-f]{8}$/,
    );
    const long = `aws:1:eu-west-1:aws_iam_role:arn:aws:iam::1:role/${'x'.repeat(
      300,
    )}`;
    expect(entityNameOf(long).length).toBeLessThanOrEqual(63);
    expect(entityNameOf(long)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(entityNameOf(`${long}y`)).not.toBe(entityNameOf(long));
    expect(
      entityRefOf(
        'terraform:1:eu-west-1:terraform_module:module.images',
        'cartwheel',
      ),
    ).toMatch(
      /^component:cartwheel\/terraform-module-module-images-[0-9a-f]{8}$/,
    );
  });

  it('takes owner and system from tags when they are names, and drops excluded targets', () => {
    const id =
      'aws:1:eu-west-1:aws_instance:arn:aws:ec2:eu-west-1:1:instance/i-1';
    const entity = assetToEntity(
      {
        id,
        provider: 'aws',
        account: '1',
        region: 'eu-west-1',
        type: 'aws_instance',
        nativeId: 'arn:aws:ec2:eu-west-1:1:instance/i-1',
        name: 'web-1',
        tags: { System: 'cartwheel-storefront', Owner: 'Not a name!' },
        sourceId: 'state',
      },
      [
        { to: 'aws:1:eu-west-1:aws_security_group:sg-1', type: 'depends_on' },
        {
          to: 'aws:1:global:aws_iam_role_policy_attachment:x',
          type: 'depends_on',
        },
        { to: 'aws:1:eu-west-1:aws_subnet:subnet-1', type: 'contains' },
        { to: 'internet:-:-:internet:0.0.0.0/0', type: 'internet_ingress' },
      ],
      mapping,
      new Set(['aws_iam_role_policy_attachment', 'internet']),
      'infra-discovery:tenants/cartwheel',
    );
    expect(entity.spec).toEqual({
      type: 'aws-instance',
      owner: 'group:default/cartwheel-engineering',
      system: 'system:default/cartwheel-storefront',
      dependsOn: [
        entityRefOf('aws:1:eu-west-1:aws_security_group:sg-1', 'cartwheel'),
      ],
      dependencyOf: [
        entityRefOf('aws:1:eu-west-1:aws_subnet:subnet-1', 'cartwheel'),
      ],
    });
    expect(entity.metadata.annotations).toMatchObject({
      'infra-hub.io/tenant': 'cartwheel',
      'infra-hub.io/asset-id': id,
      'infra-hub.io/account': '1',
      'infra-hub.io/region': 'eu-west-1',
    });
    expect(entity.metadata.tags).toEqual(['infra-hub', 'aws']);
  });
});
