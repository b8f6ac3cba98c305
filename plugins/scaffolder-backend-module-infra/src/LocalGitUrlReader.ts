import {
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchOptions,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReaderFactory,
  ReadTreeResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { InputError, NotFoundError, NotModifiedError } from '@backstage/errors';
import git from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { GitRemote, readScaffolderInfraConfig } from './config';

type Located = {
  gitdir: string;
  branch: string;
  commit: string;
  filepath: string;
};

/**
 * Reads files of the bare repositories in the folders of `infra.scaffolder.gitRemotes` (the
 * remotes `infra:publish:git` publishes to), at URLs of the form
 * `file:///<folder>/<repository>.git/blob/<branch>/<path>`: what the catalog needs to ingest a
 * module published to such a remote, and the module processor to read its code. Only committed
 * files of those repositories are readable, never the host's other files.
 */
export class LocalGitUrlReader implements UrlReaderService {
  /** The reader of the folder remotes in `infra.scaffolder.gitRemotes`, for `UrlReaders`. */
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const reader = new LocalGitUrlReader(
      readScaffolderInfraConfig(config).remotes,
      treeResponseFactory,
    );
    return [{ reader, predicate: (url: URL) => reader.owns(url) }];
  };

  private readonly folders: string[];

  constructor(
    remotes: GitRemote[],
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {
    this.folders = remotes.flatMap(r =>
      r.type === 'directory' ? [r.directory] : [],
    );
  }

  /** Whether a URL is one of this reader's. */
  owns(url: URL): boolean {
    if (url.protocol !== 'file:') return false;
    const file = fileURLToPath(url);
    return this.folders.some(f => file.startsWith(`${f}${path.sep}`));
  }

  private async locate(url: string): Promise<Located> {
    const parsed = new URL(url);
    if (!this.owns(parsed)) {
      throw new InputError(`${url} is not in a configured git remote folder`);
    }
    const file = fileURLToPath(parsed);
    const marker = `.git${path.sep}blob${path.sep}`;
    const at = file.indexOf(marker);
    if (at < 0) {
      throw new InputError(
        `${url} is not a repository file URL (<repository>.git/blob/<branch>/<path>)`,
      );
    }
    const gitdir = file.slice(0, at + 4);
    // One repository directly in a configured folder.
    if (!this.folders.includes(path.dirname(gitdir))) {
      throw new InputError(`${url} is not a repository of a configured remote`);
    }
    if (!fs.existsSync(gitdir)) {
      throw new NotFoundError(
        `There is no repository ${path.basename(gitdir)}`,
      );
    }
    const rest = file
      .slice(at + marker.length)
      .split(path.sep)
      .join('/');
    const branches = await git.listBranches({ fs, gitdir });
    // The longest branch name that the rest of the URL starts with (branches may hold '/').
    const branch = branches
      .filter(b => rest === b || rest.startsWith(`${b}/`))
      .sort((a, b) => b.length - a.length)[0];
    if (!branch) {
      throw new NotFoundError(
        `${path.basename(gitdir)} has no branch that ${url} names`,
      );
    }
    const commit = await git.resolveRef({
      fs,
      gitdir,
      ref: `refs/heads/${branch}`,
    });
    const filepath = rest.slice(branch.length).replace(/^\/+|\/+$/g, '');
    return { gitdir, branch, commit, filepath };
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const { gitdir, commit, filepath } = await this.locate(url);
    if (options?.etag === commit) throw new NotModifiedError();
    let blob: Uint8Array;
    try {
      ({ blob } = await git.readBlob({ fs, gitdir, oid: commit, filepath }));
    } catch {
      throw new NotFoundError(`${url} is not a file of the repository`);
    }
    const buffer = Buffer.from(blob);
    return {
      buffer: async () => buffer,
      stream: () => Readable.from(buffer),
      etag: commit,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const { gitdir, commit, filepath } = await this.locate(url);
    if (options?.etag === commit) throw new NotModifiedError();
    const files: Array<{ path: string; data: Readable }> = [];
    const walk = async (dir: string) => {
      let tree;
      try {
        ({ tree } = await git.readTree({
          fs,
          gitdir,
          oid: commit,
          filepath: dir,
        }));
      } catch {
        throw new NotFoundError(`${url} is not a folder of the repository`);
      }
      for (const entry of tree) {
        const full = dir ? `${dir}/${entry.path}` : entry.path;
        if (entry.type === 'tree') await walk(full);
        else if (entry.type === 'blob') {
          const relative = filepath ? full.slice(filepath.length + 1) : full;
          if (options?.filter && !options.filter(relative)) continue;
          const { blob } = await git.readBlob({ fs, gitdir, oid: entry.oid });
          files.push({
            path: relative,
            data: Readable.from(Buffer.from(blob)),
          });
        }
      }
    };
    await walk(filepath);
    const response = await this.treeResponseFactory.fromReadableArray(files);
    // The factory leaves the etag empty: the commit read is this tree's version.
    return Object.assign(response, { etag: commit });
  }

  /**
   * The catalog reads `url` locations through search: a file URL finds that file (or nothing);
   * patterns are not supported.
   */
  async search(
    url: string,
    options?: UrlReaderServiceSearchOptions,
  ): Promise<UrlReaderServiceSearchResponse> {
    if (/[*?[\]{}]/.test(decodeURIComponent(new URL(url).pathname))) {
      throw new InputError(
        `${url}: patterns are not supported in a folder git remote; name the file`,
      );
    }
    const { gitdir, commit, filepath } = await this.locate(url);
    if (options?.etag === commit) throw new NotModifiedError();
    try {
      const { blob } = await git.readBlob({
        fs,
        gitdir,
        oid: commit,
        filepath,
      });
      const buffer = Buffer.from(blob);
      return { files: [{ url, content: async () => buffer }], etag: commit };
    } catch {
      return { files: [], etag: commit };
    }
  }

  toString() {
    return `infra-local-git{folders=${this.folders.length}}`;
  }
}

/**
 * Adds {@link LocalGitUrlReader} to the backend's URL readers when `infra.scaffolder.gitRemotes`
 * lists a folder: `backend.add(infraLocalGitUrlReader)`.
 *
 * @public
 */
export const infraLocalGitUrlReader = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return LocalGitUrlReader.factory;
  },
});
