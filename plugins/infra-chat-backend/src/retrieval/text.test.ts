import { describe, expect, it } from 'vitest';
import { dot, localEmbedding, scrubText, searchTerms, snippetOf } from './text';

describe('scrubText', () => {
  it.each([
    [
      'token ghp_Zq8vN3kR5tW1yB7cD9fH2jL4mP6sX0aQeU3i here',
      'token (sensitive) here',
    ],
    ['key AKIAZ7QWERTYUIOPLKJH.', 'key (sensitive)'],
    ['password: hunter2-horse and more', 'password: (sensitive) and more'],
    ['db_password=s3cr3t!', 'db_password=(sensitive)'],
    ['api_key = abc123', 'api_key = (sensitive)'],
    ['"client_secret":"xyz"', '"client_secret":(sensitive)'],
    ['url postgres://app:pw12345@db.internal/app', 'url (sensitive)'],
    [
      'before -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY----- after',
      'before (sensitive) after',
    ],
    ['the token count is high', 'the token count is high'],
    ['Rotate the credentials monthly', 'Rotate the credentials monthly'],
  ])('%j', (input, expected) => {
    const out = scrubText(input);
    expect(out.startsWith(expected.split('(sensitive)')[0])).toBe(true);
    if (expected.includes('(sensitive)')) expect(out).toContain('(sensitive)');
    else expect(out).toBe(expected);
    for (const secret of [
      'ghp_Zq8',
      'AKIAZ7',
      'hunter2',
      's3cr3t',
      'abc123',
      'xyz',
      'pw12345',
      'MIIEow',
    ]) {
      expect(out).not.toContain(secret);
    }
  });

  it('is linear in its input', () => {
    // A long run of what almost looks like a secret name and separator.
    const text = 'password:'.repeat(50_000) + ' x'.repeat(50_000);
    expect(scrubText(text).length).toBeGreaterThan(0);
    expect(scrubText('-----BEGIN'.repeat(20_000))).toBe('(sensitive)');
    // Long runs of quotes and brackets, trimmed around words, not backtracked over.
    const quotes = `${'"'.repeat(200_000)}x ${"'".repeat(
      200_000,
    )}=y ${'('.repeat(200_000)}`;
    expect(scrubText(quotes)).toBe(quotes);
  });
});

describe('search terms, snippets, the local embedder', () => {
  it('keeps the words that matter, once, as [a-z0-9]+', () => {
    expect(
      searchTerms(
        "What's exposed to the Internet in Harbor? (harbor; 'DROP TABLE')",
      ),
    ).toEqual(['exposed', 'internet', 'harbor', 'drop', 'table']);
    expect(searchTerms('the of and')).toEqual([]);
  });

  it('cuts the passage that holds the terms', () => {
    const body = `${'filler line\n'.repeat(
      60,
    )}the bucket is public and unencrypted\n${'more\n'.repeat(60)}`;
    const snippet = snippetOf(body, ['bucket', 'public']);
    expect(snippet).toMatch(/^…the bucket is public/);
    expect(snippet.length).toBeLessThanOrEqual(282);
  });

  it('puts texts sharing words and word parts close, deterministically', () => {
    const a = localEmbedding('public storage buckets');
    expect(localEmbedding('public storage buckets')).toEqual(a);
    const near = dot(a, localEmbedding('a public bucket'));
    const far = dot(a, localEmbedding('database encryption at rest'));
    expect(near).toBeGreaterThan(far);
    expect(Math.abs(dot(a, a) - 1)).toBeLessThan(1e-5);
  });
});
