import { readRequest, say } from './common.mjs';

await readRequest();
say({ type: 'progress', message: 'eating memory' });
const keep = [];
setInterval(() => {
  for (let i = 0; i < 5; i++) keep.push(Buffer.alloc(10 * 1024 * 1024, 1));
}, 20);
