import { corpusPath } from '@infra-hub/test-utils';
import { parseOscalCatalog, readOscalCatalog } from './catalog';

describe('OSCAL catalogs', () => {
  it("reads every control title of NIST's SP 800-53 rev 5 catalog, enhancements included", () => {
    const catalog = readOscalCatalog(
      corpusPath('oscal', 'NIST_SP-800-53_rev5_catalog-min.json'),
    );
    expect(catalog.version).toBe('5.0.1');
    // 322 base controls and 867 enhancements.
    expect(catalog.controls.size).toBe(1189);
    expect(catalog.controls.get('sc-7')).toBe('Boundary Protection');
    expect(catalog.controls.get('sc-28.1')).toBe('Cryptographic Protection');
    const moderate = readOscalCatalog(
      corpusPath(
        'oscal',
        'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json',
      ),
    );
    expect(moderate.controls.size).toBe(287);
  });

  it('refuses what is not a catalog, naming the file', () => {
    expect(() => parseOscalCatalog('{', 'a.json')).toThrow(
      /^a\.json:1: not JSON/,
    );
    expect(() => parseOscalCatalog('{"profile":{}}', 'b.json')).toThrow(
      /^b\.json:1: not an OSCAL catalog/,
    );
    expect(() =>
      parseOscalCatalog('{"catalog":{"metadata":{"title":"x"}}}', 'c.json'),
    ).toThrow(/without controls/);
    expect(() => readOscalCatalog('/no/such/catalog.json')).toThrow(
      /no such file/,
    );
  });
});
