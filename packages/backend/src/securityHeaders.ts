import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { RequestHandler } from 'express';

/**
 * Forbids framing of every backend response (X-Frame-Options: DENY, where Backstage's default is
 * SAMEORIGIN). Backstage's defaults stay as they are: HSTS, nosniff and the Content-Security-Policy
 * from `backend.csp` (which sets frame-ancestors 'none' in app-config.yaml).
 */
export const denyFraming: RequestHandler = (_req, res, next) => {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = ((name: string, value: number | string | readonly string[]) =>
    setHeader(
      name,
      name.toLowerCase() === 'x-frame-options' ? 'DENY' : value,
    )) as typeof res.setHeader;
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

/** The root HTTP router with Backstage's defaults and {@link denyFraming} in front of them. */
export const rootHttpRouterWithSecurityHeaders = rootHttpRouterServiceFactory({
  configure({ app, applyDefaults }) {
    app.use(denyFraming);
    applyDefaults();
  },
});
