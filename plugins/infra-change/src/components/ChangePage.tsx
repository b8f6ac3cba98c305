import { Content, Header, Page } from '@backstage/core-components';
import { TenantPicker } from '@infra-hub/plugin-infra-security-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import { useState } from 'react';
import { ChangeDetail, ChangeQueue, Report } from './Changes';
import { DriftDashboard, PlanView } from './Drift';

type View =
  | { tab: 'queue' | 'drift' | 'report' }
  | { tab: 'change'; id: string }
  | { tab: 'plan'; id: string };

/** Change control of the tenants the user may read. */
export function ChangeContent() {
  const [view, setView] = useState<View>({ tab: 'queue' });
  const tab = view.tab === 'change' || view.tab === 'plan' ? false : view.tab;
  return (
    <TenantPicker id="change-tenant" onChange={() => setView({ tab: 'queue' })}>
      {tenantId => (
        <>
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
      )}
    </TenantPicker>
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
