import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  InputError,
  NotAllowedError,
  NotImplementedError,
} from '@backstage/errors';
import {
  oidcAuthenticator,
  oidcSignInResolvers,
} from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  commonSignInResolvers,
  createOAuthProviderFactory,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  createSignInResolverFactory,
  SignInInfo,
  SignInResolver,
  SignInResolverFactory,
  AuthResolverContext,
} from '@backstage/plugin-auth-node';
import { SignInRecorder, subjectOf } from './SignInRecorder';

/** Wraps a sign-in resolver so that every sign-in, and every refused one, is audited. */
export function auditedResolver<T>(
  recorder: SignInRecorder,
  provider: string,
  resolver: SignInResolver<T>,
): SignInResolver<T> {
  return async (info: SignInInfo<T>, ctx: AuthResolverContext) => {
    const claimed =
      (info.profile as { email?: string }).email ??
      (info.result as { userRef?: string } | undefined)?.userRef;
    try {
      const result = await resolver(info, ctx);
      await recorder.record({
        provider,
        actor: subjectOf(result.token) ?? claimed ?? 'unknown',
        outcome: 'success',
      });
      return result;
    } catch (error) {
      await recorder.record({
        provider,
        actor: claimed ?? 'unknown',
        outcome: 'failure',
        reason: (error as Error).name,
      });
      throw error;
    }
  };
}

function auditedFactories(
  recorder: SignInRecorder,
  provider: string,
  factories: Record<string, SignInResolverFactory>,
): Record<string, SignInResolverFactory> {
  return Object.fromEntries(
    Object.entries(factories).map(([name, factory]) => [
      name,
      createSignInResolverFactory({
        create: (options?: unknown) =>
          auditedResolver(recorder, provider, factory(options as any)),
      }) as SignInResolverFactory,
    ]),
  );
}

const guestAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize() {},
  async authenticate() {
    return { result: {} };
  },
});

/** The development-only guest, as Backstage's guest provider signs it in. */
function guestResolver(config: Config): SignInResolver<{}> {
  return async (_info, ctx) => {
    if (
      process.env.NODE_ENV !== 'development' &&
      config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') !== true
    ) {
      throw new NotImplementedError(
        'The guest provider is only for development (NODE_ENV=development)',
      );
    }
    const userRef =
      config.getOptionalString('userEntityRef') ??
      stringifyEntityRef({
        kind: 'user',
        namespace: 'development',
        name: 'guest',
      });
    try {
      return await ctx.signInWithCatalogUser({ entityRef: userRef });
    } catch {
      return ctx.issueToken({
        claims: {
          sub: userRef,
          ent: config.getOptionalStringArray('ownershipEntityRefs') ?? [
            userRef,
          ],
        },
      });
    }
  };
}

const demoAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async (result: { userRef: string }) => ({
    profile: { displayName: result.userRef },
  }),
  initialize() {},
  async authenticate({ req }) {
    const user = req.query.user;
    if (typeof user !== 'string' || !user) {
      throw new InputError('Choose a demo user: ?user=user:<namespace>/<name>');
    }
    return { result: { userRef: user } };
  },
});

/**
 * Development only: signs in as one of the demo users listed in auth.providers.demo.users, so
 * that the demo's different roles can be tried without an identity provider.
 */
function demoResolver(config: Config): SignInResolver<{ userRef: string }> {
  const allowed = new Set(config.getOptionalStringArray('users') ?? []);
  return async (info, ctx) => {
    if (process.env.NODE_ENV !== 'development') {
      throw new NotImplementedError(
        'Demo sign-in is only for development (NODE_ENV=development)',
      );
    }
    if (!allowed.has(info.result.userRef)) {
      throw new NotAllowedError(
        `${info.result.userRef} is not a demo user (auth.providers.demo.users)`,
      );
    }
    return ctx.signInWithCatalogUser({ entityRef: info.result.userRef });
  };
}

/**
 * The portal's sign-in providers, each recording every sign-in in the suite's audit log:
 * `guest` and `demo` (development only; auth.providers.guest, auth.providers.demo) and `oidc`
 * (any OpenID Connect provider; auth.providers.oidc). Replaces Backstage's guest and OIDC provider modules.
 *
 * @public
 */
export const authModuleInfra = createBackendModule({
  pluginId: 'auth',
  moduleId: 'infra',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ providers, config, discovery, auth, logger }) {
        const recorder = new SignInRecorder({ discovery, auth, logger });
        const guestConfig = config.getOptionalConfig('auth.providers.guest');
        if (guestConfig) {
          providers.registerProvider({
            providerId: 'guest',
            factory: createProxyAuthProviderFactory({
              authenticator: guestAuthenticator,
              signInResolver: auditedResolver(
                recorder,
                'guest',
                guestResolver(guestConfig),
              ),
            }),
          });
        }
        const demoConfig = config.getOptionalConfig('auth.providers.demo');
        if (demoConfig) {
          providers.registerProvider({
            providerId: 'demo',
            factory: createProxyAuthProviderFactory({
              authenticator: demoAuthenticator,
              signInResolver: auditedResolver(
                recorder,
                'demo',
                demoResolver(demoConfig),
              ),
            }),
          });
        }
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            signInResolverFactories: auditedFactories(recorder, 'oidc', {
              ...commonSignInResolvers,
              ...oidcSignInResolvers,
            }),
          }),
        });
      },
    });
  },
});
