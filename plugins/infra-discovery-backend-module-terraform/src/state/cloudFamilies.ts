import {
  ATTACK_PATH_TARGETS,
  EdgeType,
  INTERNET_ASSET_ID,
} from '@infra-hub/plugin-infra-discovery-common';

/**
 * Security relationships of Azure (`azurerm`) and Google (`google`) resources in a state, read the
 * way the AWS ones are: who a workload runs as, what its identity may reach, and what the internet
 * reaches (network security groups and firewall rules open to it, public IPs, databases open to
 * public networks, public buckets).
 */

/** What the inference needs of the graph being built. */
export type InferenceContext = {
  entries: Array<{
    type: string;
    id: string;
    attrs: Record<string, unknown>;
  }>;
  edge(
    from: string | undefined,
    to: string | undefined,
    type: EdgeType,
    details?: Record<string, unknown>,
  ): void;
};

const OPEN_SOURCES = new Set(['*', 'internet', '0.0.0.0/0', 'any', '::/0']);
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] =>
  list(v).filter((x): x is string => typeof x === 'string');
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

/** `/subscriptions/<id>/...` → the subscription id (Azure ids are case-insensitive). */
export function azureSubscriptionOf(id: unknown): string | undefined {
  const text = lower(id);
  const start = text.indexOf('/subscriptions/');
  if (start < 0) return undefined;
  const rest = text.slice(start + '/subscriptions/'.length);
  const end = rest.indexOf('/');
  return end < 0 ? rest || undefined : rest.slice(0, end) || undefined;
}

/** `West Europe` / `westeurope` → `westeurope`. */
export const azureLocation = (v: unknown) => lower(v).split(' ').join('');

const AZURE_VMS = new Set([
  'azurerm_linux_virtual_machine',
  'azurerm_windows_virtual_machine',
  'azurerm_virtual_machine',
]);
const AZURE_PUBLIC_DATABASES: Record<string, string> = {
  azurerm_postgresql_flexible_server_firewall_rule: 'server_id',
  azurerm_mysql_flexible_server_firewall_rule: 'server_id',
  azurerm_mssql_firewall_rule: 'server_id',
  azurerm_postgresql_firewall_rule: 'server_name',
};

/** The ports of NSG rules that let the internet in, or none. */
function openNsgPorts(rules: unknown): string[] {
  const ports: string[] = [];
  for (const r of list(rules)) {
    if (lower(r?.direction) !== 'inbound' || lower(r?.access) !== 'allow')
      continue;
    const sources = [
      lower(r?.source_address_prefix),
      ...strings(r?.source_address_prefixes).map(lower),
    ];
    if (!sources.some(s => OPEN_SOURCES.has(s))) continue;
    const range = [
      r?.destination_port_range,
      ...strings(r?.destination_port_ranges),
    ].filter(p => typeof p === 'string' && p);
    const protocol = lower(r?.protocol) || '*';
    for (const p of range.length ? range : ['*'])
      ports.push(`${p === '*' ? '0-65535' : p}/${protocol}`);
  }
  return ports;
}

