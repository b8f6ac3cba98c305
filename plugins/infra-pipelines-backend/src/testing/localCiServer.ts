import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A run the local server reports, in the suite's terms (each provider's shape is made from it). */
export type LocalRun = {
  id: number;
  repository: string;
  /** GitHub: the workflow file; Azure DevOps: the definition id. */
  pipelineId?: string;
  name: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  branch: string;
  sha: string;
  actor: string;
  createdAt: string;
  updatedAt: string;
  jobs: Array<{
    id: number;
    name: string;
    status: LocalRun['status'];
    log: string;
  }>;
};

/** A request the server received (the tests assert what reached it, e.g. tokens). */
export type LocalCiRequest = {
  provider: 'github' | 'gitlab' | 'azure-devops';
  method: string;
  path: string;
  authorization?: string;
  privateToken?: string;
  body?: any;
};

const ADO_LOCATIONS = [
  {
    id: '0cd358e1-9217-4d94-8269-1c1ee6f93dcf',
    area: 'build',
    resourceName: 'builds',
    routeTemplate: '{project}/_apis/build/builds/{buildId}',
  },
  {
    id: '8baac422-4c6e-4de5-8532-db96d92acffa',
    area: 'build',
    resourceName: 'timeline',
    routeTemplate:
      '{project}/_apis/build/builds/{buildId}/timeline/{timelineId}',
  },
  {
    id: '35a80daf-7f30-45fc-86e8-6b813d9c90df',
    area: 'build',
    resourceName: 'logs',
    routeTemplate: '{project}/_apis/build/builds/{buildId}/logs/{logId}',
  },
  {
    id: 'e81700f7-3be2-46de-8624-2eb35882fcaa',
    area: 'Location',
    resourceName: 'ResourceAreas',
    routeTemplate: '_apis/{resource}/{areaId}',
  },
].map(l => ({
  ...l,
  resourceVersion: 7,
  minVersion: '1.0',
  maxVersion: '7.2',
  releasedVersion: '7.1',
}));

const GITHUB_STATE: Record<LocalRun['status'], [string, string | null]> = {
  queued: ['queued', null],
  running: ['in_progress', null],
  succeeded: ['completed', 'success'],
  failed: ['completed', 'failure'],
};
const GITLAB_STATE: Record<LocalRun['status'], string> = {
  queued: 'pending',
  running: 'running',
  succeeded: 'success',
  failed: 'failed',
};
const ADO_STATE: Record<LocalRun['status'], [string, string | undefined]> = {
  queued: ['notStarted', undefined],
  running: ['inProgress', undefined],
  succeeded: ['completed', 'succeeded'],
  failed: ['completed', 'failed'],
};

/**
 * One local HTTP server speaking the parts of GitHub's REST API (under `/github`), GitLab's API
 * v4 (under `/gitlab`) and Azure DevOps' REST API (under `/ado/<org>`, with the location
 * negotiation azure-devops-node-api does first) that the pipelines plugin uses: runs, jobs,
 * job logs, and starting runs. `rateLimit(n)` answers the next n requests with 429 and a
 * Retry-After; `requests` records what arrived.
 */
