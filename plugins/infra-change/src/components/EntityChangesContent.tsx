import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import {
  CHANGE_MODULE_ANNOTATION,
  isInfraChangeAvailable,
} from '@infra-hub/plugin-infra-change-common';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { infraChangeApiRef } from '../api';
import { ChangeDetail, ChangeQueue } from './Changes';
import { PlanView } from './Drift';

const TENANT = INFRA_TENANT_ANNOTATION;

/**
 * The Changes tab of a Terraform module entity: its latest plan with the drift and changes, its
 * change requests, and acting on them.
 */
export function EntityChangesContent() {
  const { entity } = useEntity();
  const api = useApi(infraChangeApiRef);
  const a = entity.metadata.annotations ?? {};
  const tenantId = a[TENANT];
  const moduleId = a[CHANGE_MODULE_ANNOTATION];
  const [open, setOpen] = useState<string>();
  const latest = useAsync(
    async () =>
      tenantId && moduleId
        ? (await api.listPlans(tenantId, { module: moduleId, limit: 1 }))[0]
        : undefined,
    [api, tenantId, moduleId],
  );
  if (!isInfraChangeAvailable(entity)) {
    return (
      <EmptyState
        missing="info"
        title="Not a module Infra Hub receives plans for"
        description={`Annotate the entity with ${CHANGE_MODULE_ANNOTATION} and ${TENANT}.`}
      />
    );
  }
  if (latest.loading) return <Progress />;
  if (latest.error) return <ResponseErrorPanel error={latest.error} />;
  if (open) {
    return (
      <>
        <Button onClick={() => setOpen(undefined)}>Back</Button>
        <ChangeDetail tenantId={tenantId} changeId={open} />
      </>
    );
  }
  return (
    <>
      {latest.value ? (
        <PlanView
          tenantId={tenantId}
          planId={latest.value.id}
          onRequested={setOpen}
        />
      ) : (
        <EmptyState
          missing="data"
          title="No plan yet"
          description={`CI uploads plans of module ${moduleId} (see examples/ci).`}
        />
      )}
      <Box mt={3}>
        <ChangeQueue tenantId={tenantId} module={moduleId} onOpen={setOpen} />
      </Box>
    </>
  );
}
