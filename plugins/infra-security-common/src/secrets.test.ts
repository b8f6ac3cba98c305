import {
  isSecretName,
  looksLikeSecret,
  redactSecrets,
  REDACTED,
} from './secrets';

describe('secret redaction', () => {
  it('finds secrets by name, by shape and in environments and scripts, at any depth', () => {
    const jwt = `eyJ${'a'.repeat(20)}.eyJ${'b'.repeat(20)}.sig`;
    const value = {
      name: 'orders',
      nested: [{ deeper: { db_password: 'hunter2hunter2', note: jwt } }],
      environment: [
        { variables: { STRIPE: 'not-shaped-like-a-key', MODE: 'x' } },
      ],
      user_data: '#!/bin/sh\nexport TOKEN=abc',
      variables: { region: 'eu-west-1' },
      url: 'postgres://app:pa55word@db.internal/app',
      count: 3,
    };
    expect(redactSecrets(value)).toEqual({
      name: 'orders',
      nested: [{ deeper: { db_password: REDACTED, note: REDACTED } }],
      environment: [{ variables: { STRIPE: REDACTED, MODE: REDACTED } }],
      user_data: REDACTED,
      variables: { region: 'eu-west-1' },
      url: REDACTED,
      count: 3,
    });
    expect(isSecretName('master_password')).toBe(true);
    expect(isSecretName('kms_key_id')).toBe(false);
    expect(looksLikeSecret('AKIAABCDEFGHIJKLMNOP')).toBe(true);
    expect(looksLikeSecret('arn:aws:s3:::orders-bucket')).toBe(false);
  });

  it('stays linear on adversarial strings a backtracking engine chokes on', () => {
    // Each of these took seconds with the backtracking patterns this replaced.
    const inputs = [
      'eyJ-'.repeat(250_000),
      `${'a'.repeat(500_000)}.`,
      `://${'a'.repeat(500_000)}`,
    ];
    for (const input of inputs) {
      expect(looksLikeSecret(input)).toBe(false);
      expect(isSecretName(input)).toBe(false);
    }
  });
});
