import { asset, readRequest, say } from './common.mjs';

const request = await readRequest();
say({ type: 'progress', message: 'starting', done: 0, total: 2 });
say({ type: 'asset', asset: asset(1) });
say({ type: 'asset', asset: asset(2) });
say({ type: 'edge', edge: { from: asset(1).id, to: asset(2).id, type: 'depends_on' } });
// What the provider can see of its own process, for the test to check.
say({
  type: 'warning',
  message: JSON.stringify({
    env: Object.keys(process.env).sort(),
    argv: process.argv.slice(2),
    settings: request.settings,
    credentialReceived: request.credentials?.secretKey === 'wJalrXUtnFEMI-secret',
  }),
});
say({ type: 'done' });
