import { RootConfigService } from '@backstage/backend-plugin-api';
import path from 'node:path';

/** A git remote `infra:publish:git` may publish to (`infra.scaffolder.gitRemotes`). */
export type GitRemote =
  | {
      name: string;
      type: 'directory';
      /** Absolute: a folder of bare repositories (`<repository>.git`) on this host. */
      directory: string;
    }
  | {
      name: string;
      type: 'http';
      /** `https://git.example.com/platform`: repositories are `<url>/<repository>.git`. */
      url: string;
      username?: string;
      token?: string;
      /** Where the catalog reads a repository's files: `{repository}`, `{branch}` replaced. */
      browseUrl?: string;
    };

/** The scaffolder module's settings. */
export type ScaffolderInfraConfig = {
  remotes: GitRemote[];
  defaultRemote?: string;
};

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Reads `infra.scaffolder` (paths relative to the backend's working directory). */
export function readScaffolderInfraConfig(
  config: RootConfigService,
): ScaffolderInfraConfig {
  const remotes = (
    config.getOptionalConfigArray('infra.scaffolder.gitRemotes') ?? []
  ).map((c): GitRemote => {
    const name = c.getString('name');
    if (!NAME.test(name)) {
      throw new Error(
        `infra.scaffolder.gitRemotes: ${JSON.stringify(
          name,
        )} is not a remote name (lowercase letters, digits, hyphens)`,
      );
    }
    const directory = c.getOptionalString('directory');
    const url = c.getOptionalString('url');
    if (!!directory === !!url) {
      throw new Error(
        `infra.scaffolder.gitRemotes.${name}: set exactly one of directory and url`,
      );
    }
    if (directory) {
      return { name, type: 'directory', directory: path.resolve(directory) };
    }
    const parsed = new URL(url!);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new Error(
        `infra.scaffolder.gitRemotes.${name}.url: only http(s) remotes are supported (use directory for a folder on this host)`,
      );
    }
    if (parsed.username || parsed.password) {
      throw new Error(
        `infra.scaffolder.gitRemotes.${name}.url: put credentials in username and token, not in the URL`,
      );
    }
    return {
      name,
      type: 'http',
      url: url!.replace(/\/+$/, ''),
      username: c.getOptionalString('username'),
      token: c.getOptionalString('token'),
      browseUrl: c.getOptionalString('browseUrl'),
    };
  });
  const names = new Set<string>();
  for (const r of remotes) {
    if (names.has(r.name)) {
      throw new Error(`infra.scaffolder.gitRemotes: ${r.name} is listed twice`);
    }
    names.add(r.name);
  }
  const defaultRemote =
    config.getOptionalString('infra.scaffolder.defaultGitRemote') ??
    remotes[0]?.name;
  if (defaultRemote && !names.has(defaultRemote)) {
    throw new Error(
      `infra.scaffolder.defaultGitRemote: no remote is named ${defaultRemote}`,
    );
  }
  return { remotes, defaultRemote };
}
