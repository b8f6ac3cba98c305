import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { INFRA_FEATURES } from '@infra-hub/plugin-infra-hub-common';
import request from 'supertest';
import packageJson from '../package.json';
import { infraHubPlugin } from './plugin';

const userHeader = mockCredentials.user.header('user:default/priya.shah');

describe('infra-hub backend', () => {
  it('answers /health without a token', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const res = await request(server)
      .get('/api/infra-hub/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('tells a signed-in user the suite version and which features run here', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const res = await request(server)
      .get('/api/infra-hub/about')
      .set('Authorization', userHeader);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Infra Hub');
    expect(res.body.version).toBe(packageJson.version);
    expect(res.body.features.map((f: { id: string }) => f.id)).toEqual(
      INFRA_FEATURES.map(f => f.id),
    );
    const byId = Object.fromEntries(
      res.body.features.map((f: { id: string; enabled: boolean }) => [
        f.id,
        f.enabled,
      ]),
    );
    // Only this plugin is installed in the test backend.
    expect(byId.portal).toBe(true);
    expect(byId.drift).toBe(false);
    expect(byId.discovery).toBe(false);
  });

  it('filters features by the enabled query parameter', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const on = await request(server)
      .get('/api/infra-hub/about?enabled=true')
      .set('Authorization', userHeader);
    expect(on.status).toBe(200);
    expect(on.body.features.map((f: { id: string }) => f.id)).toEqual([
      'portal',
    ]);
    const off = await request(server)
      .get('/api/infra-hub/about?enabled=false')
      .set('Authorization', userHeader);
    expect(off.body.features).toHaveLength(INFRA_FEATURES.length - 1);
  });

  it('answers services as well as users', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const res = await request(server)
      .get('/api/infra-hub/about')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
  });

  it('refuses a request without a token with 401', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const res = await request(server)
      .get('/api/infra-hub/about')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('AuthenticationError');
  });

  it('refuses with 403 naming the permission when the policy denies it', async () => {
    const { server } = await startTestBackend({
      features: [
        infraHubPlugin,
        mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
      ],
    });
    const res = await request(server)
      .get('/api/infra-hub/about')
      .set('Authorization', userHeader);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toContain('infra.suite.read');
  });

  it('rejects a bad query with 400 naming the parameter', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const bad = await request(server)
      .get('/api/infra-hub/about?enabled=maybe')
      .set('Authorization', userHeader);
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe('InputError');
    expect(bad.body.error.message).toContain('enabled');

    const unknown = await request(server)
      .get('/api/infra-hub/about?tenant=harbor-bank')
      .set('Authorization', userHeader);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('tenant');
  });

  it('serves its OpenAPI document to authenticated callers', async () => {
    const { server } = await startTestBackend({ features: [infraHubPlugin] });
    const res = await request(server)
      .get('/api/infra-hub/openapi.json')
      .set('Authorization', userHeader);
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/infra-hub/about', '/api/infra-hub/health']),
    );
    const anonymous = await request(server)
      .get('/api/infra-hub/openapi.json')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });
});
