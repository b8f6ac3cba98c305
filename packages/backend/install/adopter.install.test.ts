import { collectOutput, freePort, waitForBackend } from '@infra-hub/test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exec, expectDiscoveryAndPlan, repo, yarn, yarnRelease } from './shell';

// The adopter's path, as docs/install.md tells it: every package of the suite packed as the
// registry would serve it, a fresh Backstage app rendered from the official template
// (@backstage/create-app), the packs installed into its backend, the backend wired and configured
// as the guide says, and started. A Terraform state discovery must find the assets, a plan upload
// must be analysed, and `yarn infra-verify` must run from the installed package.

const CREATE_APP = '@backstage/create-app@0.9.2';
const estate = path.join(
  repo,
  'examples/terraform/cartwheel/live/storefront-prod/terraform.tfstate',
);

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file: string, value: unknown) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** Every package of the suite, packed (workspace: ranges become versions) into `dir`. */
function packSuite(dir: string): Map<string, string> {
  yarn(['tsc'], repo);
  yarn(['backstage-cli', 'repo', 'build'], repo);
  const packs = new Map<string, string>();
  for (const folder of fs.readdirSync(path.join(repo, 'plugins'))) {
    const pkgDir = path.join(repo, 'plugins', folder);
    if (!fs.existsSync(path.join(pkgDir, 'package.json'))) continue;
    const { name } = readJson(path.join(pkgDir, 'package.json'));
    const file = path.join(dir, `${folder}.tgz`);
    yarn(['pack', '--out', file], pkgDir);
    packs.set(name, file);
  }
  return packs;
}

/** The official app template, rendered offline the way `npx @backstage/create-app` does it. */
function renderApp(dir: string): string {
  const work = path.join(dir, 'create-app');
  fs.mkdirSync(work);
  exec('npm', ['pack', CREATE_APP, '--silent'], work);
  const tarball = fs.readdirSync(work).find(f => f.endsWith('.tgz'))!;
  exec('tar', ['-xzf', tarball], work);
  const pkg = path.join(work, 'package');
  exec(
    'npm',
    [
      'install',
      '--omit=dev',
      '--ignore-scripts',
      '--legacy-peer-deps',
      '--silent',
    ],
    pkg,
  );
  const app = path.join(dir, 'app');
  exec(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(
        path.join(pkg, 'dist/lib/tasks.cjs.js'),
      )}).templatingTask(${JSON.stringify(
        path.join(pkg, 'templates/default-app'),
      )}, ${JSON.stringify(app)}, { name: 'app', defaultBranch: 'main' })` +
        '.catch(e => { console.error(e); process.exit(1); })',
    ],
    dir,
  );
  return app;
}

/** The @backstage versions of this repository's lockfile: the release the suite is built on. */
function backstageRelease(): Record<string, string> {
  const lock = fs.readFileSync(path.join(repo, 'yarn.lock'), 'utf8');
  const versions: Record<string, string> = {};
  const entry =
    /^"?(@backstage\/[a-z0-9-]+)@npm:[^\n]*\n {2}version: ([^\n]+)$/gm;
  for (const m of lock.matchAll(entry)) versions[m[1]] = m[2].trim();
  return versions;
}

/** What docs/install.md asks of an adopter's backend. */
function adopt(app: string, packs: Map<string, string>) {
  const rootPkg = readJson(path.join(app, 'package.json'));
  rootPkg.engines = { node: '20 || 22 || 24' };
  rootPkg.resolutions = {
    ...rootPkg.resolutions,
    // One Backstage release for every @backstage package (the template's caret ranges span two).
    ...backstageRelease(),
    'node-gyp': '^10.3.1',
    // The packs stand in for the registry.
    ...Object.fromEntries(
      [...packs].map(([name, file]) => [name, `file:${file}`]),
    ),
  };
  rootPkg.dependenciesMeta = { keytar: { built: false } };
  writeJson(path.join(app, 'package.json'), rootPkg);

  const backendPkgFile = path.join(app, 'packages/backend/package.json');
  const backendPkg = readJson(backendPkgFile);
  const deps = backendPkg.dependencies;
  // Migration notes: the app's allow-all policy and Backstage's guest provider module go.
  delete deps['@backstage/plugin-permission-backend-module-allow-all-policy'];
  delete deps['@backstage/plugin-auth-backend-module-guest-provider'];
  deps['@backstage/plugin-events-backend'] =
    backstageRelease()['@backstage/plugin-events-backend'];
  for (const name of packs.keys()) {
    if (/-(backend|node|common)$|-backend-module-/.test(name))
      deps[name] = '^0.1.0';
  }
  writeJson(backendPkgFile, backendPkg);

  const indexFile = path.join(app, 'packages/backend/src/index.ts');
  let index = fs.readFileSync(indexFile, 'utf8');
  index = index
    .replace(
      "import { createBackend } from '@backstage/backend-defaults';",
      "import { createBackend } from '@backstage/backend-defaults';\nimport { infraApiKeyTokenHandlerFactory } from '@infra-hub/plugin-infra-security-node';\nimport { infraLocalGitUrlReader } from '@infra-hub/plugin-scaffolder-backend-module-infra';",
    )
    .replace(
      "backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));",
      "backend.add(import('@infra-hub/plugin-auth-backend-module-infra'));",
    )
    .replace(
      /backend\.add\(\s*import\('@backstage\/plugin-permission-backend-module-allow-all-policy'\),?\s*\);/,
      "backend.add(import('@infra-hub/plugin-permission-backend-module-infra'));",
    )
    .replace(
      'backend.start();',
      [
        "backend.add(import('@backstage/plugin-events-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-hub-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-security-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-discovery-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-discovery-backend-module-terraform'));",
        "backend.add(import('@infra-hub/plugin-catalog-backend-module-infra'));",
        "backend.add(import('@infra-hub/plugin-infra-change-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-compliance-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-chat-backend'));",
        "backend.add(import('@infra-hub/plugin-infra-pipelines-backend'));",
        "backend.add(import('@infra-hub/plugin-scaffolder-backend-module-infra'));",
        'backend.add(infraLocalGitUrlReader);',
        'backend.add(infraApiKeyTokenHandlerFactory);',
        'backend.start().catch(error => {',
        '  console.error(error);',
        '  process.exit(1);',
        '});',
      ].join('\n'),
    );
  expect(index).toContain('plugin-permission-backend-module-infra');
  expect(index).not.toContain('allow-all-policy');
  fs.writeFileSync(indexFile, index);

  // The guide's configuration, with the template's guest as the tenant's admin.
  fs.appendFileSync(
    path.join(app, 'app-config.yaml'),
    `
