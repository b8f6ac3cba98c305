export interface Config {
  infra?: {
    pipelines?: {
      /**
       * Connections to CI systems per tenant, kept in line with this file at every start
       * (tenant admins add their own through the API): `{ <tenant>: { <id>: { provider, ... } } }`.
       * Webhooks of a connection go to `/api/infra-pipelines/webhooks/<tenant>/<id>`.
       */
      connections?: {
        [tenant: string]: {
          [id: string]: {
            /** `github`, `gitlab` or `azure-devops`. */
            provider: string;
            /** Shown on the pages (default: the id). */
            name?: string;
            /**
             * The API: `https://api.github.com` (default) or GitHub Enterprise Server's
             * `https://<host>/api/v3`; `https://gitlab.com` (default) or a self-managed GitLab;
             * the Azure DevOps organization `https://dev.azure.com/<org>` or an Azure DevOps
             * Server collection URL.
             */
            baseUrl?: string;
            /**
             * The API token (GitHub: a token with `actions:read`, and `actions:write` to trigger;
             * GitLab: `read_api`, `api` to trigger; Azure DevOps: a PAT with Build read, and
             * execute to trigger). Prefer `tokenCredentialId`.
             * @visibility secret
             */
            token?: string;
            /** A vault credential of the tenant holding the API token. */
            tokenCredentialId?: string;
            /**
             * The webhook secret: GitHub's webhook secret, GitLab's secret token, or the password
             * of Azure DevOps' Basic authentication. Without one every delivery is refused.
             * Prefer `webhookSecretCredentialId`.
             * @visibility secret
             */
            webhookSecret?: string;
            /** A vault credential of the tenant holding the webhook secret. */
            webhookSecretCredentialId?: string;
            /** Pull runs from the API this often, in minutes (default 0: webhooks only). */
            pullMinutes?: number;
          };
        };
      };
      /** Runs and webhook deliveries older than this many days are deleted (default 90). */
      retentionDays?: number;
      /** How long one request to a provider's API may take, in seconds (default 30). */
      requestTimeoutSeconds?: number;
      /** How much of the end of a failed job's log is kept, in KB (default 64). */
      logExcerptKilobytes?: number;
      /** The largest webhook body accepted, in MB (default 5). */
      webhookBodyMegabytes?: number;
      /** Where connections created through the API may point (default: public addresses). */
      egress?: {
        /** Networks (CIDR) allowed although they are not public, e.g. a self-managed GitLab. */
        allowedNetworks?: string[];
      };
      /**
       * A folder of recorded webhook deliveries (`<tenant>/<connection>/*.json`) delivered at
       * start through the webhook route, signed with the connection's secret: the demo's runs.
       */
      recordedEvents?: string;
    };
  };
}