export function inferAzure(ctx: InferenceContext) {
  const { entries, edge } = ctx;
  const byAzureId = new Map<string, string>();
  const byPrincipal = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const e of entries) {
    if (!e.type.startsWith('azurerm_')) continue;
    // Associations share the id of what they associate: the first resource keeps it.
    const azureId = lower(e.attrs.id);
    if (azureId && !byAzureId.has(azureId)) byAzureId.set(azureId, e.id);
    if (typeof e.attrs.name === 'string')
      byName.set(`${e.type}:${lower(e.attrs.name)}`, e.id);
    if (
      e.type === 'azurerm_user_assigned_identity' &&
      typeof e.attrs.principal_id === 'string'
    )
      byPrincipal.set(e.attrs.principal_id, e.id);
    // A system-assigned identity is the workload itself.
    for (const identity of list(e.attrs.identity)) {
      if (typeof identity?.principal_id === 'string')
        byPrincipal.set(identity.principal_id, e.id);
    }
  }
  const find = (v: unknown) => byAzureId.get(lower(v));
  const entryById = new Map(entries.map(e => [e.id, e]));

  // Which NSGs guard which NICs and subnets, and which NSGs are open to the internet.
  const nsgOfNic = new Map<string, string[]>();
  const nsgOfSubnet = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string | undefined, v?: string) => {
    if (k && v) m.set(k, [...(m.get(k) ?? []), v]);
  };
  const openRules = new Map<string, string[]>();
  for (const e of entries) {
    const a = e.attrs;
    switch (e.type) {
      case 'azurerm_network_security_group': {
        const ports = openNsgPorts(a.security_rule);
        if (ports.length) openRules.set(e.id, ports);
        break;
      }
      case 'azurerm_network_security_rule': {
        const nsg = byName.get(
          `azurerm_network_security_group:${lower(
            a.network_security_group_name,
          )}`,
        );
        const ports = openNsgPorts([a]);
        if (nsg && ports.length)
          openRules.set(nsg, [...(openRules.get(nsg) ?? []), ...ports]);
        edge(e.id, nsg, 'attached_to');
        break;
      }
      case 'azurerm_subnet_network_security_group_association':
        add(nsgOfSubnet, find(a.subnet_id), find(a.network_security_group_id));
        break;
      case 'azurerm_network_interface_security_group_association':
        add(
          nsgOfNic,
          find(a.network_interface_id),
          find(a.network_security_group_id),
        );
        break;
      default:
        break;
    }
  }
  for (const [nsg, ports] of openRules)
    edge(INTERNET_ASSET_ID, nsg, 'internet_ingress', { ports });

  for (const e of entries) {
    const a = e.attrs;
    if (AZURE_VMS.has(e.type)) {
      const nics = strings(a.network_interface_ids).map(find);
      let guarded = false;
      let publicIp = false;
      for (const nic of nics) {
        if (!nic) continue;
        edge(e.id, nic, 'depends_on', { attribute: 'network_interface_ids' });
        const nicEntry = entryById.get(nic);
        const subnets = list(nicEntry?.attrs.ip_configuration).map(c =>
          find(c?.subnet_id),
        );
        if (
          list(nicEntry?.attrs.ip_configuration).some(
            c => typeof c?.public_ip_address_id === 'string',
          )
        )
          publicIp = true;
        const nsgs = [
          ...(nsgOfNic.get(nic) ?? []),
          ...subnets.flatMap(s => (s ? nsgOfSubnet.get(s) ?? [] : [])),
        ];
        for (const nsg of nsgs) {
          guarded = true;
          // Reachable through an open NSG only with a public IP to reach it by.
          if (publicIp)
            edge(e.id, nsg, 'depends_on', { via: 'network security group' });
        }
        for (const s of subnets) edge(s, e.id, 'contains');
      }
      if (publicIp && !guarded)
        edge(INTERNET_ASSET_ID, e.id, 'internet_ingress', {
          via: 'a public IP and no network security group',
        });
      for (const identity of list(a.identity)) {
        for (const uai of strings(identity?.identity_ids))
          edge(e.id, find(uai), 'executes_as', { attribute: 'identity' });
      }
      continue;
    }
    switch (e.type) {
      case 'azurerm_role_assignment': {
        const principal = byPrincipal.get(String(a.principal_id ?? ''));
        const scope = lower(a.scope);
        const role = String(a.role_definition_name ?? a.role_definition_id);
        // The scope is one resource, or a resource group or subscription holding many.
        const one = find(scope);
        const container =
          !one || entryById.get(one)?.type === 'azurerm_resource_group';
        const targets = !container
          ? [one!]
          : entries
              .filter(
                x =>
                  ATTACK_PATH_TARGETS[x.type] &&
                  lower(x.attrs.id).startsWith(`${scope}/`),
              )
              .map(x => x.id);
        for (const t of targets)
          edge(principal, t, 'can_access', { actions: [role] });
        edge(e.id, principal, 'attached_to');
        break;
      }
      case 'azurerm_lb':
        if (
          list(a.frontend_ip_configuration).some(
            c => typeof c?.public_ip_address_id === 'string',
          )
        )
          edge(INTERNET_ASSET_ID, e.id, 'internet_ingress', {
            via: 'a public frontend IP',
          });
        break;
      case 'azurerm_storage_account':
        if (a.allow_nested_items_to_be_public === true)
          edge(INTERNET_ASSET_ID, e.id, 'internet_ingress', {
            via: 'public blob access allowed',
          });
        break;
      default: {
        const serverKey = AZURE_PUBLIC_DATABASES[e.type];
        if (!serverKey) break;
        // A firewall rule from 0.0.0.0 to 255.255.255.255 opens the server to everyone
        // (0.0.0.0 to 0.0.0.0 only means Azure's own services).
        if (
          a.start_ip_address === '0.0.0.0' &&
          a.end_ip_address === '255.255.255.255'
        ) {
          const server =
            serverKey === 'server_id'
              ? find(a.server_id)
              : entries.find(
                  x =>
                    x.type === 'azurerm_postgresql_server' &&
                    lower(x.attrs.name) === lower(a.server_name),
                )?.id;
          const serverEntry = server ? entryById.get(server) : undefined;
          if (serverEntry?.attrs.public_network_access_enabled !== false)
            edge(INTERNET_ASSET_ID, server, 'internet_ingress', {
              via: 'a firewall rule open to every address',
            });
          edge(e.id, server, 'attached_to');
        }
        break;
      }
    }
  }
}

/** `serviceAccount:x@p.iam.gserviceaccount.com` → the e-mail. */
const serviceAccountOf = (member: unknown) =>
  typeof member === 'string' && member.startsWith('serviceAccount:')
    ? member.slice('serviceAccount:'.length)
    : undefined;
const lastSegment = (v: unknown) => lower(v).split('/').pop() ?? '';

