import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInfraPublishGitAction } from './actions/publish';
import { createInfraScanAction } from './actions/scan';
import { readScaffolderInfraConfig } from './config';
import { LocalGitUrlReader } from './LocalGitUrlReader';
import { runAction, tempDir } from './__testUtils__/context';
import {
  createServerRepository,
  startGitHttpServer,
} from './__testUtils__/gitHttpServer';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach(c => c()));

/** A secret as providers write it, that must never be printed. */
const PASSWORD = 'Zq7-correct-horse-battery-staple-91';
const AWS_SECRET = 'Rk3vT9xQ2mL8pW5zN1cB7yH4jD6fG0sA+eU3iO2q';

function workspaceWith(files: Record<string, string | Buffer>): string {
  const dir = tempDir('infra-ws-', cleanups);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const git = (gitdir: string, ...args: string[]) =>
  execFileSync('git', ['--git-dir', gitdir, ...args], { encoding: 'utf8' });

describe('infra:scan', () => {
  const scan = createInfraScanAction();

  it('fails the task on a secret in the generated code, naming where and never the value', async () => {
    const workspace = workspaceWith({
      'main.tf': `resource "aws_db_instance" "db" {
  identifier          = "orders"
  password            = "${PASSWORD}"
  storage_encrypted   = true
  publicly_accessible = false
}
`,
      'ci/deploy.sh': `export AWS_ACCESS_KEY_ID=AKIA4HKQ7ZP2MNX3RT5W\nexport AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n`,
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
    });
    const failure = await runAction(scan, {
      input: { failOn: 'high', secrets: true },
      workspacePath: workspace,
    }).catch(e => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.name).toBe('InputError');
    expect(failure.message).toMatch(
      /infra:scan: \d+ findings or secrets at or above high/,
    );
    expect(failure.message).toMatch(/main\.tf:3 aws_db_instance\.db\.password/);
    const everything = `${failure.message}\n${failure.logs.join('\n')}`;
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(AWS_SECRET);
    expect(everything).toMatch(/ci\/deploy\.sh:2/);
    // The binary file is skipped with the reason, the rest is scanned.
    expect(everything).toMatch(/logo\.png not fully scanned: binary/);
    expect(failure.outputs.secrets).toBeGreaterThanOrEqual(2);
  });

  it('fails on a high compliance finding, passes below the threshold, and runs in dry runs', async () => {
    const workspace = workspaceWith({
      'main.tf': `resource "aws_s3_bucket" "open" {
  bucket = "wide-open"
}
`,
    });
    const high = await runAction(scan, {
      input: { failOn: 'high', secrets: true },
      workspacePath: workspace,
      isDryRun: true,
    }).catch(e => e);
    expect(high.message).toMatch(
      /high finding aws-s3-bucket-encryption at main\.tf:1 aws_s3_bucket\.open/,
    );
    expect(high.outputs.blocking).toBeGreaterThan(0);

    const lenient = await runAction(scan, {
      input: { failOn: 'critical', secrets: true },
      workspacePath: workspace,
    });
    expect(lenient.outputs).toMatchObject({ blocking: 0, secrets: 0 });
    expect(lenient.outputs.findings).toBeGreaterThan(0);
    expect(lenient.logs.join('\n')).toMatch(
      /warn: high finding aws-s3-bucket-encryption/,
    );
  });

  it('refuses a path outside the workspace or missing from it', async () => {
    const workspace = workspaceWith({ 'main.tf': '' });
    await expect(
      runAction(scan, {
        input: { path: '../..', failOn: 'high', secrets: true },
        workspacePath: workspace,
      }),
    ).rejects.toThrow(/outside/);
    await expect(
      runAction(scan, {
        input: { path: 'nope', failOn: 'high', secrets: true },
        workspacePath: workspace,
      }),
    ).rejects.toThrow(/nope does not exist in the workspace/);
  });

  it('names the line of an HCL file that does not parse', async () => {
    const workspace = workspaceWith({
      'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = \n',
    });
    await expect(
      runAction(scan, {
        input: { failOn: 'high', secrets: false },
        workspacePath: workspace,
      }),
    ).rejects.toThrow(/main\.tf:\d+/);
  });
});

describe('infra:publish:git and the folder remote reader', () => {
  function setup() {
    const root = tempDir('infra-remote-', cleanups);
    const config = new ConfigReader({
      infra: {
        scaffolder: {
          gitRemotes: [
            { name: 'onprem', directory: root },
            { name: 'gitea', url: 'https://git.example.com/platform' },
          ],
        },
      },
    });
    const settings = readScaffolderInfraConfig(config);
    return {
      root,
      publish: createInfraPublishGitAction({ settings }),
      // Backstage's URL readers with this module's: what the catalog reads through.
      reader: UrlReaders.create({
        config,
        logger: mockServices.logger.mock(),
        factories: [LocalGitUrlReader.factory],
      }),
    };
  }

  const module = () =>
    workspaceWith({
      'main.tf': 'resource "aws_s3_bucket" "b" {}\n',
      'catalog-info.yaml': 'kind: Component\n',
      'scripts/check.sh': '#!/bin/sh\necho ok\n',
      'examples/basic/main.tf': 'module "m" { source = "../.." }\n',
    });

  it('publishes the workspace as the first commit of a new bare repository that git and the catalog read', async () => {
    const { root, publish, reader } = setup();
    const workspace = module();
    fs.chmodSync(path.join(workspace, 'scripts/check.sh'), 0o755);
    const { outputs } = await runAction(publish, {
      input: {
        repository: 'orders-exports',
        defaultBranch: 'main',
        commitMessage: 'Module orders-exports',
      },
      workspacePath: workspace,
    });
    const gitdir = path.join(root, 'orders-exports.git');
    expect(outputs).toMatchObject({
      remoteUrl: `file://${gitdir}`,
      catalogInfoUrl: `file://${gitdir}/blob/main/catalog-info.yaml`,
    });

    // git itself reads it: one commit on main, every file, the executable bit kept.
    expect(git(gitdir, 'log', '--format=%s|%an', 'main').trim()).toBe(
      'Module orders-exports|user:default/priya.shah',
    );
    expect(git(gitdir, 'rev-parse', 'main').trim()).toBe(outputs.commitHash);
    expect(git(gitdir, 'ls-tree', '-r', 'main').trim().split('\n')).toEqual([
      expect.stringMatching(/^100644 blob \w+\tcatalog-info\.yaml$/),
      expect.stringMatching(/^100644 blob \w+\texamples\/basic\/main\.tf$/),
      expect.stringMatching(/^100644 blob \w+\tmain\.tf$/),
      expect.stringMatching(/^100755 blob \w+\tscripts\/check\.sh$/),
    ]);
    expect(git(gitdir, 'fsck', '--strict').trim()).toBe('');
    const clone = tempDir('infra-clone-', cleanups);
    execFileSync('git', ['clone', '--quiet', gitdir, clone]);
    expect(fs.readFileSync(path.join(clone, 'main.tf'), 'utf8')).toBe(
      'resource "aws_s3_bucket" "b" {}\n',
    );

    // The catalog's reader: a file, a folder (filtered), the commit as etag.
    const file = await reader.readUrl(outputs.catalogInfoUrl as string);
    expect((await file.buffer()).toString()).toBe('kind: Component\n');
    expect(file.etag).toBe(outputs.commitHash);
    await expect(
      reader.readUrl(outputs.catalogInfoUrl as string, { etag: file.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    const tree = await reader.readTree(`file://${gitdir}/blob/main/`, {
      filter: p => p.endsWith('.tf'),
    });
    expect(tree.etag).toBe(outputs.commitHash);
    expect((await tree.files()).map(f => f.path).sort()).toEqual([
      'examples/basic/main.tf',
      'main.tf',
    ]);
    const found = await reader.search(outputs.catalogInfoUrl as string);
    expect(found.files.map(f => f.url)).toEqual([outputs.catalogInfoUrl]);
    expect((await found.files[0].content()).toString()).toBe(
      'kind: Component\n',
    );
    expect(
      (await reader.search(`file://${gitdir}/blob/main/none.yaml`)).files,
    ).toEqual([]);
    await expect(
      reader.search(`file://${gitdir}/blob/main/*.yaml`),
    ).rejects.toThrow(/patterns are not supported/);
    const sub = await reader.readTree(`file://${gitdir}/blob/main/examples`);
    expect((await sub.files()).map(f => f.path)).toEqual(['basic/main.tf']);

    // Nothing else on the host is readable through it.
    for (const elsewhere of [
      'file:///etc/passwd',
      `file://${gitdir}/blob/main/../../../../etc/passwd`,
      `file://${root}-other/x.git/blob/main/main.tf`,
    ]) {
      await expect(reader.readUrl(elsewhere)).rejects.toThrow(/not allowed/);
    }
    await expect(reader.readUrl(`file://${gitdir}/HEAD`)).rejects.toThrow(
      /not a repository file URL/,
    );
    await expect(
      reader.readUrl(`file://${gitdir}/blob/main/missing.yaml`),
    ).rejects.toThrow(/not a file of the repository/);
    await expect(
      reader.readUrl(`file://${gitdir}/blob/other/main.tf`),
    ).rejects.toThrow(/no branch/);
    await expect(
      reader.readUrl(`file://${root}/nothing.git/blob/main/main.tf`),
    ).rejects.toThrow(/no repository nothing\.git/);
  });

  it('refuses a repository that exists, an unknown remote, a bad name; a dry run writes nothing', async () => {
    const { root, publish } = setup();
    const input = {
      repository: 'orders-exports',
      defaultBranch: 'main',
      commitMessage: 'x',
    };
    const dry = await runAction(publish, {
      input,
      workspacePath: module(),
      isDryRun: true,
    });
    expect(dry.outputs.remoteUrl).toBe(`file://${root}/orders-exports.git`);
    expect(fs.readdirSync(root)).toEqual([]);

    await runAction(publish, { input, workspacePath: module() });
    const again = await runAction(publish, {
      input,
      workspacePath: module(),
    }).catch(e => e);
    expect(again.name).toBe('ConflictError');
    expect(again.message).toMatch(/orders-exports\.git exists already/);
    expect(
      git(
        path.join(root, 'orders-exports.git'),
        'rev-list',
        '--count',
        'main',
      ).trim(),
    ).toBe('1');

    await expect(
      runAction(publish, {
        input: { ...input, remote: 'github' },
        workspacePath: module(),
      }),
    ).rejects.toThrow(
      /No git remote is named "github"; configured: onprem, gitea/,
    );
    for (const repository of ['../escape', 'a/b', '.hidden', 'UPPER']) {
      await expect(
        runAction(publish, {
          input: { ...input, repository },
          workspacePath: module(),
        }),
      ).rejects.toThrow(/is not a repository name/);
    }
    await expect(
      runAction(publish, {
        input: { ...input, defaultBranch: 'main..x' },
        workspacePath: module(),
      }),
    ).rejects.toThrow(/is not a branch name/);
    expect(fs.readdirSync(root)).toEqual(['orders-exports.git']);

    // An HTTP remote's URLs (the push itself is git's smart HTTP through isomorphic-git).
    const http = await runAction(publish, {
      input: { ...input, remote: 'gitea' },
      workspacePath: module(),
      isDryRun: true,
    });
    expect(http.outputs).toMatchObject({
      remoteUrl: 'https://git.example.com/platform/orders-exports.git',
      catalogInfoUrl:
        'https://git.example.com/platform/orders-exports/blob/main/catalog-info.yaml',
    });
  });

  it('pushes to a git server over smart HTTP with the configured credentials', async () => {
    const serverRoot = tempDir('infra-git-server-', cleanups);
    const server = await startGitHttpServer({
      root: serverRoot,
      username: 'infra-hub-bot',
      token: 'gitea-token-0123456789',
    });
    cleanups.push(() => void server.close());
    createServerRepository(
      path.join(serverRoot, 'platform/orders-exports.git'),
    );
    const settings = (token: string) =>
      readScaffolderInfraConfig(
        new ConfigReader({
          infra: {
            scaffolder: {
              gitRemotes: [
                {
                  name: 'gitea',
                  url: `${server.url}/platform`,
                  username: 'infra-hub-bot',
                  token,
                  browseUrl: `${server.url}/platform/{repository}/src/branch/{branch}`,
                },
              ],
            },
          },
        }),
      );
    const input = {
      repository: 'orders-exports',
      defaultBranch: 'main',
      commitMessage: 'Module orders-exports',
    };

    // A wrong token is refused by the server, and the task says so without the token.
    const refused = await runAction(
      createInfraPublishGitAction({ settings: settings('wrong-token') }),
      { input, workspacePath: module() },
    ).catch(e => e);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused.message)).toMatch(/401/);
    expect(`${refused.message}${refused.logs.join('')}`).not.toContain(
      'wrong-token',
    );

    const { outputs } = await runAction(
      createInfraPublishGitAction({
        settings: settings('gitea-token-0123456789'),
      }),
      { input, workspacePath: module() },
    );
    expect(outputs).toMatchObject({
      remoteUrl: `${server.url}/platform/orders-exports.git`,
      catalogInfoUrl: `${server.url}/platform/orders-exports/src/branch/main/catalog-info.yaml`,
    });
    const gitdir = path.join(serverRoot, 'platform/orders-exports.git');
    expect(git(gitdir, 'rev-parse', 'main').trim()).toBe(outputs.commitHash);
    expect(
      git(gitdir, 'ls-tree', '-r', '--name-only', 'main').trim().split('\n'),
    ).toEqual([
      'catalog-info.yaml',
      'examples/basic/main.tf',
      'main.tf',
      'scripts/check.sh',
    ]);
  });

  it('refuses remote settings that are not one', () => {
    const read = (remotes: any) => () =>
      readScaffolderInfraConfig(
        new ConfigReader({ infra: { scaffolder: { gitRemotes: remotes } } }),
      );
    expect(read([{ name: 'x', directory: '/a', url: 'https://h' }])).toThrow(
      /set exactly one of directory and url/,
    );
    expect(read([{ name: 'x', url: 'ssh://h/x' }])).toThrow(/only http\(s\)/);
    expect(read([{ name: 'x', url: 'https://u:p@h/x' }])).toThrow(
      /not in the URL/,
    );
    expect(read([{ name: 'Bad Name', directory: '/a' }])).toThrow(
      /not a remote name/,
    );
  });
});
