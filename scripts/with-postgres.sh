#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL 15 cluster on a free loopback port, and stops and
# deletes the cluster whatever happens.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# The command sees BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (what the storage tests
# read) and POSTGRES_HOST/PORT/USER/PASSWORD (what app-config.production.yaml reads).
# Needs Debian's postgresql-15 package; run as root (the cluster runs as the postgres user) or
# as a user who can run initdb.
set -euo pipefail

bindir=""
for candidate in /usr/lib/postgresql/15/bin "$(dpkg -L postgresql-15 2>/dev/null | grep -E '/initdb$' | head -1 | xargs -r dirname)"; do
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ]; then
  echo "with-postgres: PostgreSQL 15 server programs not found (apt-get install postgresql-15)" >&2
  exit 1
fi

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
dir=$(mktemp -d /tmp/infra-hub-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
password=$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')

stop() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

pwfile="$dir/pw"
echo "$password" > "$pwfile"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$pwfile"
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" -w start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port (data in $dir, removed on exit)" >&2

export POSTGRES_HOST=127.0.0.1 POSTGRES_PORT=$port POSTGRES_USER=postgres POSTGRES_PASSWORD=$password
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:$password@127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
