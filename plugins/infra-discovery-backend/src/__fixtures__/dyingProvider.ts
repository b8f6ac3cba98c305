/*
 * A provider program that reports two assets, says on stderr what went wrong (one line holding a
 * secret), and dies without saying "done": what a crashing provider looks like to the runner.
 */
import { runProviderProgram } from '@infra-hub/plugin-infra-discovery-node';

runProviderProgram(async (_request, say) => {
  for (const n of [1, 2])
    say({
      type: 'asset',
      asset: {
        id: `test:acct:region:thing:${n}`,
        provider: 'test',
        account: 'acct',
        region: 'region',
        type: 'thing',
        nativeId: String(n),
        name: `thing ${n}`,
        tags: {},
        attributes: {},
      },
    });
  process.stderr.write('listing page 2 of the inventory\n');
  process.stderr.write(
    'retrying with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig\n',
  );
  process.stderr.write('inventory service unavailable, giving up\n');
  process.exit(9);
});
