import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import express, {
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import PromiseRouter from 'express-promise-router';
import { InfraAuthorizer } from './authorizer';

/**
 * What every suite router uses to reach the cross-cutting concerns, so that no router writes
 * its own: who the caller is, whether they may (the denial audited once, by the authorizer),
 * page sizes, and CSV files.
 *
 * @public
 */
export class InfraRouteKit {
  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      authorizer: InfraAuthorizer;
    },
  ) {}

  /** The caller: a signed-in user or a service (a machine API key is a service). */
  credentials(req: Request<any>): Promise<BackstageCredentials> {
    return this.deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /**
   * The caller, once allowed `permission` in `tenantId` (none: the system scope);
   * NotAllowedError otherwise, the denial recorded in the audit log by the authorizer.
   */
  async allowed(
    req: Request<any>,
    permission: ResourcePermission | BasicPermission,
    tenantId?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    await this.deps.authorizer.authorize(credentials, permission, tenantId);
    return credentials;
  }

  /**
   * The id of the backend plugin of this installation calling as itself (service subject
   * `plugin:<id>`), when it is one of `pluginIds` (any plugin when not given). Everyone else,
   * users, machine API keys and external tokens alike, is refused with 403.
   */
  async pluginService(
    req: Request<any>,
    pluginIds?: readonly string[],
  ): Promise<string> {
    const credentials = await this.credentials(req);
    const principal = credentials.principal as {
      type?: string;
      subject?: string;
    };
    const pluginId =
      principal.type === 'service' && principal.subject?.startsWith('plugin:')
        ? principal.subject.slice('plugin:'.length)
        : undefined;
    if (!pluginId) {
      throw new NotAllowedError('Only backend plugins may call this endpoint');
    }
    if (pluginIds && !pluginIds.includes(pluginId)) {
      throw new NotAllowedError(
        `Only the ${pluginIds.join(', ')} plugin may call this endpoint`,
      );
    }
    return pluginId;
  }

  /** `allowed` in the tenant the route names (`:tenantId`). */
  allowedInTenant(
    req: Request<{ tenantId: string }>,
    permission: ResourcePermission | BasicPermission,
  ): Promise<BackstageCredentials> {
    return this.allowed(req, permission, req.params.tenantId);
  }
}

/**
 * A page size from a query parameter: `fallback` when absent, otherwise a whole number from 1 to
 * `max`; anything else is a 400 naming the parameter.
 *
 * @public
 */
export function pageLimit(
  value: unknown,
  options: { fallback: number; max: number; name?: string },
): number {
  if (value === undefined || value === '') return options.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InputError(
      `Query parameter '${
        options.name ?? 'limit'
      }' must be a whole number from 1 to ${options.max}`,
    );
  }
  return Math.min(n, options.max);
}

/** One CSV cell: quoted, inner quotes doubled, never read as a formula by a spreadsheet. */
function csvCell(value: unknown): string {
  let text = '';
  if (typeof value === 'string') text = value;
  else if (value !== undefined && value !== null)
    text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * Rows as CSV (RFC 4180, CRLF line ends) with a header of `columns`; objects are written as
 * JSON, and a cell that starts like a formula is defused.
 *
 * @public
 */
export function toCsv(columns: readonly string[], rows: unknown[][]): string {
  return `${[columns, ...rows]
    .map(row => row.map(csvCell).join(','))
    .join('\r\n')}\r\n`;
}

/** Sends `text` as a CSV file download named `filename`. @public */
export function sendCsv(res: Response, filename: string, text: string) {
  res.type('text/csv').attachment(filename).send(text);
}

/**
 * A suite plugin's HTTP API: the router generated from its OpenAPI document, behind a JSON body
 * parser limited to `bodyLimit`, so that a body too large or not JSON is answered as what it is
 * (413, 400) rather than as a validation error. `beforeJson` mounts routes that read their body
 * otherwise (a plan uploaded as text) ahead of the parser. Mount `outer`; add routes to `router`.
 *
 * @public
 */
export async function createInfraApiRouter<R extends Router>(
  createOpenApiRouter: (options: {
    middleware: RequestHandler[];
  }) => Promise<R>,
  options: { bodyLimit: string; beforeJson?: (outer: Router) => void },
): Promise<{ outer: Router; router: R }> {
  const outer = PromiseRouter();
  options.beforeJson?.(outer);
  outer.use(express.json({ limit: options.bodyLimit }));
  const router = await createOpenApiRouter({
    middleware: [(_req, _res, next) => next()],
  });
  outer.use(router);
  return { outer, router };
}
