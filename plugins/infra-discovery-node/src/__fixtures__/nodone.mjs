import { asset, readRequest, say } from './common.mjs';

await readRequest();
say({ type: 'asset', asset: asset(1) });
