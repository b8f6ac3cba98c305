import {
  decodeCursor,
  encodeCursor,
  isUniqueViolation,
  toIso,
} from './database';

describe('paging cursors', () => {
  it('give back the values they were made of, typed by their parts', () => {
    const cursor = encodeCursor(1764600000123, 'plan|with\u0000odd chars');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, ['number', 'string'])).toEqual([
      1764600000123,
      'plan|with\u0000odd chars',
    ]);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON but not a list', Buffer.from('{"a":1}').toString('base64url')],
    ['too few parts', encodeCursor(1)],
    ['too many parts', encodeCursor(1, 'a', 'b')],
    ['a string where a number goes', encodeCursor('1', 'a')],
    ['an empty string part', encodeCursor(1, '')],
    ['a cursor from before (iso|id)', '2026-01-01T00:00:00.000Z|abc'],
    ['an endless cursor', encodeCursor(1, 'x'.repeat(5000))],
  ])('refuse %s with a 400 naming the cursor', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['number', 'string'])).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: 'Invalid paging cursor',
      }),
    );
  });
});

describe('database helpers', () => {
  it('writes timestamps as ISO and leaves absent ones absent', () => {
    expect(toIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toIso(null)).toBeUndefined();
  });

  it('recognises unique violations of PostgreSQL and SQLite only', () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe(
      true,
    );
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(new Error('duplicate key'))).toBe(false);
  });
});