infra:
  security:
    vault:
      activeKey: k1
      keys:
        k1: ${Buffer.alloc(32, 9).toString('base64')}
    bootstrap:
      systemAdmins: [user:development/guest]
      tenants:
        acme:
          title: Acme
          members:
            tenant-admin: [user:development/guest]
  discovery:
    sources:
      acme:
        storefront:
          name: Storefront (Terraform state)
          provider: terraform
          settings:
            type: file
            path: ${estate}
          schedule:
            frequency: { hours: 1 }
            timeout: { minutes: 10 }
            initialDelay: { seconds: 3 }
  catalog:
    tenants:
      acme:
        owner: group:default/guests
`,
  );
}

describe('the packed suite in a fresh Backstage app (docs/install.md)', () => {
  let dir = '';
  let backend: ChildProcess | undefined;
  let output = () => '';

  afterAll(async () => {
    if (backend && backend.exitCode === null) {
      const exited = new Promise(resolve => backend!.once('exit', resolve));
      // The whole group: `yarn start` runs the backend as a child of its own.
      try {
        process.kill(-backend.pid!, 'SIGKILL');
      } catch {
        backend.kill('SIGKILL');
      }
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('installs, starts, discovers the demo state, evaluates it, analyses a plan and verifies evidence', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infra-hub-adopter-'));
    const packDir = path.join(dir, 'packs');
    fs.mkdirSync(packDir);
    const packs = packSuite(packDir);
    expect(packs.size).toBeGreaterThanOrEqual(20);
    const app = renderApp(dir);
    adopt(app, packs);
    yarn(['workspaces', 'focus', 'backend', 'root'], app);

    const port = await freePort();
    backend = spawn(process.execPath, [yarnRelease, 'start'], {
      cwd: path.join(app, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    output = collectOutput(backend);
    const base = `http://localhost:${port}`;
    await waitForBackend(backend, base, output, 240_000);

    await expectDiscoveryAndPlan({
      baseUrl: base,
      tenantId: 'acme',
      sourceId: 'storefront',
      moduleId: 'storefront',
      output,
    });

    // The auditor's verifier, from the installed package.
    const verified = yarn(
      [
        'infra-verify',
        '--keys',
        path.join(repo, 'examples/evidence/signing-keys.json'),
        path.join(repo, 'examples/evidence/storefront-prod.evidence.json'),
      ],
      path.join(app, 'packages/backend'),
    );
    expect(verified).toMatch(/\nVALID: /);
  });
});
