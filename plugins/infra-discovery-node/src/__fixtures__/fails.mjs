import { asset, readRequest, say } from './common.mjs';

await readRequest();
say({ type: 'asset', asset: asset(1) });
say({ type: 'error', message: 'AccessDenied: not authorized to perform s3:ListAllMyBuckets' });
setInterval(() => {}, 1000);
