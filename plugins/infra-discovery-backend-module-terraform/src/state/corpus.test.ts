import { INTERNET_ASSET_ID } from '@infra-hub/plugin-infra-discovery-common';
import fs from 'node:fs';
import path from 'node:path';
import { readState } from './readState';
import { stateToGraph } from './stateToGraph';

const dir = path.join(__dirname, '__fixtures__/estates');
const load = (name: string) =>
  stateToGraph(
    readState(fs.readFileSync(path.join(dir, `${name}.tfstate`), 'utf8')),
  );

/** Every secret the corpus holds (made up, in the places real states keep them). */
const SECRETS = [
  'sk_live_0123456789abcdefXYZ',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'Sup3r-S3cret-Passw0rd',
  'c3RvcmFnZS1rZXktdGhhdC1tdXN0LW5vdC1sZWFr',
  'AccountKey=c3RvcmFnZS1rZXk=',
  'ewogICJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCIKfQ==',
  'r00t-pa55word-legacy',
  'I2Nsb3VkLWNvbmZpZwpwYXNzd29yZDogaHVudGVyMg==',
  'DB_PASSWORD=hunter2',
];

describe('the corpus of real-shaped states', () => {
  const names = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.tfstate'))
    .map(f => f.replace(/\.tfstate$/, ''))
    .sort();

  it('has ten estates of every shape, read with their assets and edges and no secret', () => {
    expect(names).toHaveLength(10);
    const counts: Record<string, [number, number]> = {};
    for (const name of names) {
      const graph = load(name);
      counts[name] = [graph.assets.length, graph.edges.length];
      const text = JSON.stringify(graph);
      for (const secret of SECRETS)
        expect({ name, leaked: text.includes(secret) }).toEqual({
          name,
          leaked: false,
        });
    }
    expect(counts).toEqual({
      'aws-data-sources-1.3': [5, 1],
      'aws-large-1.15': [300, 239],
      'aws-nested-modules-1.9': [12, 20],
      'aws-network-0.14': [14, 18],
      'aws-serverless-1.5': [13, 8],
      'azure-private-1.8': [13, 14],
      'azure-public-1.6': [13, 8],
      'google-firewall-1.7': [12, 8],
      'google-public-1.10': [7, 3],
      'mixed-clouds-1.12': [8, 1],
    });
  });

  it('keeps count and for_each keys in addresses, modules four deep, and no data source', () => {
    const serverless = load('aws-serverless-1.5');
    expect(serverless.assets.map(a => a.source?.address)).toEqual(
      expect.arrayContaining([
        'aws_lambda_function.fn["refunds"]',
        'aws_iam_role.fn["orders"]',
      ]),
    );
    const nested = load('aws-nested-modules-1.9');
    const modules = nested.assets
      .filter(a => a.type === 'terraform_module')
      .map(a => a.nativeId);
    expect(modules).toContain(
      'module.platform.module.network.module.subnets.module.flow_logs',
    );
    expect(nested.assets.map(a => a.source?.address)).toContain(
      'module.platform.module.network.module.subnets.module.flow_logs.aws_flow_log.subnet[2]',
    );
    const data = load('aws-data-sources-1.3');
    expect(data.assets.map(a => a.type)).not.toContain('aws_caller_identity');
  });

  it('places Azure and Google resources by subscription or project and location, with tags and labels in every shape', () => {
    const azure = load('azure-public-1.6');
    const vm = azure.assets.find(
      a => a.type === 'azurerm_linux_virtual_machine',
    )!;
    expect(vm).toMatchObject({
      provider: 'azurerm',
      account: '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
      region: 'westeurope',
      tags: { role: 'jump' },
    });
    const google = load('google-public-1.10');
    const pool = google.assets.find(
      a => a.type === 'google_container_node_pool',
    )!;
    expect(pool.account).toBe('acme-shared-services-prod');
    expect(pool.region.length).toBeGreaterThan(64);
    const bucket = google.assets.find(a => a.type === 'google_storage_bucket')!;
    expect(bucket.tags).toEqual({ team: 'web', tier: 'public' });
    const firewall = load('google-firewall-1.7');
    const bastion = firewall.assets.find(a => a.name === 'bastion')!;
    expect(bastion).toMatchObject({
      region: 'europe-west3-a',
      tags: { ssh: '', team: 'analytics' },
    });
  });

  it('reads the security relationships of Azure and Google resources', () => {
    const edgesOf = (name: string) => {
      const g = load(name);
      const label = (id: string) =>
        id === INTERNET_ASSET_ID
          ? 'internet'
          : g.assets.find(a => a.id === id)!.name;
      return g.edges.map(e => `${label(e.from)} ${e.type} ${label(e.to)}`);
    };
    expect(edgesOf('azure-public-1.6')).toEqual(
      expect.arrayContaining([
        'internet internet_ingress nsg-app',
        'vm-jump depends_on nsg-app',
        'vm-jump can_access kv-shop-prod',
        'internet internet_ingress psql-shop-prod',
      ]),
    );
    expect(edgesOf('azure-private-1.8')).toEqual(
      expect.arrayContaining([
        'vm-worker-0 executes_as id-workers',
        'id-workers can_access stbatchdata01',
      ]),
    );
    expect(
      edgesOf('azure-private-1.8').filter(e => e.startsWith('internet')),
    ).toEqual([]);
    expect(edgesOf('google-firewall-1.7')).toEqual(
      expect.arrayContaining([
        'internet internet_ingress allow-ssh',
        'bastion depends_on allow-ssh',
        'bastion executes_as etl-runner@acme-analytics-prod.iam.gserviceaccount.com',
        'etl-runner@acme-analytics-prod.iam.gserviceaccount.com can_access warehouse',
      ]),
    );
    // Workers have no external address: the open firewall does not reach them.
    expect(edgesOf('google-firewall-1.7')).not.toContain(
      'worker-0 depends_on allow-ssh',
    );
    expect(edgesOf('google-public-1.10')).toEqual(
      expect.arrayContaining([
        'internet internet_ingress legacy-reporting',
        'internet internet_ingress acme-public-site',
      ]),
    );
  });
});
