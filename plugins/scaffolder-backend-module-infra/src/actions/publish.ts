import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createTemplateAction,
  initRepoAndPush,
} from '@backstage/plugin-scaffolder-node';
import path from 'node:path';
import { GitRemote, ScaffolderInfraConfig } from '../config';
import {
  checkBranchName,
  publishToBareRepository,
  REPOSITORY_NAME,
} from '../git';

/** Where a published repository is: its clone URL and where the catalog reads its files. */
export function repositoryUrls(
  remote: GitRemote,
  repository: string,
  branch: string,
): { remoteUrl: string; contentsUrl: string } {
  // Checked here too (the task engine checks inputs against the schema): a name is never a path.
  if (!REPOSITORY_NAME.test(repository)) {
    throw new InputError(
      `${JSON.stringify(
        repository,
      )} is not a repository name (2 to 100 lowercase letters, digits, dots, hyphens, underscores)`,
    );
  }
  if (remote.type === 'directory') {
    const gitdir = path.join(remote.directory, `${repository}.git`);
    const remoteUrl = `file://${gitdir}`;
    return { remoteUrl, contentsUrl: `${remoteUrl}/blob/${branch}` };
  }
  const remoteUrl = `${remote.url}/${repository}.git`;
  const contentsUrl = remote.browseUrl
    ? remote.browseUrl
        .replaceAll('{repository}', repository)
        .replaceAll('{branch}', branch)
        .replace(/\/+$/, '')
    : `${remote.url}/${repository}/blob/${branch}`;
  return { remoteUrl, contentsUrl };
}

/** The remote a task names, or the default one; a clear error for anything else. */
export function remoteOf(
  settings: ScaffolderInfraConfig,
  name: string | undefined,
): GitRemote {
  const wanted = name ?? settings.defaultRemote;
  if (!wanted) {
    throw new InputError(
      'No git remote is configured for infra:publish:git (infra.scaffolder.gitRemotes)',
    );
  }
  const remote = settings.remotes.find(r => r.name === wanted);
  if (!remote) {
    throw new InputError(
      `No git remote is named ${JSON.stringify(wanted)}; configured: ${
        settings.remotes.map(r => r.name).join(', ') || 'none'
      }`,
    );
  }
  return remote;
}

/**
 * `infra:publish:git`: publishes the workspace as a new repository on a plain git remote named in
 * `infra.scaffolder.gitRemotes`: a folder of bare repositories on the backend's host (an
 * on-premises share, the demo's remote) or a server speaking git's smart HTTP protocol (Gitea,
 * GitLab, Bitbucket Server, any git server) with the configured credentials. Templates name a
 * remote, never a URL, so a task cannot write anywhere else. A dry run checks the inputs and
 * reports where it would publish.
 *
 * @public
 */
export function createInfraPublishGitAction(options: {
  settings: ScaffolderInfraConfig;
}) {
  const { settings } = options;
  return createTemplateAction({
    id: 'infra:publish:git',
    description:
      'Publishes the workspace as a new repository on a configured plain git remote (a folder of bare repositories, or an HTTP git server).',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish to the default remote',
        example: `steps:
  - id: publish
    action: infra:publish:git
    input:
      repository: \${{ parameters.name }}`,
      },
    ],
    schema: {
      input: {
        repository: z =>
          z
            .string()
            .regex(
              REPOSITORY_NAME,
              'a repository name is 2 to 100 lowercase letters, digits, dots, hyphens and underscores',
            )
            .describe('The new repository name.'),
        remote: z =>
          z
            .string()
            .max(63)
            .optional()
            .describe(
              'A remote named in infra.scaffolder.gitRemotes (default: infra.scaffolder.defaultGitRemote).',
            ),
        defaultBranch: z =>
          z.string().max(100).optional().describe('Default: main.'),
        commitMessage: z =>
          z
            .string()
            .min(1)
            .max(2000)
            .optional()
            .describe('Default: Initial commit.'),
        sourcePath: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe('The folder to publish, relative to the workspace.'),
      },
      output: {
        remoteUrl: z => z.string().describe('The clone URL.'),
        repoContentsUrl: z =>
          z.string().describe("The repository's files on its default branch."),
        catalogInfoUrl: z =>
          z.string().describe('The URL of its catalog-info.yaml.'),
        commitHash: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const remote = remoteOf(settings, ctx.input.remote);
      const branch = checkBranchName(ctx.input.defaultBranch ?? 'main');
      const message = ctx.input.commitMessage ?? 'Initial commit';
      const { repository } = ctx.input;
      const sourceDir = resolveSafeChildPath(
        ctx.workspacePath,
        ctx.input.sourcePath ?? '.',
      );
      const { remoteUrl, contentsUrl } = repositoryUrls(
        remote,
        repository,
        branch,
      );
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', contentsUrl);
      ctx.output('catalogInfoUrl', `${contentsUrl}/catalog-info.yaml`);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would publish ${
            ctx.input.sourcePath ?? 'the workspace'
          } to ${remoteUrl} (${branch})`,
        );
        return;
      }

      const profile = ctx.user?.entity?.spec?.profile;
      const author = {
        name: profile?.displayName ?? ctx.user?.ref ?? 'Infra Hub',
        email: profile?.email ?? 'infra-hub@localhost',
      };
      const { commitHash } = await ctx.checkpoint({
        key: `infra.publish.${remote.name}.${repository}`,
        fn: async () => {
          if (remote.type === 'directory') {
            return publishToBareRepository({
              sourceDir,
              gitdir: path.join(remote.directory, `${repository}.git`),
              branch,
              message,
              author,
            });
          }
          return initRepoAndPush({
            dir: sourceDir,
            remoteUrl,
            defaultBranch: branch,
            auth: {
              username: remote.username ?? 'x-access-token',
              password: remote.token ?? '',
            },
            logger: ctx.logger,
            commitMessage: message,
            gitAuthorInfo: author,
          });
        },
      });
      ctx.logger.info(`Published ${remoteUrl} (${branch}) at ${commitHash}`);
      ctx.output('commitHash', commitHash);
    },
  });
}
