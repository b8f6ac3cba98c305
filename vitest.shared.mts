import { defineProject } from 'vitest/config';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The vitest project of one workspace package. `node` packages run in Node with Backstage's
 * backend test utilities usable (they expect a global `jest`); `web` packages run in jsdom with
 * Testing Library's matchers.
 */
export function infraProject(kind: 'node' | 'web', packageDir: string) {
  const name = path.relative(root, packageDir);
  return defineProject({
    test: {
      name,
      root: packageDir,
      globals: true,
      environment: kind === 'web' ? 'jsdom' : 'node',
      include: ['src/**/*.test.{ts,tsx}'],
      setupFiles: [
        path.join(root, 'packages/test-utils/src/setup', `${kind}.ts`),
      ],
      // Bundled by vite rather than loaded by Node: this package imports @mui/material folders,
      // which Node's ES module loader refuses.
      server: { deps: { inline: ['material-ui-popup-state'] } },
      testTimeout: 60_000,
      hookTimeout: 120_000,
    },
  });
}
