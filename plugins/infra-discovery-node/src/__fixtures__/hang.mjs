import { readRequest, say } from './common.mjs';

await readRequest();
say({ type: 'progress', message: 'waiting forever' });
setInterval(() => {}, 1000);
