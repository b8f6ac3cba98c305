import crypto from 'node:crypto';

/**
 * Attributes providers keep secrets in, by resource type: a path of attribute names from the
 * instance's attributes (blocks and lists are walked through, their indexes left out).
 */
const SECRET_ATTRIBUTES: Record<string, string[]> = {
  aws_db_instance: ['password'],
  aws_rds_cluster: ['master_password'],
  aws_docdb_cluster: ['master_password'],
  aws_neptune_cluster: [],
  aws_redshift_cluster: ['master_password'],
  aws_redshiftserverless_namespace: ['admin_user_password'],
  aws_elasticache_replication_group: ['auth_token'],
  aws_elasticache_user: ['passwords'],
  aws_mq_broker: ['user.password'],
  aws_iam_access_key: ['secret', 'ses_smtp_password_v4', 'encrypted_secret'],
  aws_iam_user_login_profile: ['password'],
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary'],
  aws_ssm_parameter: ['value'],
  aws_opensearch_domain: [
    'advanced_security_options.master_user_options.master_user_password',
  ],
  aws_elasticsearch_domain: [
    'advanced_security_options.master_user_options.master_user_password',
  ],
  aws_lightsail_key_pair: ['private_key'],
  aws_dms_endpoint: ['password'],
  aws_glue_connection: ['connection_properties.PASSWORD'],
  aws_appsync_api_key: ['key'],
  aws_api_gateway_api_key: ['value'],
  aws_cognito_user_pool_client: ['client_secret'],
  tls_private_key: [
    'private_key_pem',
    'private_key_openssh',
    'private_key_pem_pkcs8',
  ],
  random_password: ['result', 'bcrypt_hash'],
  azurerm_mssql_server: ['administrator_login_password'],
  azurerm_postgresql_flexible_server: ['administrator_password'],
  azurerm_storage_account: [
    'primary_access_key',
    'secondary_access_key',
    'primary_connection_string',
    'secondary_connection_string',
  ],
  google_sql_user: ['password'],
  google_service_account_key: ['private_key'],
  kubernetes_secret: ['data', 'binary_data'],
  kubernetes_secret_v1: ['data', 'binary_data'],
  github_actions_secret: ['plaintext_value'],
  vault_generic_secret: ['data_json'],
  databricks_token: ['token_value'],
};

/** The attribute path with list indexes left out, dotted: `user.0.password` → `user.password`. */
export function schemaPath(path: readonly (string | number)[]): string {
  return path.filter(p => typeof p === 'string').join('.');
}

/** True when providers keep secrets in some attribute of this resource type. */
export function hasSecretAttributes(type: string): boolean {
  return (SECRET_ATTRIBUTES[type]?.length ?? 0) > 0;
}

/** True when a provider keeps a secret at this path of a resource of this type. */
export function isSecretAttribute(
  type: string,
  path: readonly (string | number)[],
  attributes?: Record<string, unknown>,
): boolean {
  const known = SECRET_ATTRIBUTES[type];
  if (!known) return false;
  const dotted = schemaPath(path);
  if (!known.some(k => dotted === k || dotted.startsWith(`${k}.`)))
    return false;
  // A plain String parameter is configuration; only SecureString ones are secrets.
  if (type === 'aws_ssm_parameter') return attributes?.type === 'SecureString';
  return true;
}

const SECRET_NAME =
  /(^|[_.-])(password|passwd|passphrase|secret|secret_key|secret_access_key|token|auth_token|api_key|apikey|access_key|private_key|client_secret|connection_string|credentials?)$/i;
/** Names that end like a secret's but name something else: its id, ARN, name, public half. */
const NOT_SECRET_NAME =
  /(_id|_ids|_arn|_arns|_name|_names|_version|_length|_type|_policy|_rotation|_enabled|_count|_ttl|_version_id|public_key|key_pair|kms_key|secret_id|token_id)$/i;

/** True when a name (an attribute, variable or tfvars key) says it holds a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name);
}

const HINT =
  /key|api|token|secret|client|pass|pwd|auth|access|credential|connection|private|signature|session|cookie|salt|seed/i;

/**
 * A cheaper first test of a whole line of code: false when no name or value on it could hint at a
 * secret or hold a private key (a superset of the per-name test, so nothing it passes is lost).
 */
