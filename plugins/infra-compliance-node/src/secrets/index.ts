export * from './types';
export {
  SECRET_DETECTORS,
  secretDetector,
  secretlintDetector,
} from './detectors';
export type { SecretDetector } from './detectors';
export {
  DEFAULT_MAX_SECRET_SCAN_BYTES,
  scanSecretsInText,
  scanSecretsPath,
  sourceOf,
} from './scan';
export type { SecretScanReport, SecretTextScan, SkippedFile } from './scan';
export { secretFingerprint } from './classify';
export { secretsToSarif } from './sarif';
export { quietSecretlintProfiler } from './secretlint';
