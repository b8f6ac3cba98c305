import { ConflictError, InputError } from '@backstage/errors';
import git, { TreeEntry } from 'isomorphic-git';
import fs from 'node:fs';
import path from 'node:path';

/** A repository name: what `<repository>.git` may be called. */
export const REPOSITORY_NAME = /^[a-z0-9][a-z0-9._-]{0,98}[a-z0-9]$/;

/** Files and folders never published. */
const SKIPPED = new Set(['.git']);

/** Writes a folder's files (recursively) as blobs and trees; returns the root tree's id. */
async function writeFolder(gitdir: string, folder: string): Promise<string> {
  const entries: TreeEntry[] = [];
  for (const e of fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIPPED.has(e.name)) continue;
    const full = path.join(folder, e.name);
    if (e.isDirectory()) {
      entries.push({
        mode: '040000',
        path: e.name,
        oid: await writeFolder(gitdir, full),
        type: 'tree',
      });
    } else if (e.isFile()) {
      const executable = (fs.statSync(full).mode & 0o111) !== 0;
      entries.push({
        mode: executable ? '100755' : '100644',
        path: e.name,
        oid: await git.writeBlob({ fs, gitdir, blob: fs.readFileSync(full) }),
        type: 'blob',
      });
    } else {
      throw new InputError(
        `${path.basename(
          full,
        )} is neither a file nor a folder (links are not published)`,
      );
    }
  }
  return git.writeTree({ fs, gitdir, tree: entries });
}

/**
 * Publishes a folder as the first commit of a new bare repository on this host: the "push" of a
 * plain git remote that is a folder (an on-premises file share, the demo's remote). The folder
 * name is claimed atomically, so two tasks cannot publish the same repository; a repository that
 * exists is refused. Readable by `git clone <gitdir>` and by this module's URL reader.
 */
export async function publishToBareRepository(options: {
  sourceDir: string;
  gitdir: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
}): Promise<{ commitHash: string }> {
  const { gitdir, branch } = options;
  fs.mkdirSync(path.dirname(gitdir), { recursive: true });
  try {
    fs.mkdirSync(gitdir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConflictError(
        `The repository ${path.basename(
          gitdir,
        )} exists already; choose another name`,
      );
    }
    throw e;
  }
  try {
    await git.init({ fs, gitdir, bare: true, defaultBranch: branch });
    const tree = await writeFolder(gitdir, options.sourceDir);
    const commitHash = await git.commit({
      fs,
      gitdir,
      tree,
      parent: [],
      ref: `refs/heads/${branch}`,
      message: options.message,
      author: options.author,
    });
    return { commitHash };
  } catch (e) {
    // Leave no half-written repository that would block the name.
    fs.rmSync(gitdir, { recursive: true, force: true });
    throw e;
  }
}

/** A branch name git accepts, conservatively. */
export function checkBranchName(branch: string): string {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(branch) ||
    branch.includes('..') ||
    branch.endsWith('.lock') ||
    branch.endsWith('/')
  ) {
    throw new InputError(`${JSON.stringify(branch)} is not a branch name`);
  }
  return branch;
}