export async function startLocalCiServer() {
  const runs: Record<'github' | 'gitlab' | 'azure-devops', LocalRun[]> = {
    github: [],
    gitlab: [],
    'azure-devops': [],
  };
  const requests: LocalCiRequest[] = [];
  const triggered: Array<{
    provider: string;
    repository: string;
    ref: string;
    pipelineId?: string;
    inputs: unknown;
  }> = [];
  let limited = 0;
  let down = false;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      let provider: LocalCiRequest['provider'] = 'azure-devops';
      if (url.pathname.startsWith('/github')) provider = 'github';
      else if (url.pathname.startsWith('/gitlab')) provider = 'gitlab';
      requests.push({
        provider,
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        ...(req.headers.authorization
          ? { authorization: req.headers.authorization }
          : {}),
        ...(req.headers['private-token']
          ? { privateToken: String(req.headers['private-token']) }
          : {}),
        ...(body !== undefined ? { body } : {}),
      });
      const json = (
        status: number,
        value: unknown,
        headers: Record<string, string> = {},
      ) => {
        res.writeHead(status, {
          'Content-Type': 'application/json',
          ...headers,
        });
        res.end(JSON.stringify(value));
      };
      if (down) {
        json(502, { message: 'Bad gateway' });
        return;
      }
      if (
        limited > 0 &&
        req.method !== 'OPTIONS' &&
        !url.pathname.endsWith('/ResourceAreas')
      ) {
        limited--;
        json(
          429,
          { message: 'API rate limit exceeded' },
          {
            'Retry-After': '120',
            'X-RateLimit-Remaining': '0',
          },
        );
        return;
      }
      try {
        if (provider === 'github') github(url, req.method!, body, json, res);
        else if (provider === 'gitlab') {
          gitlab(url, req.method!, body, json, res);
        } else azure(url, req.method!, body, json, res);
      } catch (error) {
        json(500, { message: (error as Error).message });
      }
    });
  });

  type Json = (
    status: number,
    value: unknown,
    headers?: Record<string, string>,
  ) => void;

  function github(
    url: URL,
    method: string,
    body: any,
    json: Json,
    res: http.ServerResponse,
  ) {
    const path = url.pathname.slice('/github'.length);
    let m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/runs$/);
    if (m && method === 'GET') {
      const repository = `${m[1]}/${m[2]}`;
      const list = runs.github.filter(r => r.repository === repository);
      return json(200, {
        total_count: list.length,
        workflow_runs: list.map(r => ({
          id: r.id,
          name: r.name,
          path: `.github/workflows/${r.pipelineId ?? 'ci.yml'}`,
          run_number: r.id % 1000,
          run_attempt: 1,
          event: 'push',
          status: GITHUB_STATE[r.status][0],
          conclusion: GITHUB_STATE[r.status][1],
          head_branch: r.branch,
          head_sha: r.sha,
          html_url: `https://github.com/${repository}/actions/runs/${r.id}`,
          actor: { login: r.actor },
          created_at: r.createdAt,
          run_started_at: r.createdAt,
          updated_at: r.updatedAt,
          repository: { full_name: repository },
        })),
      });
    }
    m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)\/jobs$/);
    if (m) {
      const run = runs.github.find(r => r.id === Number(m![3]));
      if (!run) return json(404, { message: 'Not Found' });
      return json(200, {
        total_count: run.jobs.length,
        jobs: run.jobs.map(j => ({
          id: j.id,
          run_id: run.id,
          name: j.name,
          status: GITHUB_STATE[j.status][0],
          conclusion: GITHUB_STATE[j.status][1],
          started_at: run.createdAt,
          completed_at: run.updatedAt,
          html_url: `https://github.com/${run.repository}/actions/runs/${run.id}/job/${j.id}`,
        })),
      });
    }
    m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/actions\/jobs\/(\d+)\/logs$/);
    if (m) {
      const job = runs.github
        .flatMap(r => r.jobs)
        .find(j => j.id === Number(m![3]));
      if (!job) return json(404, { message: 'Not Found' });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(job.log);
      return undefined;
    }
    m = path.match(
      /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/,
    );
    if (m && method === 'POST') {
      triggered.push({
        provider: 'github',
        repository: `${m[1]}/${m[2]}`,
        pipelineId: decodeURIComponent(m[3]),
        ref: body?.ref,
        inputs: body?.inputs,
      });
      res.writeHead(204);
      res.end();
      return undefined;
    }
    return json(404, { message: 'Not Found' });
  }

  function gitlab(
    url: URL,
    method: string,
    body: any,
    json: Json,
    res: http.ServerResponse,
  ) {
    const path = url.pathname.slice('/gitlab/api/v4'.length);
    let m = path.match(/^\/projects\/([^/]+)\/pipelines$/);
    if (m && method === 'GET') {
      const repository = decodeURIComponent(m[1]);
      return json(
        200,
        runs.gitlab
          .filter(r => r.repository === repository)
          .map(r => ({
            id: r.id,
            iid: r.id % 1000,
            name: r.name,
            ref: r.branch,
            sha: r.sha,
            status: GITLAB_STATE[r.status],
            source: 'push',
            created_at: r.createdAt,
            updated_at: r.updatedAt,
            started_at: r.createdAt,
            finished_at:
              r.status === 'succeeded' || r.status === 'failed'
                ? r.updatedAt
                : null,
            web_url: `https://gitlab.com/${repository}/-/pipelines/${r.id}`,
            user: { username: r.actor },
          })),
      );
    }
    m = path.match(/^\/projects\/([^/]+)\/pipelines\/(\d+)\/jobs$/);
    if (m) {
      const run = runs.gitlab.find(r => r.id === Number(m![2]));
      if (!run) return json(404, { message: '404 Not found' });
      return json(
        200,
        run.jobs.map(j => ({
          id: j.id,
          name: j.name,
          stage: 'plan',
          status: GITLAB_STATE[j.status],
          started_at: run.createdAt,
          finished_at: run.updatedAt,
          web_url: `https://gitlab.com/${run.repository}/-/jobs/${j.id}`,
        })),
      );
    }
    m = path.match(/^\/projects\/([^/]+)\/jobs\/(\d+)\/trace$/);
    if (m) {
      const job = runs.gitlab
        .flatMap(r => r.jobs)
        .find(j => j.id === Number(m![2]));
      if (!job) return json(404, { message: '404 Not found' });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(job.log);
      return undefined;
    }
    m = path.match(/^\/projects\/([^/]+)\/pipeline$/);
    if (m && method === 'POST') {
      const repository = decodeURIComponent(m[1]);
      triggered.push({
        provider: 'gitlab',
        repository,
        ref: body?.ref,
        inputs: body?.variables,
      });
      return json(201, {
        id: 9000 + triggered.length,
        web_url: `https://gitlab.com/${repository}/-/pipelines/${
          9000 + triggered.length
        }`,
        status: 'created',
      });
    }
    return json(404, { message: '404 Not found' });
  }

  function azure(
    url: URL,
    method: string,
    body: any,
    json: Json,
    _res: http.ServerResponse,
  ) {
    // /ado/<org>/...
    const parts = url.pathname.split('/').slice(3);
    const rest = parts.join('/');
    if (method === 'OPTIONS' && /^_apis\/(build|Location)$/i.test(rest)) {
      const area = rest.split('/')[1].toLowerCase();
      return json(200, {
        count: ADO_LOCATIONS.length,
        value: ADO_LOCATIONS.filter(l => l.area.toLowerCase() === area),
      });
    }
    if (rest === '_apis/ResourceAreas')
      return json(200, { count: 0, value: [] });
    const project = decodeURIComponent(parts[0] ?? '');
    const tail = parts.slice(1).join('/');
    let m = tail.match(/^_apis\/build\/builds$/);
    if (m && method === 'GET') {
      const list = runs['azure-devops'].filter(r =>
        r.repository.startsWith(`${project}/`),
      );
      return json(200, {
        count: list.length,
        value: list.map(r => ({
          id: r.id,
          buildNumber: `2026.${r.id}`,
          status: ADO_STATE[r.status][0],
          ...(ADO_STATE[r.status][1] ? { result: ADO_STATE[r.status][1] } : {}),
          queueTime: r.createdAt,
          startTime: r.createdAt,
          ...(r.status === 'succeeded' || r.status === 'failed'
            ? { finishTime: r.updatedAt }
            : {}),
          lastChangedDate: r.updatedAt,
          definition: { id: Number(r.pipelineId ?? 1), name: r.name },
          project: { name: project },
          repository: {
            id: 'repo',
            type: 'TfsGit',
            name: r.repository.split('/')[1],
          },
          sourceBranch: `refs/heads/${r.branch}`,
          sourceVersion: r.sha,
          requestedFor: { uniqueName: r.actor },
          reason: 'individualCI',
          _links: {
            web: {
              href: `https://dev.azure.com/org/${project}/_build/results?buildId=${r.id}`,
            },
          },
        })),
      });
    }
    m = tail.match(/^_apis\/build\/builds\/(\d+)\/timeline$/);
    if (m) {
      const run = runs['azure-devops'].find(r => r.id === Number(m![1]));
      if (!run) return json(404, { message: 'not found' });
      return json(200, {
        id: 'timeline',
        records: [
          { id: 'stage', type: 'Stage', name: 'Plan', state: 'completed' },
          ...run.jobs.map(j => ({
            id: `job-${j.id}`,
            type: 'Job',
            name: j.name,
            state:
              ADO_STATE[j.status][0] === 'notStarted'
                ? 'pending'
                : ADO_STATE[j.status][0],
            ...(ADO_STATE[j.status][1]
              ? { result: ADO_STATE[j.status][1] }
              : {}),
            startTime: run.createdAt,
            finishTime: run.updatedAt,
            log: { id: j.id },
          })),
        ],
      });
    }
    m = tail.match(/^_apis\/build\/builds\/(\d+)\/logs\/(\d+)$/);
    if (m) {
      const job = runs['azure-devops']
        .flatMap(r => r.jobs)
        .find(j => j.id === Number(m![2]));
      if (!job) return json(404, { message: 'not found' });
      const lines = job.log.split('\n');
      return json(200, { count: lines.length, value: lines });
    }
    if (/^_apis\/build\/builds$/.test(tail) && method === 'POST') {
      triggered.push({
        provider: 'azure-devops',
        repository: project,
        pipelineId: String(body?.definition?.id),
        ref: body?.sourceBranch,
        inputs: body?.parameters ? JSON.parse(body.parameters) : {},
      });
      return json(200, {
        id: 7000 + triggered.length,
        _links: {
          web: {
            href: `https://dev.azure.com/org/${project}/_build/results?buildId=${
              7000 + triggered.length
            }`,
          },
        },
      });
    }
    return json(404, { message: `no route ${method} ${url.pathname}` });
  }

  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    urls: {
      github: `${base}/github`,
      gitlab: `${base}/gitlab`,
      azureDevOps: `${base}/ado/org`,
    },
    runs,
    requests,
    triggered,
    /** The next `n` API requests are answered 429 with Retry-After: 120. */
    rateLimit(n: number) {
      limited = n;
    },
    /** Every request fails (502) until called with false. */
    setDown(value: boolean) {
      down = value;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