export function inferGoogle(ctx: InferenceContext) {
  const { entries, edge } = ctx;
  const byEmail = new Map<string, string>();
  const byTypeName = new Map<string, string>();
  for (const e of entries) {
    if (!e.type.startsWith('google_')) continue;
    if (typeof e.attrs.email === 'string') byEmail.set(e.attrs.email, e.id);
    if (typeof e.attrs.name === 'string')
      byTypeName.set(`${e.type}:${lastSegment(e.attrs.name)}`, e.id);
  }
  const instances = entries.filter(e => e.type === 'google_compute_instance');
  const networkOf = (v: unknown) => lastSegment(v) || 'default';
  const externallyReachable = (a: Record<string, unknown>) =>
    list(a.network_interface).some(n => list(n?.access_config).length > 0);

  const grant = (
    member: unknown,
    target: string | undefined,
    role: unknown,
    via: string,
  ) => {
    if (member === 'allUsers' || member === 'allAuthenticatedUsers') {
      edge(INTERNET_ASSET_ID, target, 'internet_ingress', {
        via: `${via} grants ${member} ${String(role)}`,
      });
      return;
    }
    const sa = serviceAccountOf(member);
    edge(sa ? byEmail.get(sa) : undefined, target, 'can_access', {
      actions: [String(role)],
    });
  };
  const members = (a: Record<string, unknown>) => [
    ...(typeof a.member === 'string' ? [a.member] : []),
    ...strings(a.members),
  ];
  const targetsInProject = (project: unknown) =>
    entries
      .filter(
        x =>
          ATTACK_PATH_TARGETS[x.type] &&
          x.type.startsWith('google_') &&
          (project === undefined || x.attrs.project === project),
      )
      .map(x => x.id);

  for (const e of entries) {
    const a = e.attrs;
    switch (e.type) {
      case 'google_compute_firewall': {
        if (lower(a.direction || 'INGRESS') !== 'ingress') break;
        if (!strings(a.source_ranges).some(r => OPEN_SOURCES.has(r))) break;
        const ports = list(a.allow).flatMap(rule => {
          const protocol = lower(rule?.protocol) || 'all';
          const ps = strings(rule?.ports);
          return ps.length
            ? ps.map(p => `${p}/${protocol}`)
            : [`0-65535/${protocol}`];
        });
        if (!ports.length) break;
        edge(INTERNET_ASSET_ID, e.id, 'internet_ingress', { ports });
        const targetTags = strings(a.target_tags);
        const targetAccounts = strings(a.target_service_accounts);
        for (const vm of instances) {
          const v = vm.attrs;
          const sameNetwork = list(v.network_interface).some(
            n => networkOf(n?.network) === networkOf(a.network),
          );
          if (!sameNetwork || !externallyReachable(v)) continue;
          const vmTags = strings(v.tags);
          const vmAccounts = list(v.service_account).map(s => s?.email);
          const targeted =
            (targetTags.length === 0 && targetAccounts.length === 0) ||
            targetTags.some(t => vmTags.includes(t)) ||
            targetAccounts.some(t => vmAccounts.includes(t));
          if (targeted)
            edge(vm.id, e.id, 'depends_on', { via: 'firewall rule' });
        }
        break;
      }
      case 'google_compute_instance':
        for (const sa of list(a.service_account))
          edge(e.id, byEmail.get(String(sa?.email)), 'executes_as', {
            attribute: 'service_account',
          });
        break;
      case 'google_sql_database_instance': {
        const ip = list(list(a.settings)[0]?.ip_configuration)[0];
        const open = list(ip?.authorized_networks).some(n =>
          OPEN_SOURCES.has(String(n?.value)),
        );
        if (ip?.ipv4_enabled !== false && open)
          edge(INTERNET_ASSET_ID, e.id, 'internet_ingress', {
            via: 'an authorized network of 0.0.0.0/0',
          });
        break;
      }
      case 'google_service_account_key':
        edge(
          e.id,
          byEmail.get(lastSegment(a.service_account_id)) ??
            byTypeName.get(
              `google_service_account:${lastSegment(a.service_account_id)}`,
            ),
          'attached_to',
          { via: 'a key of the service account' },
        );
        break;
      case 'google_project_iam_member':
      case 'google_project_iam_binding':
        for (const m of members(a))
          for (const t of targetsInProject(a.project))
            grant(m, t, a.role, 'the project');
        break;
      case 'google_storage_bucket_iam_member':
      case 'google_storage_bucket_iam_binding':
        for (const m of members(a))
          grant(
            m,
            byTypeName.get(`google_storage_bucket:${lastSegment(a.bucket)}`),
            a.role,
            'the bucket policy',
          );
        break;
      case 'google_secret_manager_secret_iam_member':
        for (const m of members(a))
          grant(
            m,
            entries.find(
              x =>
                x.type === 'google_secret_manager_secret' &&
                (x.attrs.id === a.secret_id ||
                  lastSegment(x.attrs.secret_id) === lastSegment(a.secret_id)),
            )?.id,
            a.role,
            'the secret policy',
          );
        break;
      default:
        break;
    }
  }
}
