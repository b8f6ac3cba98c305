/**
 * Infra Hub chat backend: `/api/infra-chat`.
 *
 * @packageDocumentation
 */
export { infraChatPlugin as default } from './plugin';
