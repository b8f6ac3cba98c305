import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A backend with only this plugin, for working on it alone: `yarn start` in this folder.
// Auth is mocked so that `curl localhost:7007/api/infra-hub/about` answers without a token.
const backend = createBackend();
backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));
backend.start();
