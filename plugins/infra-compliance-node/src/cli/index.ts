/**
 * The command-line programs of the compliance engine (`infra-scan`, `infra-secrets`).
 *
 * @packageDocumentation
 */
export { runInfraScan } from './infraScan';
export { runInfraSecrets } from './infraSecrets';
export type { ScanIo } from './infraScan';
