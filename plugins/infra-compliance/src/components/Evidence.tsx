import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { downloadText } from '@infra-hub/plugin-infra-hub-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { EvidenceRecord, infraComplianceApiRef } from '../api';
import { useEvaluationSignal } from './Posture';

/** The file name of a bundle, as the backend names it. */
function bundleName(
  tenantId: string,
  evaluationId: string,
  scope: { framework: string; control?: string },
) {
  return `${[
    'evidence',
    tenantId,
    scope.framework,
    ...(scope.control ? [scope.control] : []),
    evaluationId,
  ]
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/** Downloads a sealed evidence bundle; a refusal (not sealed, unknown control) is an alert. */
export function useEvidenceDownload(tenantId: string) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  return async (
    evaluationId: string,
    scope: { framework: string; control?: string },
  ) => {
    try {
      downloadText(
        bundleName(tenantId, evaluationId, scope),
        await api.evidenceBundle(tenantId, evaluationId, scope),
        'application/json',
      );
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };
}

/** A framework (of the evaluation's) and an optional control, then the download. */
function DownloadForm(props: { tenantId: string; record: EvidenceRecord }) {
  const download = useEvidenceDownload(props.tenantId);
  const [framework, setFramework] = useState(props.record.frameworks[0] ?? '');
  const [control, setControl] = useState('');
  return (
    <Box display="flex" gridGap={16} alignItems="flex-end" p={2}>
      <TextField
        select
        id={`evidence-framework-${props.record.evaluationId}`}
        label="Framework"
        value={framework}
        onChange={e => setFramework(e.target.value)}
        style={{ minWidth: 200 }}
      >
        {props.record.frameworks.map(f => (
          <MenuItem key={f} value={f}>
            {f}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id={`evidence-control-${props.record.evaluationId}`}
        label="Control (empty: every control)"
        value={control}
        onChange={e => setControl(e.target.value)}
      />
      <Button
        variant="outlined"
        size="small"
        disabled={!framework}
        onClick={() =>
          download(props.record.evaluationId, {
            framework,
            ...(control.trim() ? { control: control.trim() } : {}),
          })
        }
      >
        Download bundle
      </Button>
    </Box>
  );
}

/**
 * The tenant's evidence: one record per evaluation, sealed by the installation's keys (ML-DSA-65
 * and Ed25519) or why not yet; a bundle per framework or control to download and verify offline.
 */
export function Evidence({ tenantId }: { tenantId: string }) {
  const api = useApi(infraComplianceApiRef);
  const alerts = useApi(alertApiRef);
  const [pages, setPages] = useState(1);
  const [chosen, setChosen] = useState<EvidenceRecord>();
  const state = useAsyncRetry(async () => {
    const items: EvidenceRecord[] = [];
    let before: string | undefined;
    for (let i = 0; i < pages; i++) {
      const page = await api.listEvidence(tenantId, before);
      items.push(...page.items);
      before = page.nextBefore;
      if (!before) break;
    }
    return { items, more: !!before };
  }, [api, tenantId, pages]);
  useEvaluationSignal(tenantId, state.retry);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const seal = async (record: EvidenceRecord) => {
    try {
      await api.sealEvidence(tenantId, record.evaluationId);
      alerts.post({
        message: 'Evidence sealed',
        severity: 'success',
        display: 'transient',
      });
      state.retry();
    } catch (e) {
      alerts.post({ message: (e as Error).message, severity: 'error' });
    }
  };
  return (
    <>
      <InfoCard title="Verifying a bundle">
        <Typography variant="body2">
          Each evaluation's evidence (every control, and the rule results it
          rests on) is sealed with the installation's signing key, ML-DSA-65 and
          its Ed25519 companion. Check a bundle offline with{' '}
          <code>yarn infra-verify --keys signing-keys.json bundle.json</code>,
          where <code>signing-keys.json</code> is the installation's key history
          (<code>GET /api/infra-change/signing-keys</code>), or pin its first
          key with <code>--trust &lt;keyId&gt;</code>.
        </Typography>
      </InfoCard>
      <Box mt={2}>
        <Table<EvidenceRecord>
          title="Evidence"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={[
            {
              title: 'Evaluated',
              render: r => new Date(r.evaluatedAt).toLocaleString(),
            },
            { title: 'Controls', field: 'controls' },
            { title: 'Frameworks', render: r => r.frameworks.join(', ') },
            { title: 'Rules', field: 'ruleSetVersion' },
            {
              title: 'Seal',
              render: r =>
                r.sealed ? (
                  <Typography variant="body2">
                    Sealed by {r.keyId}
                    {r.sealedAt
                      ? ` at ${new Date(r.sealedAt).toLocaleString()}`
                      : ''}
                  </Typography>
                ) : (
                  <Box>
                    <Typography variant="body2" color="error">
                      Not sealed{r.sealError ? `: ${r.sealError}` : ''}
                    </Typography>
                    <Button size="small" onClick={() => seal(r)}>
                      Seal now
                    </Button>
                  </Box>
                ),
            },
            {
              title: 'Bundle',
              render: r =>
                r.sealed ? (
                  <Button
                    size="small"
                    aria-label={`Download evidence of ${r.evaluatedAt}`}
                    onClick={() => setChosen(r)}
                  >
                    Download…
                  </Button>
                ) : (
                  ''
                ),
            },
          ]}
          data={state.value!.items.map(r => ({ ...r }))}
          emptyContent={
            <Box p={2}>
              <Typography>
                No evidence yet: it is kept for every evaluation once the
                tenant's assets have been evaluated.
              </Typography>
            </Box>
          }
        />
        {state.value!.more && (
          <Button onClick={() => setPages(p => p + 1)}>Older evidence</Button>
        )}
        {chosen && (
          <InfoCard
            title={`Evidence of ${new Date(
              chosen.evaluatedAt,
            ).toLocaleString()}`}
            subheader="A bundle for a framework, or one of its controls"
          >
            <DownloadForm
              key={chosen.evaluationId}
              tenantId={tenantId}
              record={chosen}
            />
          </InfoCard>
        )}
      </Box>
    </>
  );
}
