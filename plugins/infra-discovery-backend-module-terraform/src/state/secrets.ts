import {
  SECRET_MARKERS_ATTRIBUTE,
  SecretMarker,
} from '@infra-hub/plugin-infra-compliance-common';
import {
  scanSecretsInText,
  SecretFinding,
} from '@infra-hub/plugin-infra-compliance-node';
import { Asset, assetId } from '@infra-hub/plugin-infra-discovery-common';

/** The asset type of a state file that keeps secrets outside its resources. */
export const TERRAFORM_STATE_TYPE = 'terraform_state';

/** A finding as its asset lists it: never the value. */
const markerOf = (file: string, f: SecretFinding): SecretMarker => ({
  kind: f.ruleId,
  severity: f.severity,
  ...(f.attribute ? { attribute: f.attribute } : {}),
  file,
  line: f.line,
  fingerprint: f.fingerprint,
});

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
    list.push(markerOf(file, f));
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

/**
 * The state file itself, as an asset of its own (type `terraform_state`), when it keeps secrets
 * that no resource holds (sensitive root outputs, token formats where no resource is): each is
 * listed in `infra_hub_secrets` with its address (`output.db_password`) as the attribute, so the
 * secret rule makes findings of them with their lifecycle like any other. A state without such
 * secrets has no such asset.
 */
export function stateSecretsAsset(
  file: string,
  outside: SecretFinding[],
  assets: Asset[],
): Asset | undefined {
  if (!outside.length) return undefined;
  // The account most of the state's resources are in (a state is one estate's).
  const counts = new Map<string, number>();
  for (const a of assets)
    if (a.account !== '-')
      counts.set(a.account, (counts.get(a.account) ?? 0) + 1);
  const account = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '-';
  return {
    id: assetId({
      provider: 'terraform',
      account,
      region: '-',
      type: TERRAFORM_STATE_TYPE,
      nativeId: file,
    }),
    provider: 'terraform',
    account,
    region: '-',
    type: TERRAFORM_STATE_TYPE,
    nativeId: file,
    name: `Terraform state ${file}`,
    tags: {},
    attributes: {
      [SECRET_MARKERS_ATTRIBUTE]: outside.map(f =>
        markerOf(file, {
          ...f,
          attribute:
            [f.address, f.attribute].filter(Boolean).join('.') || undefined,
        }),
      ),
    },
  };
}
