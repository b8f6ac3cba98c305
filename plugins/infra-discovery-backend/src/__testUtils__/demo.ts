import {
  readState,
  stateToGraph,
} from '@infra-hub/plugin-infra-discovery-backend-module-terraform';
import fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(__dirname, '../../../..');

/** The asset graph of one of the demo estate's state files, as the Terraform provider reads it. */
export function demoGraph(tenant: string, stack: string) {
  const file = path.join(
    repo,
    'examples/terraform',
    tenant,
    'live',
    stack,
    'terraform.tfstate',
  );
  return stateToGraph(readState(fs.readFileSync(file, 'utf8')));
}
