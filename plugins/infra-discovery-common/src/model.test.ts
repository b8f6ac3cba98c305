import { assetId, parseAssetId } from './model';

describe('asset ids', () => {
  it('are stable and split back into their parts, ARNs included', () => {
    const parts = {
      provider: 'aws',
      account: '210987654321',
      region: 'eu-west-1',
      type: 'aws_lambda_function',
      nativeId:
        'arn:aws:lambda:eu-west-1:210987654321:function:cartwheel-order-events-processor',
    };
    const id = assetId(parts);
    expect(id).toBe(
      'aws:210987654321:eu-west-1:aws_lambda_function:arn:aws:lambda:eu-west-1:210987654321:function:cartwheel-order-events-processor',
    );
    expect(assetId(parts)).toBe(id);
    expect(parseAssetId(id)).toEqual(parts);
  });

  it('keep colons out of the fixed segments and mark missing ones', () => {
    expect(
      assetId({
        provider: 'null',
        account: '',
        region: '',
        type: 'null_resource',
        nativeId: '42',
      }),
    ).toBe('null:-:-:null_resource:42');
    expect(
      parseAssetId(
        assetId({
          provider: 'a:b',
          account: 'c',
          region: 'd',
          type: 'e',
          nativeId: 'f',
        }),
      ).provider,
    ).toBe('a_b');
    expect(() => parseAssetId('not-an-id')).toThrow(/Not an asset id/);
  });
});
