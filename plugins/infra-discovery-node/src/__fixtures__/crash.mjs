import { asset, readRequest, say } from './common.mjs';

await readRequest();
say({ type: 'asset', asset: asset(1) });
process.stderr.write('fatal: lost connection to the state backend\n');
process.exit(3);
