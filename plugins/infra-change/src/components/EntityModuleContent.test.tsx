import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import {
  EntityModuleContent,
  isTerraformModuleWithCode,
} from './EntityModuleContent';

const edge: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'cartwheel-storefront-edge', namespace: 'default' },
  spec: {
    type: 'terraform-module',
    lifecycle: 'production',
    owner: 'platform-engineering',
    terraform: {
      inputs: [
        {
          name: 'bucket_name',
          type: 'string',
          description: 'Name of the bucket',
          optional: false,
          sensitive: false,
          validations: ['bucket_name must be a valid S3 bucket name.'],
        },
        {
          name: 'public_read',
          type: 'bool',
          optional: true,
          default: false,
          sensitive: false,
          validations: [],
        },
      ],
      outputs: [{ name: 'bucket_name', sensitive: false }],
      requiredVersion: '>= 1.6.0',
      providers: [{ name: 'aws', source: 'hashicorp/aws', version: '~> 5.70' }],
      modules: [],
      resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_policy'],
      files: ['main.tf', 'variables.tf'],
    },
  },
  relations: [
    {
      type: 'dependencyOf',
      targetRef: 'component:default/cartwheel-storefront-assets',
    },
  ],
};

describe('the Module tab', () => {
  it('shows the interface read from the code, and the root stacks that use the module', async () => {
    await renderInTestApp(
      <EntityProvider entity={edge}>
        <EntityModuleContent />
      </EntityProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Inputs (2)')).toBeInTheDocument();
    expect(
      screen.getByText('bucket_name must be a valid S3 bucket name.'),
    ).toBeInTheDocument();
    expect(screen.getByText('no (default false)')).toBeInTheDocument();
    expect(screen.getByTestId('required-version')).toHaveTextContent(
      'Terraform >= 1.6.0',
    );
    expect(
      screen.getByText('Provider aws (hashicorp/aws ~> 5.70)'),
    ).toBeInTheDocument();
    expect(screen.getByText('aws_s3_bucket_policy')).toBeInTheDocument();
    expect(screen.getByText('cartwheel-storefront-assets')).toBeInTheDocument();
  });

  it('is offered only for Terraform modules whose code was read, and says how to get there', async () => {
    expect(isTerraformModuleWithCode(edge)).toBe(true);
    const bare = { ...edge, spec: { ...edge.spec, terraform: undefined } };
    expect(isTerraformModuleWithCode(bare)).toBe(false);
    expect(
      isTerraformModuleWithCode({
        ...edge,
        spec: { ...edge.spec, type: 'service' },
      }),
    ).toBe(false);
    await renderInTestApp(
      <EntityProvider entity={bare}>
        <EntityModuleContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('No code read for this module'),
    ).toBeInTheDocument();
  });
});
