#!/usr/bin/env bash
# Runs a benchmark program (TypeScript, from source) with a throwaway PostgreSQL cluster when
# Debian's postgresql-15 is installed, so that the PostgreSQL rows run too; without it, they are
# reported as not run.
#
#   scripts/bench.sh path/to/bench.ts [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
run=(node --max-old-space-size=4096 --require @backstage/cli-node/config/nodeTransform.cjs "$@")
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  exec scripts/with-postgres.sh "${run[@]}"
fi
exec "${run[@]}"
