import { Content, Header, Page } from '@backstage/core-components';
import { TenantPicker } from '@infra-hub/plugin-infra-security-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { FindingDetail, FindingsTable } from './Findings';
import { Frameworks } from './Frameworks';
import { PoamDetail, PoamView } from './Poam';
import { Evaluations, FrameworkView, PostureOverview } from './Posture';
import { Evidence, useEvidenceDownload } from './Evidence';

type View =
  | {
      tab:
        | 'posture'
        | 'findings'
        | 'poam'
        | 'frameworks'
        | 'evaluations'
        | 'evidence';
    }
  | { tab: 'poam-item'; id: string }
  | { tab: 'framework'; framework: string }
  | { tab: 'control'; framework: string; control: string }
  | { tab: 'finding'; id: string; back: View };

/** Compliance of the tenants the user may read: framework → control → findings → asset. */
export function ComplianceContent() {
  const [view, setView] = useState<View>({ tab: 'posture' });
  const top =
    view.tab === 'posture' ||
    view.tab === 'findings' ||
    view.tab === 'poam' ||
    view.tab === 'frameworks' ||
    view.tab === 'evaluations' ||
    view.tab === 'evidence'
      ? view.tab
      : false;
  const open = (id: string) => setView({ tab: 'finding', id, back: view });
  return (
    <TenantPicker
      id="compliance-tenant"
      onChange={() => setView({ tab: 'posture' })}
    >
      {tenantId => (
        <>
          <Tabs
            value={top}
            onChange={(_e, v) => setView({ tab: v })}
            indicatorColor="primary"
          >
            <Tab value="posture" label="Posture" />
            <Tab value="findings" label="Findings" />
            <Tab value="poam" label="POA&M" />
            <Tab value="frameworks" label="Frameworks" />
            <Tab value="evaluations" label="Evaluations" />
            <Tab value="evidence" label="Evidence" />
          </Tabs>
          <Box mt={2}>
            {view.tab === 'posture' && (
              <PostureOverview
                tenantId={tenantId}
                onOpenFramework={framework =>
                  setView({ tab: 'framework', framework })
                }
                onOpenFindings={() => setView({ tab: 'findings' })}
              />
            )}
            {view.tab === 'findings' && (
              <FindingsTable tenantId={tenantId} onOpen={open} />
            )}
            {view.tab === 'evaluations' && <Evaluations tenantId={tenantId} />}
            {view.tab === 'evidence' && <Evidence tenantId={tenantId} />}
            {view.tab === 'frameworks' && <Frameworks tenantId={tenantId} />}
            {view.tab === 'poam' && (
              <PoamView
                tenantId={tenantId}
                onOpen={id => setView({ tab: 'poam-item', id })}
              />
            )}
            {view.tab === 'poam-item' && (
              <>
                <Button onClick={() => setView({ tab: 'poam' })}>
                  Back to the POA&amp;M
                </Button>
                <PoamDetail tenantId={tenantId} itemId={view.id} />
              </>
            )}
            {view.tab === 'framework' && (
              <>
                <Button onClick={() => setView({ tab: 'posture' })}>
                  Back to all frameworks
                </Button>
                <FrameworkView
                  tenantId={tenantId}
                  framework={view.framework}
                  onOpenControl={control =>
                    setView({
                      tab: 'control',
                      framework: view.framework,
                      control,
                    })
                  }
                />
              </>
            )}
            {view.tab === 'control' && (
              <>
                <Button
                  onClick={() =>
                    setView({ tab: 'framework', framework: view.framework })
                  }
                >
                  Back to {view.framework}
                </Button>
                <ControlEvidenceButton
                  tenantId={tenantId}
                  framework={view.framework}
                  control={view.control}
                />
                <Typography variant="h6">
                  {view.framework} {view.control}
                </Typography>
                <FindingsTable
                  tenantId={tenantId}
                  scope={{ framework: view.framework, control: view.control }}
                  title={`Findings of ${view.control}`}
                  onOpen={open}
                />
              </>
            )}
            {view.tab === 'finding' && (
              <>
                <Button onClick={() => setView(view.back)}>Back</Button>
                <FindingDetail tenantId={tenantId} findingId={view.id} />
              </>
            )}
          </Box>
        </>
      )}
    </TenantPicker>
  );
}

/** The newest sealed evidence of one control, as a file. */
function ControlEvidenceButton(props: {
  tenantId: string;
  framework: string;
  control: string;
}) {
  const download = useEvidenceDownload(props.tenantId);
  return (
    <Button
      onClick={() =>
        download('latest', {
          framework: props.framework,
          control: props.control,
        })
      }
    >
      Download signed evidence
    </Button>
  );
}

/** @public */
export const CompliancePage = () => (
  <Page themeId="tool">
    <Header
      title="Compliance"
      subtitle="Posture per framework and control, findings on discovered assets, evaluations, signed evidence"
    />
    <Content>
      <ComplianceContent />
    </Content>
  </Page>
);
