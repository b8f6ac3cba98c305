import { mockServices } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { InfraPluginClient } from './pluginClient';

type Seen = {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body: string;
};

/** A plugin's HTTP API on a local port: records what it was sent, answers as told. */
async function fakePlugin(answer: (seen: Seen) => [number, unknown?]) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => {
      body += c;
    });
    req.on('end', () => {
      const s = {
        method: req.method,
        url: req.url,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body,
      };
      seen.push(s);
      const [status, json] = answer(s);
      res.statusCode = status;
      if (json === undefined) res.end();
      else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(json));
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
  });
  return { seen, discovery, close: () => server.close() };
}

describe('InfraPluginClient', () => {
  it('calls the plugin with its own service token, query and JSON body', async () => {
    const plugin = await fakePlugin(() => [200, { items: [1, 2] }]);
    try {
      const client = new InfraPluginClient({
        discovery: plugin.discovery,
        auth: mockServices.auth({ pluginId: 'catalog' }),
        pluginId: 'infra-discovery',
      });
      const answer = await client.request<{ items: number[] }>(
        '/tenants/cartwheel/changes',
        { query: { limit: 5, after: undefined, includeRemoved: false } },
      );
      expect(answer).toEqual({ items: [1, 2] });
      await client.request('/audit/events', { body: { scope: 'system' } });
      await client.request('/tenants/cartwheel/plan-checks', {
        jsonText: '{ "format_version": "1.2" }',
      });
      expect(plugin.seen[0]).toMatchObject({
        method: 'GET',
        url: '/api/infra-discovery/tenants/cartwheel/changes?limit=5&includeRemoved=false',
        authorization: expect.stringMatching(/^Bearer .+/),
      });
      expect(plugin.seen[0].authorization).toContain('infra-discovery');
      expect(plugin.seen[1]).toMatchObject({
        method: 'POST',
        contentType: 'application/json',
        body: '{"scope":"system"}',
      });
      // JSON text goes as it is, byte for byte.
      expect(plugin.seen[2]).toMatchObject({
        method: 'POST',
        contentType: 'application/json',
        body: '{ "format_version": "1.2" }',
      });
    } finally {
      plugin.close();
    }
  });

  it('sends no token without auth, and throws a ResponseError with the status otherwise', async () => {
    const plugin = await fakePlugin(s =>
      s.url?.endsWith('/gone')
        ? [
            404,
            {
              error: { name: 'NotFoundError', message: 'No such thing' },
              request: { method: 'GET', url: s.url },
              response: { statusCode: 404 },
            },
          ]
        : [204],
    );
    try {
      const client = new InfraPluginClient({
        discovery: plugin.discovery,
        pluginId: 'infra-security',
      });
      await expect(
        client.request('/ok', { method: 'DELETE' }),
      ).resolves.toBeUndefined();
      expect(plugin.seen[0].authorization).toBeUndefined();
      const error = (await client
        .request('/gone')
        .catch(e => e)) as ResponseError;
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(404);
      expect(error.cause.message).toBe('No such thing');
    } finally {
      plugin.close();
    }
  });
});
