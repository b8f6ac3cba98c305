/*
 * A provider program on the shared helper that prints far more than a pipe holds (settings.count
 * assets of about 1 KB each), then, with settings.failAfter, writes to stderr and fails.
 */
import { runProviderProgram } from '../program';

runProviderProgram(async ({ settings }, say) => {
  const count = Number(settings.count);
  const padding = 'x'.repeat(900);
  for (let i = 0; i < count; i++) {
    say({
      type: 'asset',
      asset: {
        id: `test:acct:region:thing:${i}`,
        provider: 'test',
        account: 'acct',
        region: 'region',
        type: 'thing',
        nativeId: String(i),
        name: `thing ${i}`,
        tags: {},
        attributes: { padding },
      },
    });
  }
  if (settings.failAfter) {
    process.stderr.write('reading page 3 of the inventory\n');
    process.stderr.write('token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 rejected\n');
    process.stderr.write('giving up after 3 retries\n');
    process.exit(7);
  }
});
