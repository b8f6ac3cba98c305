import { EmptyState } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  PIPELINE_PROVIDERS,
  PIPELINE_REPOSITORY_ANNOTATIONS,
} from '@infra-hub/plugin-infra-pipelines-common';
import { INFRA_TENANT_ANNOTATION } from '@infra-hub/plugin-infra-security-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { infraPipelinesApiRef } from '../api';
import { RunList } from './RunList';

/** True for entities of a tenant that name a repository of a CI system. @public */
export function isPipelinesAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}) {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[INFRA_TENANT_ANNOTATION] &&
      PIPELINE_PROVIDERS.some(p => a[PIPELINE_REPOSITORY_ANNOTATIONS[p]]),
  );
}

/**
 * The Pipelines tab of a module or service: its runs (live), their plans and failed jobs' logs,
 * and starting a run for those who may.
 *
 * @public
 */
export function EntityPipelinesContent() {
  const { entity } = useEntity();
  const api = useApi(infraPipelinesApiRef);
  const alerts = useApi(alertApiRef);
  const [ref, setRef] = useState('main');
  const [busy, setBusy] = useState(false);
  const tenantId = entity.metadata.annotations?.[INFRA_TENANT_ANNOTATION];
  if (!tenantId || !isPipelinesAvailable(entity)) {
    return (
      <EmptyState
        missing="info"
        title="No pipelines for this entity"
        description={`Annotate it with ${INFRA_TENANT_ANNOTATION} and one of ${Object.values(
          PIPELINE_REPOSITORY_ANNOTATIONS,
        ).join(', ')}.`}
      />
    );
  }
  const entityRef = stringifyEntityRef(entity);
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <TextField
          size="small"
          label="Branch"
          value={ref}
          onChange={e => setRef(e.target.value.trim())}
        />
        <Button
          variant="outlined"
          color="primary"
          disabled={busy || !ref}
          onClick={async () => {
            setBusy(true);
            try {
              const started = await api.trigger(tenantId, { entityRef, ref });
              alerts.post({ message: started.message, severity: 'success' });
            } catch (error) {
              alerts.post({
                message: `Not started: ${(error as Error).message}`,
                severity: 'error',
              });
            } finally {
              setBusy(false);
            }
          }}
        >
          Run pipeline
        </Button>
      </Box>
      <RunList tenantId={tenantId} filter={{ entityRef }} />
    </Box>
  );
}
