import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Where a provider may connect for a source created through the API (sources in app-config are
 * the operator's and are not restricted). The default policy allows public addresses only.
 *
 * @public
 */
export type EgressPolicy = {
  /** Networks (CIDR, e.g. `10.20.0.0/16`) allowed although they are not public. */
  allowedNetworks: string[];
  /** Whether a source without a credential may use the backend host's own cloud identity. */
  allowHostIdentity: boolean;
};

/** The policy when app-config says nothing: public addresses only, no host identity. @public */
export const DEFAULT_EGRESS_POLICY: EgressPolicy = {
  allowedNetworks: [],
  allowHostIdentity: false,
};

/** Raised when a connection would leave the policy; its message names the address and why. */
export class EgressError extends Error {
  name = 'EgressError';
}

/** Ranges that are never public: loopback, link-local (cloud metadata), private, and the like. */
const NON_PUBLIC: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'a "this network" address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'the unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['fc00::', 7, 'ipv6', 'a unique-local address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

function blockList(ranges: Array<[string, number, 'ipv4' | 'ipv6']>) {
  const list = new net.BlockList();
  for (const [address, prefix, family] of ranges)
    list.addSubnet(address, prefix, family);
  return list;
}

/** Each non-public range as a block list of its own, with what it is (built once, read only). */
const NON_PUBLIC_LISTS: ReadonlyArray<[net.BlockList, string]> = NON_PUBLIC.map(
  ([base, prefix, fam, what]) => [blockList([[base, prefix, fam]]), what],
);

/** Parses `a.b.c.d/n` or `x::/n`; throws naming the value when it is not a network. */
export function parseNetwork(cidr: string): [string, number, 'ipv4' | 'ipv6'] {
  const [address, bits, ...rest] = cidr.split('/');
  let family: 'ipv4' | 'ipv6' | undefined;
  if (net.isIPv4(address)) family = 'ipv4';
  else if (net.isIPv6(address)) family = 'ipv6';
  const prefix = Number(bits);
  if (
    !family ||
    rest.length ||
    !/^\d{1,3}$/.test(bits ?? '') ||
    prefix > (family === 'ipv4' ? 32 : 128)
  ) {
    throw new Error(`'${cidr}' is not a network in CIDR form (10.0.0.0/8)`);
  }
  return [address, prefix, family];
}

/**
 * Why `address` (an IP literal) may not be reached under the policy, or undefined when it may.
 * IPv4 addresses written as IPv6 (`::ffff:127.0.0.1`) are judged as the IPv4 address.
 *
 * @public
 */
export function refusedAddress(
  address: string,
  policy: EgressPolicy,
): string | undefined {
  // BlockList matches IPv4 rules against IPv4-mapped IPv6 addresses in either notation.
  const family = net.isIPv4(address) ? 'ipv4' : 'ipv6';
  const allowed = blockList(policy.allowedNetworks.map(parseNetwork));
  if (allowed.check(address, family)) return undefined;
  for (const [list, what] of NON_PUBLIC_LISTS) {
    if (list.check(address, family)) return what;
  }
  return undefined;
}

/**
 * A DNS lookup for http(s) agents that resolves the name and refuses it when any address it
 * resolves to is outside the policy. It runs at connect time, for every connection, so a name
 * that resolves to a public address once and a private one later (DNS rebinding) is refused.
 */
function guardedLookup(policy: EgressPolicy) {
  return (
    hostname: string,
    options: dns.LookupOptions,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | dns.LookupAddress[],
      family?: number,
    ) => void,
  ) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as dns.LookupAddress[];
      for (const a of list) {
        const why = refusedAddress(a.address, policy);
        if (why) {
          return callback(
            new EgressError(
              `${hostname} resolves to ${a.address}, ${why}: refused by the egress policy (infra.discovery.egress)`,
            ),
            '',
          );
        }
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

/**
 * http and https agents whose connections obey the policy. Hosts written as IP literals never
 * go through a lookup: check them first with {@link assertHostAllowed}.
 *
 * @public
 */
export function egressAgents(policy: EgressPolicy) {
  const lookup = guardedLookup(policy) as unknown as net.LookupFunction;
  return {
    http: new http.Agent({ lookup }),
    https: new https.Agent({ lookup }),
  };
}

/** Refuses a URL whose host is an IP literal outside the policy (names are checked on connect). */
export function assertHostAllowed(url: URL, policy: EgressPolicy) {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(host)) return;
  const why = refusedAddress(host, policy);
  if (why)
    throw new EgressError(
      `${host} is ${why}: refused by the egress policy (infra.discovery.egress)`,
    );
}

/**
 * GET over http(s) within the policy (when one is given): no redirects followed, a time limit
 * and a size limit. Errors name what failed (the address refused, the status, the limit) and
 * never quote the response.
 *
 * @public
 */
export async function egressGet(
  url: string,
  options: {
    policy?: EgressPolicy;
    headers?: Record<string, string>;
    timeoutMs: number;
    maxBytes: number;
  },
): Promise<string> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new EgressError(`only http and https URLs are read`);
  if (options.policy) assertHostAllowed(target, options.policy);
  const agents = options.policy ? egressAgents(options.policy) : undefined;
  const client = target.protocol === 'https:' ? https : http;
  const where = `${target.protocol}//${target.host}${target.pathname}`;
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = client.get(
        target,
        {
          headers: options.headers ?? {},
          timeout: options.timeoutMs,
          ...(agents
            ? {
                agent:
                  target.protocol === 'https:' ? agents.https : agents.http,
              }
            : {}),
        },
        res => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            res.resume();
            reject(
              new EgressError(
                status >= 300 && status < 400
                  ? `${where} answered ${status} (a redirect): redirects are not followed`
                  : `${where} answered ${status}`,
              ),
            );
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBytes) {
              req.destroy();
              reject(
                new EgressError(
                  `${where} is larger than the limit of ${options.maxBytes} bytes`,
                ),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new EgressError(
            `${where} did not answer within ${options.timeoutMs} ms`,
          ),
        ),
      );
      req.on('error', reject);
    });
  } finally {
    agents?.http.destroy();
    agents?.https.destroy();
  }
}
