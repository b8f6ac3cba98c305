import {
  ATTACK_PATH_TARGETS,
  INTERNET_ASSET_ID,
} from '@infra-hub/plugin-infra-discovery-common';
import { InferenceContext, list, lower, OPEN_SOURCES, strings } from './common';

/*
 * Security relationships of Google (`google`) resources: service accounts workloads run as, the
 * roles granted to them, firewall rules open to the internet, public buckets.
 */

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
