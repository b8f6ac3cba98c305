import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotImplementedError } from '@backstage/errors';
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
    const claimed = (info.profile as { email?: string }).email;
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

/**
 * The portal's sign-in providers, each recording every sign-in in the suite's audit log:
 * `guest` (development only; configured under auth.providers.guest) and `oidc` (any OpenID
 * Connect provider; auth.providers.oidc). Replaces Backstage's guest and OIDC provider modules.
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
