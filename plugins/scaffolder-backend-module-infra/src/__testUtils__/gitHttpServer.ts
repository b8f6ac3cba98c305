import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A git server speaking smart HTTP: git's own `git http-backend` (CGI) behind a Node HTTP server
 * that asks for basic authentication, as Gitea, GitLab or Bitbucket Server do.
 */
export async function startGitHttpServer(options: {
  root: string;
  username: string;
  token: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const expected = `Basic ${Buffer.from(
    `${options.username}:${options.token}`,
  ).toString('base64')}`;
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('authentication required');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: options.username,
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) }
          : {}),
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', c => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1').split('\r\n');
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head) {
        const at = line.indexOf(':');
        const name = line.slice(0, at).trim();
        const value = line.slice(at + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else if (name) headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}

/** An empty bare repository on the server that accepts pushes. */
export function createServerRepository(gitdir: string) {
  execFileSync('git', ['init', '--quiet', '--bare', gitdir]);
  execFileSync('git', [
    '--git-dir',
    gitdir,
    'config',
    'http.receivepack',
    'true',
  ]);
}
