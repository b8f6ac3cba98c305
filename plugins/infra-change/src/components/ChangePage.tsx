import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { infraSecurityApiRef } from '@infra-hub/plugin-infra-security';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ChangeDetail, ChangeQueue, Report } from './Changes';
import { DriftDashboard, PlanView } from './Drift';

type View =
  | { tab: 'queue' | 'drift' | 'report' }
  | { tab: 'change'; id: string }
  | { tab: 'plan'; id: string };

/** Change control of the tenants the user may read. */
export function ChangeContent() {
  const security = useApi(infraSecurityApiRef);
  const tenants = useAsync(() => security.listTenants(), [security]);
  const [chosen, setChosen] = useState<string>();
  const [view, setView] = useState<View>({ tab: 'queue' });
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
  const tab = view.tab === 'change' || view.tab === 'plan' ? false : view.tab;
  return (
    <>
      <Box mb={2}>
        <TextField
          select
          id="change-tenant"
          label="Tenant"
          value={tenantId}
          onChange={e => {
            setChosen(e.target.value);
            setView({ tab: 'queue' });
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
      <Tabs
        value={tab}
        onChange={(_e, v) => setView({ tab: v })}
        indicatorColor="primary"
      >
        <Tab value="queue" label="CAB queue" />
        <Tab value="drift" label="Drift" />
        <Tab value="report" label="Compliance report" />
      </Tabs>
      <Box mt={2}>
        {view.tab === 'queue' && (
          <ChangeQueue
            tenantId={tenantId}
            onOpen={id => setView({ tab: 'change', id })}
          />
        )}
        {view.tab === 'drift' && (
          <DriftDashboard
            tenantId={tenantId}
            onOpenPlan={id => setView({ tab: 'plan', id })}
          />
        )}
        {view.tab === 'report' && <Report tenantId={tenantId} />}
        {view.tab === 'change' && (
          <>
            <Button onClick={() => setView({ tab: 'queue' })}>
              Back to the CAB queue
            </Button>
            <ChangeDetail tenantId={tenantId} changeId={view.id} />
          </>
        )}
        {view.tab === 'plan' && (
          <>
            <Button onClick={() => setView({ tab: 'drift' })}>
              Back to drift
            </Button>
            <PlanView
              tenantId={tenantId}
              planId={view.id}
              onRequested={id => setView({ tab: 'change', id })}
            />
          </>
        )}
      </Box>
    </>
  );
}

/** @public */
export const ChangePage = () => (
  <Page themeId="tool">
    <Header
      title="Changes and drift"
      subtitle="Terraform drift, change requests and the CAB, approvals signed with ML-DSA-65"
    />
    <Content>
      <ChangeContent />
    </Content>
  </Page>
);
