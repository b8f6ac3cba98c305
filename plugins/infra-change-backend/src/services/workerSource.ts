import fs from 'node:fs';

/**
 * The code that starts one of this package's worker programs (`./plan-worker`,
 * `./verify-worker`): compiled JavaScript in dist when installed (or bundled); in a source
 * checkout the TypeScript source, run with Backstage's transform. Undefined when it cannot be
 * found (the work is then done on the event loop).
 */
export function workerSource(
  entry: 'plan-worker' | 'verify-worker',
): string | undefined {
  let file: string;
  try {
    file = require.resolve(`@infra-hub/plugin-infra-change-backend/${entry}`);
  } catch {
    return undefined;
  }
  if (!fs.existsSync(file)) return undefined;
  if (!/\.tsx?$/.test(file)) return `require(${JSON.stringify(file)});`;
  const transform = require.resolve(
    '@backstage/cli-node/config/nodeTransform.cjs',
  );
  return `require(${JSON.stringify(transform)}); require(${JSON.stringify(
    file,
  )});`;
}
