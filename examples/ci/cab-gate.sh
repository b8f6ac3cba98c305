#!/usr/bin/env bash
# The CAB gate of Infra Hub for CI: apply only exactly the plan the change advisory board
# approved, and record the apply back.
#
#   cab-gate.sh check   <tenant> <plan sha256>
#   cab-gate.sh applied <tenant> <plan sha256> <provider> <repository> <run id> [run url]
#
# `check` asks Infra Hub whether a change request of the tenant with exactly this plan hash (the
# `sha256` the plan upload answered) is approved and its ML-DSA-65 approval signatures verify;
# it prints the answer and exits 1 unless approved, so the apply step after it never runs for a
# plan that was not approved (a re-plan has another hash and needs a new approval). `applied`
# marks that change request applied, linked to the run (provider: github, gitlab or
# azure-devops); Infra Hub refuses it for any other plan. Needs INFRA_HUB_URL and
# INFRA_HUB_API_KEY (a machine API key of the tenant, role security-analyst or tenant-admin),
# curl and jq.
set -euo pipefail
cmd=${1:?check or applied} tenant=${2:?tenant} sha=${3:?plan sha256}
api="${INFRA_HUB_URL%/}/api/infra-change/tenants/${tenant}"
auth="Authorization: Bearer ${INFRA_HUB_API_KEY:?INFRA_HUB_API_KEY is required}"

approval() {
  curl --fail-with-body --silent --show-error -H "$auth" \
    "${api}/approvals?planSha256=${sha}"
}

case "$cmd" in
  check)
    answer=$(approval)
    echo "cab-gate: $(jq -r .message <<<"$answer")"
    if [ "$(jq -r .approved <<<"$answer")" != true ]; then
      echo "cab-gate: plan ${sha} is not approved; the apply is blocked" >&2
      exit 1
    fi
    ;;
  applied)
    provider=${4:?provider} repository=${5:?repository} run=${6:?run id} url=${7:-}
    answer=$(approval)
    if [ "$(jq -r .approved <<<"$answer")" != true ]; then
      echo "cab-gate: $(jq -r .message <<<"$answer")" >&2
      exit 1
    fi
    change=$(jq -r .changeRequest.id <<<"$answer")
    body=$(jq -n --arg sha "$sha" --arg provider "$provider" --arg repository "$repository" \
      --arg run "$run" --arg url "$url" \
      '{planSha256: $sha, run: ({provider: $provider, repository: $repository, runId: $run}
        + (if $url == "" then {} else {url: $url} end))}')
    curl --fail-with-body --silent --show-error -H "$auth" -H 'Content-Type: application/json' \
      --data "$body" "${api}/change-requests/${change}/applied" >/dev/null
    echo "cab-gate: change request ${change} recorded as applied by ${provider} run ${run}"
    ;;
  *)
    echo "cab-gate: unknown command '${cmd}' (check or applied)" >&2
    exit 2
    ;;
esac
