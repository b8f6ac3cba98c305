/**
 * Sign-in providers of the Infra Hub portal that audit every sign-in.
 *
 * @packageDocumentation
 */
export { authModuleInfra as default, auditedResolver } from './module';
export { SignInRecorder } from './SignInRecorder';
