import { ResponseError } from '@backstage/errors';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { InfraHubAbout } from '@infra-hub/plugin-infra-hub-common';
import { screen } from '@testing-library/react';
import { InfraHubApi, infraHubApiRef } from '../../api';
import { InfraHubPage } from './InfraHubPage';

const about: InfraHubAbout = {
  name: 'Infra Hub',
  version: '0.1.0',
  features: [
    {
      id: 'portal',
      title: 'Portal',
      description: 'The portal itself.',
      pluginId: 'infra-hub',
      enabled: true,
    },
    {
      id: 'drift',
      title: 'Drift and change control',
      description: 'Drift detection and signed approvals.',
      pluginId: 'infra-drift',
      enabled: false,
    },
  ],
};

function renderWith(api: InfraHubApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[infraHubApiRef, api]]}>
      <InfraHubPage />
    </TestApiProvider>,
  );
}

describe('InfraHubPage', () => {
  it('shows the suite version and which features this portal runs', async () => {
    renderWith({ getAbout: async () => about });
    expect(await screen.findByText('Infra Hub 0.1.0')).toBeInTheDocument();
    expect(
      screen.getByText(/1 of 2 suite features run in this portal/),
    ).toBeInTheDocument();
    const portalRow = screen.getByText('Portal').closest('tr')!;
    expect(portalRow).toHaveTextContent('Enabled');
    const driftRow = screen
      .getByText('Drift and change control')
      .closest('tr')!;
    expect(driftRow).toHaveTextContent('Not installed');
  });

  it('shows the backend error when the API fails', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'Not allowed to read the suite',
        },
        request: { method: 'GET', url: '/about' },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'Content-Type': 'application/json' } },
    );
    const error = await ResponseError.fromResponse(response);
    renderWith({
      getAbout: async () => {
        throw error;
      },
    });
    expect(
      await screen.findByText(/Not allowed to read the suite/),
    ).toBeInTheDocument();
  });

  it('says so when the backend reports no features', async () => {
    renderWith({ getAbout: async () => ({ ...about, features: [] }) });
    expect(
      await screen.findByText('No Infra Hub features reported'),
    ).toBeInTheDocument();
  });
});
