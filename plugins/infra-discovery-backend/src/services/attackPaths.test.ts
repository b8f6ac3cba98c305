import { demoGraph } from '../__testUtils__/demo';
import { AttackPathCache, findAttackPaths } from './attackPaths';

const demo = demoGraph;

function describePath(
  graph: ReturnType<typeof demo>,
  p: ReturnType<typeof findAttackPaths>[number],
) {
  const name = (id: string) =>
    graph.assets.find(a => a.id === id)?.source?.address ?? 'internet';
  return [
    name(p.steps[0].edge.from),
    ...p.steps.map(
      s =>
        `${s.edge.type}${s.reversed ? '⁻¹' : ''} ${name(
          s.reversed ? s.edge.from : s.edge.to,
        )}`,
    ),
  ].join(' → ');
}

describe('findAttackPaths', () => {
  it('finds the ways from the internet into Cartwheel, worst first', () => {
    const graph = demo('cartwheel', 'storefront-prod');
    const paths = findAttackPaths(graph.assets, graph.edges);
    const described = paths.map(p => describePath(graph, p));
    expect(described).toContain(
      'internet → internet_ingress aws_security_group.web → depends_on⁻¹ aws_instance.web → executes_as aws_iam_instance_profile.web → executes_as aws_iam_role.web → attached_to⁻¹ aws_iam_policy.order_exports_read → can_access aws_s3_bucket.order_exports',
    );
    expect(described).toContain(
      'internet → internet_ingress aws_lambda_function.order_processor → executes_as aws_iam_role.order_processor → attached_to⁻¹ aws_iam_policy.order_processor_data → can_access aws_kms_key.data',
    );
    expect(described).toContain(
      'internet → internet_ingress module.product_images.aws_s3_bucket.this',
    );
    const viaSsh =
      paths[
        described.findIndex(
          d =>
            d.includes('aws_instance.web') &&
            d.endsWith('aws_s3_bucket.order_exports'),
        )
      ];
    expect(viaSsh.reasons).toEqual([
      'open to the internet on administrative ports (443/tcp, 22/tcp)',
      'reaches a bucket',
    ]);
    // Ranked: every path has a severity, and the list is ordered by score.
    expect(paths.map(p => p.score)).toEqual(
      [...paths.map(p => p.score)].sort((a, b) => b - a),
    );
    expect(paths[0].severity).toBe('high');
    expect(viaSsh.severity).toBe('high');
  });

  it('finds the bastion path to the Harbor ledger, and nothing else in Harbor', () => {
    const graph = demo('harbor-bank', 'core-banking');
    const paths = findAttackPaths(graph.assets, graph.edges);
    const targets = paths
      .map(p => graph.assets.find(a => a.id === p.target)!.source!.address)
      .sort();
    expect(targets).toEqual(['aws_db_instance.ledger', 'aws_kms_key.ledger']);
    expect(
      paths.every(
        p =>
          p.entry ===
          graph.assets.find(a => a.source?.address === 'aws_instance.bastion')!
            .id,
      ),
    ).toBe(true);
    expect(paths.find(p => p.target.includes('rds'))!.reasons).toContain(
      'with write or delete rights',
    );
  });

  it('finds the way from a public Kubernetes API through a node group to a role with AmazonEC2FullAccess', () => {
    const graph = demo('cartwheel', 'platform-eks');
    const paths = findAttackPaths(graph.assets, graph.edges);
    const described = paths.map(p => describePath(graph, p));
    expect(described).toEqual([
      'internet → internet_ingress aws_eks_cluster.platform → contains aws_eks_node_group.general → executes_as aws_iam_role.nodes',
    ]);
    expect(paths[0].reasons).toEqual([
      'open to the internet on 443/tcp',
      'public: public Kubernetes API endpoint open to 0.0.0.0/0',
      'reaches an identity holding AmazonEC2FullAccess (every action of a service)',
    ]);
    // Every EC2 action, reachable from the internet: high (administrator access would be critical).
    expect(paths[0].severity).toBe('high');
  });

  it('finds nothing in a graph without ingress from the internet', () => {
    const graph = demo('harbor-bank', 'core-banking');
    const closed = graph.edges.filter(e => e.type !== 'internet_ingress');
    expect(findAttackPaths(graph.assets, closed)).toEqual([]);
  });
});

describe('AttackPathCache', () => {
  it('computes the paths once per graph version, shared by concurrent requests', async () => {
    const graph = demoGraph('cartwheel', 'storefront-prod');
    let version = 'v1';
    let loads = 0;
    const cache = new AttackPathCache({
      version: async () => version,
      loadGraph: async () => {
        loads += 1;
        return graph;
      },
    });
    const [a, b] = await Promise.all([
      cache.get('cartwheel'),
      cache.get('cartwheel'),
    ]);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(0);
    await cache.get('cartwheel');
    expect(loads).toBe(1);
    version = 'v2';
    expect(await cache.get('cartwheel')).toEqual(a);
    expect(loads).toBe(2);
  });
});
