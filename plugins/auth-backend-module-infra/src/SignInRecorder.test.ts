import { subjectOf } from './SignInRecorder';

const part = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

describe('subjectOf', () => {
  it('reads the subject of a token the auth plugin issued', () => {
    const token = `${part({ alg: 'ES256', typ: 'vnd.backstage.user' })}.${part({
      sub: 'user:default/priya.shah',
      ent: ['user:default/priya.shah'],
    })}.c2lnbmF0dXJl`;
    expect(subjectOf(token)).toBe('user:default/priya.shah');
  });

  it.each([
    ['not a JWT', 'opaque-token'],
    ['a payload that is not JSON', `${part({ alg: 'none' })}.bm90IGpzb24.x`],
    ['a payload without a subject', `${part({ alg: 'none' })}.${part({})}.x`],
  ])('answers undefined for %s', (_what, token) => {
    expect(subjectOf(token)).toBeUndefined();
  });
});
