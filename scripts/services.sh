#!/usr/bin/env bash
# Makes PostgreSQL >= 15 with pgvector >= 0.7 and Redis >= 7 available on
# loopback, idempotently. Uses servers already answering at DATABASE_URL /
# REDIS_URL; otherwise installs them with apt and starts them (PostgreSQL never
# as root). Builds pgvector from Debian trixie's source package where the
# distribution has no postgresql-N-pgvector (Debian 12). Creates the application
# and test databases with the vector and pg_trgm extensions.
# Quiet when everything is already in place.
set -euo pipefail

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/orchestrator?sslmode=disable}"
TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/orchestrator_test?sslmode=disable}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/1}"

PGVECTOR_MIN=0.7.0

log() { echo "services: $*" >&2; }
die() { log "$*"; exit 1; }

# db_name URL -> the database name in a postgres:// URL.
db_name() { local u="${1%%\?*}"; echo "${u##*/}"; }
# admin_url URL -> the same server's maintenance database "postgres".
admin_url() {
	local u="$1" q=""
	[[ "$u" == *\?* ]] && q="?${u#*\?}"
	u="${u%%\?*}"
	echo "${u%/*}/postgres${q}"
}
# url_host URL -> host of a postgres:// or redis:// URL.
url_host() {
	local u="${1#*://}"
	u="${u#*@}"
	u="${u%%/*}"
	u="${u%%\?*}"
	echo "${u%:*}"
}
is_loopback() { [[ "$1" == 127.* || "$1" == localhost || "$1" == ::1 || "$1" == "[::1]" ]]; }

sudo_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
	command -v apt-get >/dev/null || die "no apt-get: install $* yourself, or use docker compose up -d (see README.md)"
	if [[ $apt_updated -eq 0 ]]; then
		sudo_root apt-get update -qq
		apt_updated=1
	fi
	log "apt-get install $*"
	sudo_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# version_ge A B: A >= B for dotted versions.
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

ADMIN_URL="$(admin_url "$DATABASE_URL")"

