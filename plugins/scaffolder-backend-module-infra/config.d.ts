export interface Config {
  infra?: {
    /** The golden paths' scaffolder actions (module scaffolder-backend-module-infra). */
    scaffolder?: {
      /**
       * Where `infra:publish:git` may publish new repositories. Templates name a remote, never a
       * URL. Each remote is either a folder of bare repositories on the backend's host
       * (`directory`, relative to the backend's working directory; `<repository>.git` is created
       * there, and the catalog reads it through this module's URL reader) or a git server
       * speaking smart HTTP (`url`; the repository is `<url>/<repository>.git`, which the server
       * must accept a push to, e.g. Gitea's push-to-create or a repository made beforehand).
       */
      gitRemotes?: Array<{
        /** The remote's name in templates (lowercase letters, digits, hyphens). */
        name: string;
        /** A folder of bare repositories on this host. */
        directory?: string;
        /** `https://git.example.com/platform`. */
        url?: string;
        /** The user of an HTTP remote (default `x-access-token`). */
        username?: string;
        /**
         * The token or password of an HTTP remote.
         * @visibility secret
         */
        token?: string;
        /**
         * Where the catalog reads an HTTP remote's files, with `{repository}` and `{branch}`
         * (Gitea: `https://git.example.com/platform/{repository}/src/branch/{branch}`; GitLab:
         * `https://gitlab.example.com/platform/{repository}/-/blob/{branch}`). The catalog
         * needs a matching Backstage integration to read it. Default
         * `<url>/{repository}/blob/{branch}`.
         */
        browseUrl?: string;
      }>;
      /** The remote of templates that name none (default: the first listed). */
      defaultGitRemote?: string;
    };
  };
}
