import { atLeast, SEVERITIES } from './types';

describe('severities', () => {
  it('order from critical to info, and atLeast compares by that order', () => {
    expect(SEVERITIES).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(atLeast('critical', 'high')).toBe(true);
    expect(atLeast('high', 'high')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
    expect(atLeast('info', 'low')).toBe(false);
  });
});
