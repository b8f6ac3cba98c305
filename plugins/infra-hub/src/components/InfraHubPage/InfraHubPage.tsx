import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { InfraFeatureStatus } from '@infra-hub/plugin-infra-hub-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { infraHubApiRef } from '../../api';

const columns: TableColumn<InfraFeatureStatus>[] = [
  { title: 'Feature', field: 'title', width: '20%' },
  { title: 'What it does', field: 'description' },
  { title: 'Backend plugin', field: 'pluginId', width: '15%' },
  {
    title: 'Status',
    field: 'enabled',
    width: '15%',
    cellStyle: { whiteSpace: 'nowrap' },
    render: feature =>
      feature.enabled ? (
        <StatusOK>Enabled</StatusOK>
      ) : (
        <StatusPending>Not installed</StatusPending>
      ),
  },
];

/** The body of the page, shared by both frontend systems. */
export const InfraHubContent = () => {
  const api = useApi(infraHubApiRef);
  const { value, loading, error } = useAsync(() => api.getAbout(), [api]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value || value.features.length === 0) {
    return (
      <EmptyState
        missing="info"
        title="No Infra Hub features reported"
        description="The infra-hub backend answered without any features. Check that the backend runs the suite's plugins."
      />
    );
  }
  const enabled = value.features.filter(f => f.enabled).length;
  return (
    <>
      <ContentHeader title={`${value.name} ${value.version}`} />
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard title="This portal">
            <Typography variant="body1">
              {enabled} of {value.features.length} suite features run in this
              portal. A feature runs when its backend plugin is installed in the
              backend.
            </Typography>
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Table<InfraFeatureStatus>
            title="Suite features"
            options={{ paging: false, search: false, padding: 'dense' }}
            columns={columns}
            data={value.features}
          />
        </Grid>
      </Grid>
    </>
  );
};

/**
 * The Infra Hub page: the suite's version and which of its features this portal runs.
 *
 * @public
 */
export const InfraHubPage = () => (
  <Page themeId="tool">
    <Header
      title="Infra Hub"
      subtitle="Infrastructure discovery, compliance, drift and change control"
    />
    <Content>
      <InfraHubContent />
    </Content>
  </Page>
);
