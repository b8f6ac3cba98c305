import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityRefLink,
  entityRouteParams,
  entityRouteRef,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  CHANGE_MODULE_ANNOTATION,
  PlanRecord,
} from '@infra-hub/plugin-infra-change-common';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { infraChangeApiRef } from '../api';
import { RiskChip } from './common';

/** Change requests still in flight. */
const OPEN_STATES = new Set(['draft', 'pending_approval', 'approved']);

/** True for service Components of a tenant: they get the Infrastructure tab. @public */
export function isInfraService(entity: Entity): boolean {
  return (
    entity.kind === 'Component' &&
    (entity.spec as { type?: unknown })?.type === 'service' &&
    !!entity.metadata.annotations?.[INFRA_TENANT_ANNOTATION]
  );
}

type ModuleRow = {
  entity: Entity;
  plan?: PlanRecord;
  openChanges?: number;
};

/**
 * The Infrastructure tab of a service: the Terraform modules and the discovered assets it depends
 * on (its `dependsOn` relations) or that its system holds, each module's drift (its latest plan)
 * and open change requests, and the open compliance findings of the system's assets; each links
 * to its own page.
 */
export function EntityServiceInfrastructureContent() {
  const { entity } = useEntity();
  const catalog = useApi(catalogApiRef);
  const change = useApi(infraChangeApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const tenantId = entity.metadata.annotations?.[INFRA_TENANT_ANNOTATION] ?? '';

  const state = useAsync(async () => {
    const refs = new Set(
      getEntityRelations(entity, RELATION_DEPENDS_ON).map(r =>
        stringifyEntityRef(r),
      ),
    );
    const [systemRef] = getEntityRelations(entity, RELATION_PART_OF, {
      kind: 'system',
    });
    const system = systemRef
      ? await catalog.getEntityByRef(systemRef)
      : undefined;
    for (const r of system ? getEntityRelations(system, RELATION_HAS_PART) : [])
      refs.add(stringifyEntityRef(r));
    refs.delete(stringifyEntityRef(entity));
    const { items } = await catalog.getEntitiesByRefs({
      entityRefs: [...refs],
    });
    const related = items.filter((e): e is Entity => !!e);
    const modules = related.filter(
      e =>
        e.kind === 'Component' &&
        (e.spec as { type?: unknown })?.type === 'terraform-module',
    );
    const assets = related.filter(e => e.kind === 'Resource');
    const moduleRows: ModuleRow[] = await Promise.all(
      modules.map(async m => {
        const moduleId = m.metadata.annotations?.[CHANGE_MODULE_ANNOTATION];
        if (!moduleId) return { entity: m };
        const [[plan], requests] = await Promise.all([
          change.listPlans(tenantId, { module: moduleId, limit: 1 }),
          change.listChangeRequests(tenantId, { module: moduleId }),
        ]);
        return {
          entity: m,
          ...(plan ? { plan } : {}),
          openChanges: requests.filter(r => OPEN_STATES.has(r.state)).length,
        };
      }),
    );
    // Without the compliance plugin (or the right to read findings): no count.
    const findings = system
      ? await change.openFindingsOfSystem(tenantId, system.metadata.name)
      : undefined;
    return { system, modules: moduleRows, assets, findings };
  }, [entity, catalog, change, tenantId]);

  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const { system, modules, assets, findings } = state.value!;
  const pageOf = (e: Entity, tab = '') =>
    `${entityRoute(entityRouteParams(e))}${tab}`;
  if (!modules.length && !assets.length) {
    return (
      <EmptyState
        missing="data"
        title="No infrastructure related to this service"
        description="Relate it with dependsOn to its Terraform modules and resources, or put it in a system that has them."
      />
    );
  }
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Table<ModuleRow>
          title={`Terraform modules (${modules.length})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            {
              title: 'Module',
              render: r => <EntityRefLink entityRef={r.entity} />,
            },
            {
              title: 'Drift',
              render: r =>
                r.plan ? (
                  <span data-testid="module-drift">
                    {r.plan.drifted} drifted resource(s)
                  </span>
                ) : (
                  'no plan received'
                ),
            },
            {
              title: 'Risk',
              render: r => (r.plan ? <RiskChip risk={r.plan.risk} /> : ''),
            },
            {
              title: 'Last plan',
              render: r =>
                r.plan ? new Date(r.plan.uploadedAt).toLocaleString() : '',
            },
            {
              title: 'Open changes',
              render: r =>
                r.openChanges === undefined ? (
                  ''
                ) : (
                  <Link to={pageOf(r.entity, '/changes')}>{r.openChanges}</Link>
                ),
            },
          ]}
          data={modules}
          emptyContent={
            <Box p={2}>
              <Typography>No Terraform module.</Typography>
            </Box>
          }
        />
      </Grid>
      <Grid item xs={12} md={8}>
        <Table<Entity>
          title={`Resources (${assets.length})`}
          options={{
            paging: true,
            pageSize: 10,
            search: false,
            padding: 'dense',
          }}
          columns={[
            { title: 'Resource', render: e => <EntityRefLink entityRef={e} /> },
            {
              title: 'Type',
              render: e => String((e.spec as { type?: unknown })?.type ?? ''),
            },
          ]}
          data={assets}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Compliance">
          {findings === undefined ? (
            <Typography variant="body2">
              No findings to show{system ? '' : ': the service has no system'}.
            </Typography>
          ) : (
            <Typography variant="body2" data-testid="service-findings">
              {findings} open finding(s) on the assets of system{' '}
              {system!.metadata.name}:{' '}
              <Link to={pageOf(entity, '/compliance')}>the Compliance tab</Link>
            </Typography>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
