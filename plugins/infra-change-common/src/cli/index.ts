/**
 * The command-line programs of the change-control common package (`infra-verify`).
 *
 * @packageDocumentation
 */
export { runInfraVerify } from './infraVerify';
export type { CliIo } from './infraVerify';
