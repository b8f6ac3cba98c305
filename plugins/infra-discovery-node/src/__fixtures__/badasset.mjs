import { readRequest, say } from './common.mjs';

await readRequest();
say({ type: 'asset', asset: { id: 'x' } });
say({ type: 'done' });
