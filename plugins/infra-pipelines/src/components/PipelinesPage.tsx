import { Content, Header, Page } from '@backstage/core-components';
import {
  PIPELINE_PROVIDER_TITLES,
  PIPELINE_PROVIDERS,
  PipelineProvider,
  RUN_STATUSES,
  RunStatus,
} from '@infra-hub/plugin-infra-pipelines-common';
import { TenantPicker } from '@infra-hub/plugin-infra-security-react';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { RunList } from './RunList';

function Filters(props: { tenantId: string }) {
  const [status, setStatus] = useState<RunStatus | ''>('');
  const [provider, setProvider] = useState<PipelineProvider | ''>('');
  const [module, setModule] = useState('');
  const [environment, setEnvironment] = useState('');
  const [failedFirst, setFailedFirst] = useState(true);
  return (
    <>
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
        <TextField
          select
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value as RunStatus | '')}
          style={{ minWidth: 140 }}
          inputProps={{ 'aria-label': 'Status' }}
        >
          <MenuItem value="">Any</MenuItem>
          {RUN_STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Provider"
          value={provider}
          onChange={e => setProvider(e.target.value as PipelineProvider | '')}
          style={{ minWidth: 160 }}
        >
          <MenuItem value="">Any</MenuItem>
          {PIPELINE_PROVIDERS.map(p => (
            <MenuItem key={p} value={p}>
              {PIPELINE_PROVIDER_TITLES[p]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Module"
          value={module}
          onChange={e => setModule(e.target.value.trim())}
        />
        <TextField
          label="Environment"
          value={environment}
          onChange={e => setEnvironment(e.target.value.trim())}
        />
        <FormControlLabel
          control={
            <Switch
              checked={failedFirst}
              onChange={e => setFailedFirst(e.target.checked)}
              color="primary"
            />
          }
          label="Failed runs first"
        />
      </Box>
      <RunList
        tenantId={props.tenantId}
        showEntities
        filter={{
          ...(status ? { status } : {}),
          ...(provider ? { provider } : {}),
          ...(module ? { module } : {}),
          ...(environment ? { environment } : {}),
          failedFirst,
        }}
      />
    </>
  );
}

/**
 * The Pipelines page: a tenant's runs across GitHub Actions, GitLab CI and Azure DevOps, failed
 * ones first, filtered by status, provider, module and environment, with durations over time.
 *
 * @public
 */
export const PipelinesPage = () => (
  <Page themeId="tool">
    <Header
      title="Pipelines"
      subtitle="Runs of GitHub Actions, GitLab CI and Azure DevOps, with the plans they made"
    />
    <Content>
      <TenantPicker id="pipelines-tenant">
        {tenantId => <Filters key={tenantId} tenantId={tenantId} />}
      </TenantPicker>
    </Content>
  </Page>
);
