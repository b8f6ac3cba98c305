#!/usr/bin/env bash
# Uploads a Terraform (or OpenTofu) plan to Infra Hub for drift analysis and the CAB.
#
#   INFRA_HUB_URL=https://portal.example.com INFRA_HUB_API_KEY=sk_cartwheel.… \
#     ./upload-plan.sh cartwheel storefront-prod plan.tfplan [refresh-only]
#
# The API key is a machine key of the tenant (Infra Admin → API keys) whose role may upload plans
# (tenant-admin or security-analyst). The plan is converted with `terraform show -json` (or
# `tofu show -json` when TF=tofu) and sent as it is; the answer is the stored plan with its risk
# and the number of drifted resources.
set -euo pipefail
tenant=$1 module=$2 planfile=$3 kind=${4:-plan}
tf=${TF:-terraform}
"$tf" show -json "$planfile" > plan.json
curl --fail-with-body --silent --show-error \
  -H "Authorization: Bearer ${INFRA_HUB_API_KEY}" \
  -H 'Content-Type: application/json' \
  --data-binary @plan.json \
  "${INFRA_HUB_URL}/api/infra-change/tenants/${tenant}/plans?module=${module}&kind=${kind}"
echo
