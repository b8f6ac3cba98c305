/**
 * The command-line program of the compliance engine (`infra-scan`).
 *
 * @packageDocumentation
 */
export { runInfraScan } from './infraScan';
export type { ScanIo } from './infraScan';
