import { InfraHubAbout } from '@infra-hub/plugin-infra-hub-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { InfraHubClient } from './InfraHubApi';

// A real HTTP server on loopback standing in for the backend plugin.
async function serve(
  handler: http.RequestListener,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/infra-hub`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

describe('InfraHubClient', () => {
  it('reads /about with the token fetchApi adds', async () => {
    const about: InfraHubAbout = {
      name: 'Infra Hub',
      version: '1.2.3',
      features: [],
    };
    const seen: Array<{ url?: string; auth?: string }> = [];
    const backend = await serve((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(about));
    });
    try {
      const client = new InfraHubClient({
        discoveryApi: { getBaseUrl: async () => backend.url },
        fetchApi: {
          fetch: (input, init) =>
            fetch(input, {
              ...init,
              headers: { Authorization: 'Bearer user-token' },
            }),
        },
      });
      await expect(client.getAbout()).resolves.toEqual(about);
      expect(seen).toEqual([
        { url: '/api/infra-hub/about', auth: 'Bearer user-token' },
      ]);
    } finally {
      await backend.close();
    }
  });

  it("throws the backend's error, with its message and status", async () => {
    const backend = await serve((_req, res) => {
      res.statusCode = 403;
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'Not allowed (infra.suite.read)',
          },
          request: { method: 'GET', url: '/about' },
          response: { statusCode: 403 },
        }),
      );
    });
    try {
      const client = new InfraHubClient({
        discoveryApi: { getBaseUrl: async () => backend.url },
        fetchApi: { fetch },
      });
      await expect(client.getAbout()).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
        body: { error: { message: 'Not allowed (infra.suite.read)' } },
      });
    } finally {
      await backend.close();
    }
  });
});
