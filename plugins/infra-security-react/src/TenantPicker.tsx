import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { ReactNode, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { infraSecurityApiRef } from './InfraSecurityApi';

/**
 * The tenants the signed-in user holds a role in, as a picker above `children(tenantId)`; with
 * loading, error and "no tenant" states. Every tenant-scoped page of the suite starts with it.
 *
 * @public
 */
export function TenantPicker(props: {
  /** The id of the select, for labels and tests (e.g. `discovery-tenant`). */
  id: string;
  children: (tenantId: string) => ReactNode;
  onChange?: (tenantId: string) => void;
  /** The tenant shown first when the user holds a role in it (e.g. from a link). */
  initial?: string;
}) {
  const security = useApi(infraSecurityApiRef);
  const tenants = useAsync(() => security.listTenants(), [security]);
  const [chosen, setChosen] = useState<string | undefined>(props.initial);
  if (tenants.loading) return <Progress />;
  if (tenants.error) return <ResponseErrorPanel error={tenants.error} />;
  const list = tenants.value ?? [];
  if (list.length === 0) {
    return (
      <EmptyState
        missing="info"
        title="No tenant to show"
        description="You hold no role in any tenant."
      />
    );
  }
  const tenantId =
    chosen && list.some(t => t.id === chosen) ? chosen : list[0].id;
  return (
    <>
      <Box mb={2}>
        <TextField
          select
          id={props.id}
          label="Tenant"
          value={tenantId}
          onChange={e => {
            setChosen(e.target.value);
            props.onChange?.(e.target.value);
          }}
          style={{ minWidth: 280 }}
        >
          {list.map(t => (
            <MenuItem key={t.id} value={t.id}>
              {t.title}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {props.children(tenantId)}
    </>
  );
}
