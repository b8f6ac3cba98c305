import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import { infraSecurityApiRef } from '@infra-hub/plugin-infra-security-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';

type Option = { value: string; label: string };

/** A select over options loaded for the field, with loading, error and empty states. */
function OptionsField(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: { loading: boolean; error?: Error; value?: Option[] };
  empty: string;
  help?: string;
  required?: boolean;
  rawErrors?: string[];
  onChange: (value: string | undefined) => void;
}) {
  const { options, value, onChange } = props;
  const list = useMemo(() => options.value ?? [], [options.value]);
  // A single choice is made for the person; a value no longer offered is cleared.
  useEffect(() => {
    if (options.loading || options.error) return;
    if (list.length === 1 && value !== list[0].value) onChange(list[0].value);
    else if (value && !list.some(o => o.value === value)) onChange(undefined);
  }, [options.loading, options.error, list, value, onChange]);

  let helper = props.help;
  if (options.error) helper = `Could not load: ${options.error.message}`;
  else if (!options.loading && list.length === 0) helper = props.empty;
  return (
    <FormControl
      fullWidth
      margin="normal"
      required={props.required}
      error={!!options.error || (props.rawErrors?.length ?? 0) > 0}
    >
      <TextField
        select
        id={props.id}
        label={props.label}
        value={list.some(o => o.value === value) ? value : ''}
        disabled={options.loading || list.length === 0}
        onChange={e => onChange(e.target.value || undefined)}
        required={props.required}
        variant="outlined"
      >
        {list.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </TextField>
      {helper && <FormHelperText>{helper}</FormHelperText>}
    </FormControl>
  );
}

/**
 * The tenants the person holds a role in (never others), by title; the value is the tenant id.
 * The scaffolder actions check the role again on the server.
 */
export function InfraTenantPickerField(
  props: FieldExtensionComponentProps<string>,
) {
  const security = useApi(infraSecurityApiRef);
  const options = useAsync(async () => {
    const [me, tenants] = await Promise.all([
      security.me(),
      security.listTenants(),
    ]);
    const mine = new Set(me.roles.map(r => r.scope));
    return tenants
      .filter(t => mine.has(t.id))
      .map(t => ({ value: t.id, label: `${t.title} (${t.id})` }));
  }, [security]);
  return (
    <OptionsField
      id={props.idSchema?.$id ?? 'infra-tenant'}
      label={props.schema.title ?? 'Tenant'}
      value={props.formData}
      options={options}
      empty="You hold no role in any tenant: ask a tenant admin for one."
      help={props.schema.description}
      required={props.required}
      rawErrors={props.rawErrors}
      onChange={props.onChange}
    />
  );
}

/**
 * The systems of the tenant chosen in another field of the form (`ui:options.tenantField`,
 * default `tenant`), as entity refs.
 */
export function InfraSystemPickerField(
  props: FieldExtensionComponentProps<string, { tenantField?: string }>,
) {
  const catalog = useApi(catalogApiRef);
  const field = props.uiSchema?.['ui:options']?.tenantField ?? 'tenant';
  const tenant = (props.formContext?.formData as Record<string, unknown>)?.[
    field
  ] as string | undefined;
  const options = useAsync(async () => {
    if (!tenant) return [];
    const { items } = await catalog.getEntities({
      filter: {
        kind: 'System',
        [`metadata.annotations.${INFRA_TENANT_ANNOTATION}`]: tenant,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items
      .map(e => ({
        value: stringifyEntityRef(e),
        label: e.metadata.title ?? e.metadata.name,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [catalog, tenant]);
  return (
    <OptionsField
      id={props.idSchema?.$id ?? 'infra-system'}
      label={props.schema.title ?? 'System'}
      value={props.formData}
      options={options}
      empty={
        tenant
          ? `Tenant ${tenant} has no system in the catalog.`
          : 'Choose a tenant first.'
      }
      help={props.schema.description}
      required={props.required}
      rawErrors={props.rawErrors}
      onChange={props.onChange}
    />
  );
}

/** `ui:field: InfraTenantPicker` in templates. */
export const infraTenantPickerField = createFormField({
  name: 'InfraTenantPicker',
  component: InfraTenantPickerField,
});

/** `ui:field: InfraSystemPicker` in templates. */
export const infraSystemPickerField = createFormField({
  name: 'InfraSystemPicker',
  component: InfraSystemPickerField as any,
});
