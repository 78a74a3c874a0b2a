# Throwaway PostgreSQL cluster for the tests: sourced by scripts/test.
# Sets CIRCLEWORK_TEST_POSTGRES_URL, or leaves it unset and says why.

pg_bin_dir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_install_if_root() {
  [ -n "$(pg_bin_dir)" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing PostgreSQL from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts a cluster in a temp dir owned by the postgres user (initdb refuses root).
pg_start_throwaway() {
  pg_install_if_root
  local bin; bin="$(pg_bin_dir)"
  if [ -z "$bin" ]; then
    PG_SKIP_REASON="no PostgreSQL binaries found (install Debian's postgresql package or set CIRCLEWORK_TEST_POSTGRES_URL)"
    return 1
  fi
  PG_DIR="$(mktemp -d /tmp/circlework-pg.XXXXXX)"
  PG_PORT="$(free_port)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
      PG_SKIP_REASON="running as root but there is no postgres user to run initdb as"
      return 1
    fi
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o \
    "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" start >/dev/null
  PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data")
  export CIRCLEWORK_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "== throwaway PostgreSQL on port $PG_PORT ($("$bin/postgres" --version))"
}

pg_stop_throwaway() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_CTL[@]}" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
