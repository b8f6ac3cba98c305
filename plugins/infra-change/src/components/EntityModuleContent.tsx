import { Entity, RELATION_DEPENDENCY_OF } from '@backstage/catalog-model';
import { EmptyState, InfoCard, Table } from '@backstage/core-components';
import {
  EntityRefLinks,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  TERRAFORM_MODULE_PATH_ANNOTATION,
  TerraformModuleInterface,
} from '@infra-hub/plugin-infra-compliance-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

type Input = TerraformModuleInterface['inputs'][number];

/** The interface the catalog read from a Terraform module's code, if any. */
export function terraformInterfaceOf(
  entity: Entity,
): TerraformModuleInterface | undefined {
  const t = (entity.spec as { terraform?: TerraformModuleInterface })
    ?.terraform;
  return t && Array.isArray(t.inputs) ? t : undefined;
}

/** True for Terraform module Components whose code the catalog read. @public */
export function isTerraformModuleWithCode(entity: Entity): boolean {
  return (
    entity.kind === 'Component' &&
    (entity.spec as { type?: unknown })?.type === 'terraform-module' &&
    terraformInterfaceOf(entity) !== undefined
  );
}

const show = (value: unknown) =>
  value === undefined ? '' : JSON.stringify(value);

/**
 * The Module tab of a Terraform module entity: its interface as read from its code (inputs with
 * types, defaults and validations; outputs; providers and required version; the modules it calls;
 * the resource types it manages) and the root stacks and modules that use it.
 */
export function EntityModuleContent() {
  const { entity } = useEntity();
  const terraform = terraformInterfaceOf(entity);
  if (!terraform) {
    return (
      <EmptyState
        missing="info"
        title="No code read for this module"
        description={`Annotate the entity with ${TERRAFORM_MODULE_PATH_ANNOTATION}: the folder of its .tf files, relative to its catalog file.`}
      />
    );
  }
  const usedBy = getEntityRelations(entity, RELATION_DEPENDENCY_OF);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Table<Input>
          title={`Inputs (${terraform.inputs.length})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'Name', field: 'name' },
            { title: 'Type', render: i => i.type ?? 'any' },
            {
              title: 'Required',
              render: i =>
                i.optional ? `no (default ${show(i.default) || 'set'})` : 'yes',
            },
            { title: 'Sensitive', render: i => (i.sensitive ? 'yes' : '') },
            { title: 'Description', render: i => i.description ?? '' },
            { title: 'Validation', render: i => i.validations.join('; ') },
          ]}
          data={terraform.inputs.map(i => ({ ...i }))}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <Table<TerraformModuleInterface['outputs'][number]>
          title={`Outputs (${terraform.outputs.length})`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            { title: 'Name', field: 'name' },
            { title: 'Sensitive', render: o => (o.sensitive ? 'yes' : '') },
            { title: 'Description', render: o => o.description ?? '' },
          ]}
          data={terraform.outputs.map(o => ({ ...o }))}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Requirements and composition">
          <Typography variant="body2" data-testid="required-version">
            Terraform {terraform.requiredVersion ?? '(any version)'}
          </Typography>
          {terraform.providers.map(p => (
            <Typography variant="body2" key={p.name}>
              Provider {p.name}
              {p.source ? ` (${p.source}` : ''}
              {p.version ? ` ${p.version}` : ''}
              {p.source ? ')' : ''}
            </Typography>
          ))}
          <Box mt={2}>
            <Typography variant="subtitle2">Modules it calls</Typography>
            {terraform.modules.length ? (
              terraform.modules.map(m => (
                <Typography variant="body2" key={m.name}>
                  {m.name}: {m.source}
                  {m.version ? ` ${m.version}` : ''}
                </Typography>
              ))
            ) : (
              <Typography variant="body2">none</Typography>
            )}
          </Box>
          <Box mt={2}>
            <Typography variant="subtitle2">Used by</Typography>
            {usedBy.length ? (
              <EntityRefLinks entityRefs={usedBy} defaultKind="component" />
            ) : (
              <Typography variant="body2">
                no catalogued module calls it
              </Typography>
            )}
          </Box>
          <Box mt={2}>
            <Typography variant="subtitle2">
              Resource types it manages
            </Typography>
            {terraform.resourceTypes.map(t => (
              <Chip key={t} label={t} size="small" />
            ))}
          </Box>
          <Box mt={2}>
            <Typography variant="caption">
              Read from {terraform.files.join(', ')}. Its drift and change
              requests are on the Changes tab, its findings on the Compliance
              tab, where it has them.
            </Typography>
          </Box>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
