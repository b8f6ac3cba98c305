import { readRequest, say } from './common.mjs';

const request = await readRequest();
process.stderr.write(`debug: using secret key ${request.credentials.secretKey}\n`);
say({ type: 'warning', message: `could not list buckets with key ${request.credentials.secretKey}` });
say({ type: 'done' });
