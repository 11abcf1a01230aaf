# A throwaway PostgreSQL server on loopback for the tests of package
# sqlstore. Sourced by .ci/run; by hand:
#
#	source .ci/postgres.sh && postgres_start   # exports OPENBADGES_TEST_POSTGRES
#	go test ./sqlstore/
#	postgres_stop
#
# postgres_start uses the server OPENBADGES_TEST_POSTGRES names if one
# answers there. Otherwise it installs Debian's postgresql package if its
# programs are missing, creates a cluster in a temporary folder (as the
# postgres user when run as root: initdb refuses root), starts it on
# 127.0.0.1 on a free port with its socket in that folder and trust
# authentication (nothing listens beyond loopback), waits until it
# answers, and exports OPENBADGES_TEST_POSTGRES. postgres_stop stops it and
# removes the folder.

postgres_dir=""
postgres_bin=""
postgres_user=""

# postgres_find_bin sets postgres_bin to the newest /usr/lib/postgresql/*/bin
# that has the server's programs.
postgres_find_bin() {
	postgres_bin=""
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] && [ -x "$d/pg_isready" ]; then
			postgres_bin="$d"
		fi
	done
	[ -n "$postgres_bin" ]
}

# postgres_as runs a command as the cluster's owner.
postgres_as() {
	if [ "$postgres_user" = "$(id -un)" ]; then
		"$@"
	else
		runuser -u "$postgres_user" -- "$@"
	fi
}

postgres_start() {
	if [ -n "${OPENBADGES_TEST_POSTGRES:-}" ] && command -v pg_isready >/dev/null &&
		pg_isready -q -t 5 -d "$OPENBADGES_TEST_POSTGRES"; then
		echo "postgres: using the server at OPENBADGES_TEST_POSTGRES"
		return 0
	fi
	if ! postgres_find_bin; then
		echo "postgres: installing Debian's postgresql package"
		export DEBIAN_FRONTEND=noninteractive
		if ! apt-get install -y -q --no-install-recommends postgresql >/dev/null; then
			apt-get update -q >/dev/null
			apt-get install -y -q --no-install-recommends postgresql >/dev/null
		fi
		postgres_find_bin || { echo "postgres: no server programs under /usr/lib/postgresql/*/bin" >&2; return 1; }
	fi
	postgres_user="$(id -un)"
	if [ "$(id -u)" = 0 ]; then
		postgres_user=postgres
		if ! id -u "$postgres_user" >/dev/null 2>&1; then
			useradd --system --no-create-home --shell /usr/sbin/nologin "$postgres_user"
		fi
	fi
	local tmp="${TMPDIR:-/tmp}"
	[ "$(id -u)" = 0 ] && tmp=/tmp # the postgres user must reach it
	postgres_dir="$(mktemp -d "$tmp/openbadges-postgres.XXXXXX")"
	chown "$postgres_user" "$postgres_dir"
	chmod 0700 "$postgres_dir"
	postgres_as "$postgres_bin/initdb" -D "$postgres_dir/data" -U openbadges -A trust -E UTF8 --no-locale >"$postgres_dir/initdb.log" 2>&1 ||
		{ cat "$postgres_dir/initdb.log" >&2; return 1; }

	# A free port on loopback: 55432, or the next one free.
	local port=55432
	while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
		port=$((port + 1))
		if [ "$port" -gt 55532 ]; then
			echo "postgres: no free port from 55432 to 55532" >&2
			return 1
		fi
	done
	postgres_as "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -l "$postgres_dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $postgres_dir -c max_connections=200" start >/dev/null ||
		{ cat "$postgres_dir/server.log" >&2; return 1; }
	"$postgres_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 30 ||
		{ echo "postgres: the server does not answer" >&2; cat "$postgres_dir/server.log" >&2; return 1; }
	export OPENBADGES_TEST_POSTGRES="postgres://openbadges@127.0.0.1:$port/postgres?sslmode=disable"
	echo "postgres: $("$postgres_bin/postgres" --version) on 127.0.0.1:$port, data in $postgres_dir"
}

postgres_stop() {
	if [ -n "$postgres_dir" ] && [ -d "$postgres_dir" ]; then
		postgres_as "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -m fast -w stop >/dev/null 2>&1 || true
		rm -rf "$postgres_dir"
		postgres_dir=""
	fi
}
