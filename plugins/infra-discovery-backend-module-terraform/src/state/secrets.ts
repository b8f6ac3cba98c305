import {
  SECRET_MARKERS_ATTRIBUTE,
  SecretMarker,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  scanSecretsInText,
  SecretFinding,
} from '@infra-hub/plugin-infra-compliance-node';
import { Asset } from '@infra-hub/plugin-infra-discovery-common';

/**
 * Finds the secrets a state keeps in plain text (the compliance engine's secret scanner, with
 * the tenant's salt) and lists each on the asset of its resource, in the attribute
 * `infra_hub_secrets`: kind, attribute path, file and line, fingerprint; never the value. A
 * resource of the state with none gets an empty list. Returns how many were listed, and the
 * secrets kept outside any resource (sensitive root outputs, token formats secretlint finds
 * where no resource is), which no asset can carry.
 */
export async function secretMarkers(
  file: string,
  text: string,
  state: unknown,
  salt: string,
  assets: Asset[],
): Promise<{ listed: number; outside: SecretFinding[] }> {
  const { findings } = await scanSecretsInText(file, text, {
    salt,
    parsed: state,
  });
  const addresses = new Set(
    assets.flatMap(a => (a.source?.address ? [a.source.address] : [])),
  );
  const outside: SecretFinding[] = [];
  const byAddress = new Map<string, SecretMarker[]>();
  for (const f of findings) {
    if (!f.address || !addresses.has(f.address)) {
      outside.push(f);
      continue;
    }
    let list = byAddress.get(f.address);
    if (!list) byAddress.set(f.address, (list = []));
    list.push({
      kind: f.ruleId,
      severity: f.severity,
      ...(f.attribute ? { attribute: f.attribute } : {}),
      file,
      line: f.line,
      fingerprint: f.fingerprint,
    });
  }
  let listed = 0;
  for (const asset of assets) {
    if (!asset.source?.address) continue;
    // Every resource of a scanned state says so, with what was found (often nothing), so
    // that the secret rules pass for it rather than not apply.
    const markers = byAddress.get(asset.source.address) ?? [];
    asset.attributes[SECRET_MARKERS_ATTRIBUTE] = markers;
    listed += markers.length;
  }
  return { listed, outside };
}

/** How a secret kept outside any resource is reported: where, what, its fingerprint. */
export function describeOutsideSecret(f: SecretFinding): string {
  return `Secret kept in plain text outside any resource: ${
    f.address ?? 'no resource'
  } (${f.ruleId}, ${f.severity}) at line ${f.line}, fingerprint ${
    f.fingerprint
  }`;
}
