import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { complianceScopeOf } from '@infra-hub/plugin-infra-compliance-common';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { FindingDetail, FindingsTable } from './Findings';

/**
 * The Compliance tab: the findings of a discovered resource, or of the assets of the entity's
 * system (a System, or a Component in one), in the entity's tenant.
 */
export function EntityComplianceContent() {
  const { entity } = useEntity();
  const scope = complianceScopeOf(entity);
  const [open, setOpen] = useState<string>();
  if (!scope)
    return (
      <EmptyState
        missing="info"
        title="No infrastructure to check"
        description="The tab shows the findings of a discovered resource, or of the assets tagged with the entity's system (annotation infra-hub.io/tenant and a system)."
      />
    );
  const { tenantId, ...filter } = scope;
  if (open)
    return (
      <>
        <Button onClick={() => setOpen(undefined)}>Back</Button>
        <FindingDetail tenantId={tenantId} findingId={open} />
      </>
    );
  return (
    <FindingsTable
      tenantId={tenantId}
      scope={filter}
      title={
        'resourceId' in filter
          ? 'Findings of this resource'
          : `Findings of system ${filter.system}`
      }
      onOpen={setOpen}
    />
  );
}
