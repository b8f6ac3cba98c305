import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorCache,
  CatalogProcessorResult,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InfraTerraformModuleProcessor } from './terraformModules';

const repo = path.resolve(__dirname, '../../..');
const catalogFile = path.join(repo, 'examples/tenants/cartwheel.yaml');

const moduleEntity = (name: string, modulePath: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: { 'infra-hub.io/terraform-module-path': modulePath },
  },
  spec: { type: 'terraform-module', lifecycle: 'production', owner: 'team' },
});

/** The catalog's per-entity processor cache, as the catalog keeps it between runs. */
function cacheOf(): CatalogProcessorCache {
  const values = new Map<string, any>();
  return {
    get: async key => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
  };
}

function processor() {
  return new InfraTerraformModuleProcessor({
    reader: mockServices.urlReader.mock(),
    logger: mockServices.logger.mock(),
  });
}

async function run(
  p: InfraTerraformModuleProcessor,
  entity: Entity,
  target = catalogFile,
  cache = cacheOf(),
) {
  const emitted: CatalogProcessorResult[] = [];
  const location = { type: 'file', target };
  const out = await p.preProcessEntity!(
    entity,
    location,
    r => emitted.push(r),
    location,
    cache,
  );
  return { out, emitted };
}

describe('the Terraform module processor', () => {
  it("records a module's interface from its code, and the root stacks that call it", async () => {
    const p = processor();
    const edge = await run(
      p,
      moduleEntity(
        'cartwheel-storefront-edge',
        '../terraform/cartwheel/modules/storefront-edge',
      ),
    );
    expect(edge.emitted).toEqual([]);
    const terraform = (edge.out.spec as any).terraform;
    expect(terraform).toMatchObject({
      requiredVersion: '>= 1.6.0',
      providers: [{ name: 'aws', source: 'hashicorp/aws', version: '~> 5.70' }],
      resourceTypes: expect.arrayContaining([
        'aws_s3_bucket',
        'aws_s3_bucket_policy',
      ]),
      files: ['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'],
      modules: [],
    });
    expect(terraform.inputs).toEqual([
      {
        name: 'bucket_name',
        type: 'string',
        description: expect.stringMatching(/static storefront assets/),
        optional: false,
        sensitive: false,
        validations: ['bucket_name must be a valid S3 bucket name.'],
      },
      {
        name: 'public_read',
        type: 'bool',
        description: expect.any(String),
        optional: true,
        default: false,
        sensitive: false,
        validations: [],
      },
      {
        name: 'tags',
        type: 'map(string)',
        description: expect.any(String),
        optional: true,
        default: {},
        sensitive: false,
        validations: [],
      },
    ]);
    expect(terraform.outputs.map((o: any) => o.name)).toEqual([
      'bucket_name',
      'bucket_regional_domain_name',
    ]);

    // The root stack calls the module twice: one relation each way.
    const assets = await run(
      p,
      moduleEntity(
        'cartwheel-storefront-assets',
        '../terraform/cartwheel/live/storefront-assets',
      ),
    );
    expect((assets.out.spec as any).terraform.modules).toEqual([
      { name: 'fonts', source: '../../modules/storefront-edge' },
      { name: 'product_images', source: '../../modules/storefront-edge' },
    ]);
    const relations = assets.emitted
      .filter(r => r.type === 'relation')
      .map(
        (r: any) =>
          `${r.relation.source.name} ${r.relation.type} ${r.relation.target.name}`,
      );
    expect(new Set(relations)).toEqual(
      new Set([
        'cartwheel-storefront-assets dependsOn cartwheel-storefront-edge',
        'cartwheel-storefront-edge dependencyOf cartwheel-storefront-assets',
      ]),
    );
  });

  it('keeps the last interface read when the code stops parsing, and says where', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-module-'));
    const catalog = path.join(dir, 'catalog-info.yaml');
    fs.mkdirSync(path.join(dir, 'net'));
    fs.writeFileSync(
      path.join(dir, 'net', 'variables.tf'),
      'variable "cidr" {\n  type    = string\n  default = "10.0.0.0/16"\n}\n',
    );
    const p = processor();
    const cache = cacheOf();
    const entity = moduleEntity('net', './net');
    const good = await run(p, entity, catalog, cache);
    expect((good.out.spec as any).terraform.inputs[0]).toMatchObject({
      name: 'cidr',
      default: '10.0.0.0/16',
    });
    fs.writeFileSync(
      path.join(dir, 'net', 'variables.tf'),
      'variable "cidr" {\n  type    = string\n  default = \n}\n',
    );
    const broken = await run(p, entity, catalog, cache);
    expect(broken.emitted).toHaveLength(1);
    expect((broken.emitted[0] as any).error.message).toMatch(
      /^infra-hub\.io\/terraform-module-path '\.\/net': variables\.tf:3: /,
    );
    expect((broken.out.spec as any).terraform).toEqual(
      (good.out.spec as any).terraform,
    );
    // A folder with no code, or none at all: said, the entity unchanged.
    const missing = await run(p, moduleEntity('gone', './gone'), catalog);
    expect((missing.emitted[0] as any).error.message).toMatch(
      /ENOENT|no such file/,
    );
    expect((missing.out.spec as any).terraform).toBeUndefined();
    fs.mkdirSync(path.join(dir, 'empty'));
    const empty = await run(p, moduleEntity('empty', './empty'), catalog);
    expect((empty.emitted[0] as any).error.message).toMatch(
      /no \.tf files in '\.\/empty'/,
    );
  });

  it('leaves every other entity alone', async () => {
    const p = processor();
    const service: Entity = {
      ...moduleEntity('svc', '../terraform/cartwheel/modules/storefront-edge'),
      spec: { type: 'service', lifecycle: 'production', owner: 'team' },
    };
    const { out, emitted } = await run(p, service);
    expect(out).toBe(service);
    expect(emitted).toEqual([]);
  });
});
