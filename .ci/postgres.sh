# A throwaway PostgreSQL cluster for the tests (sourced by .ci/run; a
# developer can source it too): `start_postgres` makes a cluster in a
# temporary folder, listening on a free loopback port only, with a user
# `misq` whose password is made afresh, and exports MISQ_POSTGRES_URL;
# `stop_postgres` stops it and removes the folder. The password is random so
# that the tests can check it is never printed (it is in the URL only).
#
# initdb and postgres refuse to run as root, and CI runs as root: the
# cluster then runs as the `postgres` user Debian's package makes.

postgres_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

start_postgres() {
  local bin
  if ! bin=$(postgres_bin); then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql
    bin=$(postgres_bin) || { echo "ci: no PostgreSQL server binaries after installing postgresql" >&2; return 1; }
  fi
  local as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    as=(runuser -u postgres --)
  fi
  MISQ_PG_BIN=$bin
  MISQ_PG_AS=("${as[@]}")
  MISQ_PG_DIR=$(mktemp -d /tmp/misq-pg.XXXXXX)
  [ ${#as[@]} -eq 0 ] || chown postgres "$MISQ_PG_DIR"
  local password port
  password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  # A free loopback port: the kernel picks one, which is released just before postgres binds it.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' "$password" > "$MISQ_PG_DIR/pw"
  [ ${#as[@]} -eq 0 ] || chown postgres "$MISQ_PG_DIR/pw"
  "${as[@]}" "$bin/initdb" -D "$MISQ_PG_DIR/data" -U misq --pwfile="$MISQ_PG_DIR/pw" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$MISQ_PG_DIR/initdb.log" 2>&1 \
    || { cat "$MISQ_PG_DIR/initdb.log" >&2; return 1; }
  rm -f "$MISQ_PG_DIR/pw"
  "${as[@]}" "$bin/pg_ctl" -D "$MISQ_PG_DIR/data" -l "$MISQ_PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -k $MISQ_PG_DIR -c fsync=off" start >/dev/null \
    || { cat "$MISQ_PG_DIR/server.log" >&2; return 1; }
  export MISQ_POSTGRES_URL="postgres://misq:$password@127.0.0.1:$port/postgres"
  echo "ci: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (user misq, a fresh password)"
}

stop_postgres() {
  [ -n "${MISQ_PG_DIR:-}" ] || return 0
  [ ! -d "$MISQ_PG_DIR/data" ] || "${MISQ_PG_AS[@]}" "$MISQ_PG_BIN/pg_ctl" -D "$MISQ_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$MISQ_PG_DIR"
  MISQ_PG_DIR=
}
