export interface Config {
  infra?: {
    /** The Infra Hub security spine (plugin infra-security). */
    security?: {
      /**
       * The credential vault: AES-256-GCM under master keys given here. Without it, credential
       * endpoints answer 503. To rotate: add a new key, make it `activeKey`, restart, call
       * `POST /api/infra-security/vault/rotate` (or `yarn infra-security rotate-vault` with INFRA_HUB_TOKEN), then
       * remove the old key.
       */
      vault?: {
        /** The id of the key new values are encrypted with; one of `keys`. */
        activeKey: string;
        /**
         * Master keys by id, each 32 random bytes in base64 (`openssl rand -base64 32`).
         * @visibility secret
         */
        keys: { [keyId: string]: string };
      };
      /**
       * The secret behind the fingerprints of secrets found in Terraform state and plans (at
       * least 16 characters; `openssl rand -base64 32`). Each tenant's salt is derived from it,
       * so a fingerprint is stable across restarts and means nothing in another tenant. Without
       * it, the vault's active key is used (fingerprints change when it is rotated); without a
       * vault either, a random one per start.
       * @visibility secret
       */
      fingerprintSalt?: string;
      /** The audit log. */
      audit?: {
        /**
         * How often (minutes, default 10) the head of every audit chain that moved is signed
         * with the installation's ML-DSA-65 audit key, so that `GET /audit/{scope}/verify`
         * detects the newest events removed. Needs the vault.
         */
        checkpointMinutes?: number;
      };
      /** Machine API keys. */
      apiKeys?: {
        /** Days a new key lives when its creator asks for no lifetime. Default 90. */
        defaultDays?: number;
        /** The longest lifetime a creator may ask for, in days. Default 365. */
        maxDays?: number;
      };
      /** Applied at every start; creates what is missing and never removes anything. */
      bootstrap?: {
        /** Users (entity refs) who hold system-admin, e.g. the first administrator. */
        systemAdmins?: string[];
        /** Tenants by id (lowercase letters, digits, dashes). */
        tenants?: {
          [tenantId: string]: {
            title: string;
            description?: string;
            /** Workspaces by id. */
            workspaces?: { [workspaceId: string]: { title: string } };
            /** Users (entity refs) by role: tenant-admin, security-analyst, auditor, read-only. */
            members?: { [role: string]: string[] };
          };
        };
      };
    };
  };
}
