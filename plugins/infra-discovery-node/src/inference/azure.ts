import {
  ATTACK_PATH_TARGETS,
  INTERNET_ASSET_ID,
} from '@infra-hub/plugin-infra-discovery-common';
import { InferenceContext, list, lower, OPEN_SOURCES, strings } from './common';

/*
 * Security relationships of Azure (`azurerm`) resources, read the way the AWS ones are: who a
 * workload runs as, what its identity may reach, and what the internet reaches (network security
 * groups open to it, public IPs, databases open to public networks, public storage).
 */

const SUBSCRIPTIONS = /\/subscriptions\//i;

/** `/subscriptions/<id>/...` → the subscription id (Azure ids are case-insensitive). */
export function azureSubscriptionOf(id: unknown): string | undefined {
  // Most ids are not Azure's: test before making a lower-case copy of each.
  if (typeof id !== 'string' || !SUBSCRIPTIONS.test(id)) return undefined;
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
