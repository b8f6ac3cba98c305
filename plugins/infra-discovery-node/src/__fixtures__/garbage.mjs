import { readRequest } from './common.mjs';

await readRequest();
process.stdout.write('Hello! I am not a protocol message.\n');
setInterval(() => {}, 1000);