export function lineMayHoldSecret(line: string): boolean {
  return HINT.test(line) || line.indexOf('PRIVATE KEY') >= 0;
}

/**
 * True when a name hints that its value may be a credential (as gitleaks' generic rule asks of
 * a key before it looks at a value's entropy): random-looking values elsewhere are ids.
 */
export function mayHoldSecret(name: string | undefined): boolean {
  return !!name && HINT.test(name) && !NOT_SECRET_NAME.test(name);
}

const hinted = new Map<string, boolean>();

/**
 * A cheap first test: false when no detector could take a value under this name. Remembered
 * per name (a state repeats its attribute names), up to 10 000 names.
 */
export function hintsAtSecret(name: string | undefined): boolean {
  if (!name) return false;
  let known = hinted.get(name);
  if (known === undefined) {
    known = HINT.test(name);
    if (hinted.size >= 10_000) hinted.clear();
    hinted.set(name, known);
  }
  return known;
}

const PRIVATE_KEY =
  /-----BEGIN ((RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----/;

/** True when the text holds a PEM or OpenSSH private key block. */
export function hasPrivateKey(value: string): boolean {
  return value.indexOf('PRIVATE KEY-----') >= 0 && PRIVATE_KEY.test(value);
}

/** Values that are never credentials however random they look. */
const DECOYS: RegExp[] = [
  // UUIDs, and hex digests of the usual lengths (MD5, SHA-1, SHA-256, SHA-512: etags, hashes).
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i,
  // Base64 digests (source_code_hash, etag of 22/44 chars with padding).
  /^[A-Za-z0-9+/]{43}=$/,
  /^[A-Za-z0-9+/]{22}==$/,
  // ARNs, URLs and hostnames, resource ids such as sg-0a1b2c3d, ami-..., vpc-...
  /^arn:/,
  /^[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*(?:\/|$)/i,
  /^[a-z]{1,6}-[0-9a-f]{8,17}$/,
  // AWS unique ids of roles, users, groups, policies (not access key ids: those are AKIA/ASIA).
  /^(AROA|AIDA|AGPA|ANPA|ANVA|AIPA|APKA|ASCA|ACCA)[A-Z0-9]{12,}$/,
  // Public keys, certificates and JSON documents (policies).
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-)/,
  /-----BEGIN (CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY)-----/,
  /^\s*[[{]/,
];

/** The example credentials of AWS's and other documentation: never real. */
const EXAMPLES = [
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
];

/** True for documentation examples (AWS's EXAMPLE keys) and placeholders. */
export function isExampleValue(value: string): boolean {
  return (
    EXAMPLES.some(e => value.includes(e)) ||
    /^(changeme|change_me|example|placeholder|x+|\*+|<[^>]*>|\$\{[^}]*\})$/i.test(
      value,
    )
  );
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * True when a value looks like a random credential: 20 to 1000 characters without spaces, not a
 * known decoy (UUID, digest, ARN, URL, id, public key, JSON), with the entropy of random text
 * (4.2 bits per character; 3.3 for hex-only values).
 */
export function isHighEntropy(value: string): boolean {
  if (value.length < 20 || value.length > 1000 || /\s/.test(value))
    return false;
  if (isExampleValue(value) || DECOYS.some(d => d.test(value))) return false;
  const hex = /^[0-9a-f]+$/i.test(value);
  return entropy(value) >= (hex ? 3.3 : 4.2);
}

/** True when a string value may be a secret at all: not empty, a placeholder or redacted. */
export function isCandidateValue(value: string): boolean {
  return (
    value.length >= 6 &&
    value !== '(sensitive)' &&
    !isExampleValue(value) &&
    !/^(true|false|null|\d+)$/.test(value)
  );
}

/**
 * The fingerprint of a secret: HMAC-SHA256 with the installation's (or the run's) salt, 32 hex
 * digits. The same secret found twice has the same fingerprint; the value cannot be got back.
 */
export function secretFingerprint(salt: string, value: string): string {
  return crypto
    .createHmac('sha256', salt)
    .update(value)
    .digest('hex')
    .slice(0, 32);
}