# ---------- fast path: everything answers and is set up ----------
pg_ready() {
	command -v psql >/dev/null || return 1
	local ver trgm
	for url in "$DATABASE_URL" "$TEST_DATABASE_URL"; do
		IFS='|' read -r ver trgm < <(psql_q "$url" -c "SELECT
			coalesce((SELECT extversion FROM pg_extension WHERE extname = 'vector'), ''),
			(SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm')" 2>/dev/null) || return 1
		[[ -n "$ver" && "$trgm" == 1 ]] && version_ge "$ver" "$PGVECTOR_MIN" || return 1
	done
}
redis_ready() {
	command -v redis-cli >/dev/null || return 1
	local ver
	ver="$(redis-cli -u "$REDIS_URL" INFO server 2>/dev/null | tr -d '\r' | sed -n 's/^redis_version://p')"
	[[ -n "$ver" ]] && version_ge "$ver" 7.0.0
}
if pg_ready && redis_ready; then
	exit 0
fi

# ---------- PostgreSQL server ----------
pg_answers() { command -v psql >/dev/null && psql_q "$ADMIN_URL" -c 'SELECT 1' >/dev/null 2>&1; }

start_postgres() {
	local host
	host="$(url_host "$DATABASE_URL")"
	is_loopback "$host" || die "PostgreSQL at $host does not answer (DATABASE_URL); only a loopback server is installed here"
	command -v pg_lsclusters >/dev/null || apt_install postgresql postgresql-contrib
	if [[ -z "$(pg_lsclusters -h 2>/dev/null)" ]]; then
		apt_install postgresql postgresql-contrib
	fi
	if [[ -z "$(pg_lsclusters -h 2>/dev/null)" ]]; then
		local n
		n="$(ls /usr/lib/postgresql | sort -n | tail -n1)"
		log "creating cluster $n/main"
		pg_createcluster "$n" main >/dev/null
	fi
	local ver cluster status
	read -r ver cluster _ status _ < <(pg_lsclusters -h | sort -k1,1n | tail -n1)
	if [[ "$status" != online* ]]; then
		log "starting PostgreSQL $ver/$cluster"
		if [[ $(id -u) -eq 0 ]]; then
			su postgres -c "pg_ctlcluster $ver $cluster start"
		else
			pg_ctlcluster "$ver" "$cluster" start
		fi
	fi
	# The URLs carry no password: trust loopback connections, as the local
	# socket already does for the postgres user on Debian.
	local hba
	hba="/etc/postgresql/$ver/$cluster/pg_hba.conf"
	if [[ -f "$hba" ]] && ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
		log "allowing trust auth on loopback in $hba"
		sudo_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
		sudo_root pg_ctlcluster "$ver" "$cluster" reload
	fi
	for _ in $(seq 1 50); do pg_answers && return 0; sleep 0.2; done
	die "PostgreSQL does not answer at $ADMIN_URL"
}
# Servers may run elsewhere (docker compose): only the clients are needed then.
command -v psql >/dev/null || apt_install postgresql-client
pg_answers || start_postgres

server_num="$(psql_q "$ADMIN_URL" -c 'SHOW server_version_num')"
PG_MAJOR=$((server_num / 10000))
[[ $PG_MAJOR -ge 15 ]] || die "PostgreSQL $PG_MAJOR answers at $ADMIN_URL; need >= 15"

# ---------- pgvector ----------
vector_available() {
	local v
	v="$(psql_q "$ADMIN_URL" -c "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'")"
	[[ -n "$v" ]] && version_ge "$v" "$PGVECTOR_MIN"
}

build_pgvector_from_trixie() {
	local host
	host="$(url_host "$DATABASE_URL")"
	is_loopback "$host" || die "the vector extension is missing on $host; install pgvector >= $PGVECTOR_MIN there"
	apt_install "postgresql-server-dev-$PG_MAJOR" build-essential dpkg-dev
	local src=/etc/apt/sources.list.d/trixie-src.sources
	if [[ ! -f "$src" ]]; then
		log "adding deb-src for Debian trixie in $src"
		sudo_root tee "$src" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	fi
	sudo_root apt-get update -qq
	local dir
	dir="$(mktemp -d)"
	(
		cd "$dir"
		log "building pgvector from Debian source (apt-get source pgvector)"
		apt-get source -qq pgvector >/dev/null 2>&1 || apt-get source pgvector >&2
		cd pgvector-*/
		# OPTFLAGS empty as in Debian's own build: pgvector dispatches on the CPU at run time.
		make -s -j"$(nproc)" PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" OPTFLAGS="" >/dev/null
		sudo_root make -s install PG_CONFIG="/usr/lib/postgresql/$PG_MAJOR/bin/pg_config" >/dev/null
	)
	rm -rf "$dir"
}

if ! vector_available; then
	if command -v apt-cache >/dev/null; then
		[[ $apt_updated -eq 1 ]] || { sudo_root apt-get update -qq; apt_updated=1; }
	fi
	if command -v apt-cache >/dev/null && [[ -n "$(apt-cache policy "postgresql-$PG_MAJOR-pgvector" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)')" ]]; then
		apt_install "postgresql-$PG_MAJOR-pgvector"
	fi
	vector_available || build_pgvector_from_trixie
	vector_available || die "pgvector >= $PGVECTOR_MIN is still not available to PostgreSQL $PG_MAJOR"
fi

# ---------- databases and extensions ----------
for url in "$DATABASE_URL" "$TEST_DATABASE_URL"; do
	db="$(db_name "$url")"
	if [[ "$(psql_q "$ADMIN_URL" -v db="$db" <<<"SELECT count(*) FROM pg_database WHERE datname = :'db'")" != 1 ]]; then
		log "creating database $db"
		psql_q "$ADMIN_URL" -c "CREATE DATABASE \"$db\"" >/dev/null
	fi
	# Extensions live in public, so per-test schemas on the search path share them.
	psql_q "$url" -c 'SET client_min_messages = warning' \
		-c 'CREATE EXTENSION IF NOT EXISTS vector WITH SCHEMA public' \
		-c 'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public' >/dev/null
	ver="$(psql_q "$url" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
	if ! version_ge "$ver" "$PGVECTOR_MIN"; then
		log "updating vector extension $ver in $db"
		psql_q "$url" -c 'ALTER EXTENSION vector UPDATE' >/dev/null
	fi
done

# ---------- Redis ----------
start_redis() {
	local host
	host="$(url_host "$REDIS_URL")"
	is_loopback "$host" || die "Redis at $host does not answer (REDIS_URL); only a loopback server is installed here"
	command -v redis-server >/dev/null || apt_install redis-server
	if ! redis-cli -u "$REDIS_URL" PING >/dev/null 2>&1; then
		log "starting redis-server"
		if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
			sudo_root systemctl start redis-server
		else
			local port="${REDIS_URL##*:}"
			port="${port%%/*}"
			redis-server --bind 127.0.0.1 --port "${port:-6379}" --daemonize yes \
				--dir "${TMPDIR:-/tmp}" --logfile "${TMPDIR:-/tmp}/redis-orchestrator.log" >/dev/null
		fi
	fi
	for _ in $(seq 1 50); do redis_ready && return 0; sleep 0.2; done
	die "Redis >= 7 does not answer at $REDIS_URL"
}
command -v redis-cli >/dev/null || apt_install redis-tools
redis_ready || start_redis

pg_ready || die "PostgreSQL setup incomplete at $DATABASE_URL / $TEST_DATABASE_URL"
log "PostgreSQL $PG_MAJOR with pgvector $(psql_q "$DATABASE_URL" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'") and Redis ready"
