import { z } from 'zod';
import { parseProviderSettings } from './settings';

const schema = z.strictObject({
  regions: z
    .array(
      z.string().regex(/^[a-z]+-[a-z]+-\d$/, { error: 'must be a region' }),
    )
    .min(1, { error: 'must not be empty' }),
  accounts: z
    .array(z.object({ roleArn: z.string({ error: 'must be an ARN' }) }))
    .optional(),
});

class SettingsError extends Error {
  name = 'SettingsError';
}

const parse = (raw: unknown) =>
  parseProviderSettings(schema, raw, {
    kind: 'aws',
    makeError: m => new SettingsError(m),
  });

describe('parseProviderSettings', () => {
  it('returns what the schema makes of good settings', () => {
    expect(parse({ regions: ['eu-west-1'] })).toEqual({
      regions: ['eu-west-1'],
    });
  });

  it.each([
    [{ regions: [] }, 'settings.regions must not be empty'],
    [
      { regions: ['eu-west-1', 'moon'] },
      'settings.regions[1] must be a region',
    ],
    [
      { regions: ['eu-west-1'], accounts: [{ roleArn: 7 }] },
      'settings.accounts[0].roleArn must be an ARN',
    ],
    [
      { regions: ['eu-west-1'], region: 'eu-west-1' },
      'settings.region is not an aws setting (known: regions, accounts)',
    ],
  ])('names the key that is wrong: %j', (raw, message) => {
    expect(() => parse(raw)).toThrow(
      expect.objectContaining({ name: 'SettingsError', message }),
    );
  });
});
