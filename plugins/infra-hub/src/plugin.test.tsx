import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  renderInTestApp as renderInLegacyTestApp,
  TestApiProvider as LegacyTestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { InfraHubApi, infraHubApiRef } from './api';
import {
  infraHubPage,
  infraHubPlugin,
  InfraHubPage,
  legacyInfraHubPlugin,
} from './plugin';
import { Route, Routes } from 'react-router-dom';

const api: InfraHubApi = {
  getAbout: async () => ({
    name: 'Infra Hub',
    version: '9.9.9',
    features: [
      {
        id: 'portal',
        title: 'Portal',
        description: 'The portal itself.',
        pluginId: 'infra-hub',
        enabled: true,
      },
    ],
  }),
};

describe('infra-hub frontend plugin', () => {
  it('renders its page extension in the current frontend system', async () => {
    expect(infraHubPlugin.pluginId).toBe('infra-hub');
    const tester = createExtensionTester(infraHubPage, {
      apis: [[infraHubApiRef, api]],
    });
    await renderInTestApp(tester.reactElement(), {
      apis: [[infraHubApiRef, api]],
    });
    expect(await screen.findByText('Infra Hub 9.9.9')).toBeInTheDocument();
  });

  it('renders the same page for apps on the legacy frontend system', async () => {
    expect(legacyInfraHubPlugin.getId()).toBe('infra-hub');
    await renderInLegacyTestApp(
      <LegacyTestApiProvider apis={[[infraHubApiRef, api]]}>
        <Routes>
          <Route path="/infra-hub" element={<InfraHubPage />} />
        </Routes>
      </LegacyTestApiProvider>,
      { routeEntries: ['/infra-hub'] },
    );
    expect(await screen.findByText('Infra Hub 9.9.9')).toBeInTheDocument();
  });
});
