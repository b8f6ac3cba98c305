import { pageLimit, toCsv } from './routeKit';

describe('the route kit', () => {
  it('takes page sizes within bounds and names a bad one', () => {
    expect(pageLimit(undefined, { fallback: 50, max: 200 })).toBe(50);
    expect(pageLimit('20', { fallback: 50, max: 200 })).toBe(20);
    expect(pageLimit(5000, { fallback: 50, max: 200 })).toBe(200);
    for (const bad of ['0', '-1', '2.5', 'abc'])
      expect(() => pageLimit(bad, { fallback: 50, max: 200 })).toThrow(
        "Query parameter 'limit' must be a whole number from 1 to 200",
      );
  });

  it('writes CSV with every cell quoted and formulas defused', () => {
    expect(
      toCsv(
        ['name', 'details', 'n'],
        [
          ['=HYPERLINK("x")', { a: 1 }, 3],
          ['plain "quoted"', undefined, null],
        ],
      ),
    ).toBe(
      [
        '"name","details","n"',
        `"'=HYPERLINK(""x"")","{""a"":1}","3"`,
        '"plain ""quoted""","",""',
        '',
      ].join('\r\n'),
    );
  });
});
