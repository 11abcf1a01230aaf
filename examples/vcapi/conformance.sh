#!/usr/bin/env bash
# conformance.sh runs the W3C Verifiable Credentials test suites against
# examples/vcapi and prints one line a suite:
#
#	SUITE: N passing, M failing, P pending, K not run (H hook failures)
#
# "not run" counts the tests a failed before-hook kept from running.
#
# Usage:
#	examples/vcapi/conformance.sh --prepare SUITES_DIR   # clone and npm install the suites
#	examples/vcapi/conformance.sh SUITES_DIR [SUITE...]  # run them (default: all five)
#
# It builds the server (or takes VCAPI_BIN), makes an Ed25519 and a P-256
# key (or takes KEYS_DIR/ed25519.jwk and KEYS_DIR/p256.jwk), starts the
# server with -tls on a free port behind a tracing proxy, writes each
# suite's localConfig.cjs from GET /issuers (conformance/localconfig.mjs;
# the vc-jose-cose suite is answered by conformance/jose-cose/adapter.mjs,
# which verifies on a server of its own per test, trusting only the test's
# key), runs the suite's mocha
# with conformance/reporter.cjs, stops everything it started, and writes to
# RESULTS_DIR (default SUITES_DIR/results):
#	SUITE.json    every test with its state and error, and for those that did
#	              not pass the HTTP exchanges made while they ran
#	SUITE.txt     the tests that did not pass, with those exchanges, to read
#	SUITE.log     the suite's output;  server.log  the server's
#	SUITE.trace.jsonl  every exchange;  summary.txt  the lines printed
#
# Environment:
#	VCAPI_BIN        a prebuilt examples/vcapi binary (default: go build)
#	OPENBADGES_BIN   a prebuilt cmd/openbadges, for keygen (default: go build)
#	KEYS_DIR         where ed25519.jwk and p256.jwk are kept (default: a temp dir)
#	RESULTS_DIR      default SUITES_DIR/results
#	NODE_BIN         the node to run the suites with (default: node, except for
#	                 vc-di-ecdsa and vc-jose-cose, which need Node.js 22: the
#	                 one --prepare put in SUITES_DIR/.node if node is older;
#	                 vc-di-eddsa fails to load on Node.js 22 itself)
#	VC_VERSIONS      supports.vc of the Data Integrity endpoints (default 1.1,2.0)
#	JOSE_COSE_FEATURES  features claimed in the vc-jose-cose suite
#	                 (default credential_jose,presentation_jose)
#	CONFORMANCE_TRACE=0  no tracing proxy (it needs openssl)
#	SUITE_TIMEOUT    seconds a suite may run (default 1800)
#	VCAPI_FLAGS      more flags for the server (e.g. -allow-network)
#
# --prepare clones the suites and their two git dependencies
# (w3c/vc-test-suite-implementations, w3c-ccg/data-integrity-test-suite-assertion)
# and the w3c/vc-di-ecdsa test vectors from https://github.com, or from
# SUITES_MIRROR, a directory of bare repositories named OWNER+NAME/repo (as
# the fetch tool leaves them); points the git dependencies at those clones
# (file: links, installed as copies, so that each suite finds its own
# localConfig.cjs); and runs npm install. Only the npm registry is needed
# after that.
#
# Exit status: 0 when every test passed, 1 when some did not, 2 when the
# harness could not run (server did not start, a suite did not run, bad usage).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
conf=$here/conformance
repo=$(cd "$here/../.." && pwd)

all_suites=(
	vc-data-model-2.0-test-suite
	vc-di-eddsa-test-suite
	vc-di-ecdsa-test-suite
	vc-bitstring-status-list-test-suite
	vc-jose-cose-test-suite
)

die() {
	echo "conformance.sh: $*" >&2
	exit 2
}

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
}

# ---- prepare ---------------------------------------------------------------

# clone SRC_OWNER/NAME DEST: from SUITES_MIRROR or GitHub, unless DEST exists.
clone() {
	local src=$1 dest=$2 mirror
	if [[ -e $dest/.git ]]; then
		echo "  $dest: already there"
		return
	fi
	if [[ -n ${SUITES_MIRROR:-} ]]; then
		mirror=$SUITES_MIRROR/${src/\//+}/repo
		[[ -d $mirror ]] || die "no $mirror (SUITES_MIRROR)"
		git clone --quiet "$mirror" "$dest"
	else
		git clone --quiet --depth 1 "https://github.com/$src.git" "$dest"
	fi
	echo "  $dest: $(git -C "$dest" log --oneline -1)"
}

# npm_install DIR: point the git dependencies at the local clones and install.
npm_install() {
	local dir=$1 dep log
	for dep in vc-test-suite-implementations data-integrity-test-suite-assertion; do
		if node -e "process.exit(require('$dir/package.json').dependencies?.['$dep'] ? 0 : 1)"; then
			(cd "$dir" && npm pkg set "dependencies.$dep=file:../$dep")
		fi
	done
	# The lock files pin the git dependencies to GitHub commits; forget those
	# entries so npm takes the file: links.
	node "$conf/fixlock.mjs" "$dir" git
	log=$(mktemp)
	for _ in 1 2 3 4 5; do
		if (cd "$dir" && npm install --install-links --no-audit --no-fund >"$log" 2>&1); then
			rm -f "$log"
			echo "  $dir: npm install done"
			return
		fi
		# A version the lock file pins may be missing from the registry (a
		# mirror may lag): forget that entry and let npm pick within range.
		if grep -q 'E404' "$log" && node "$conf/fixlock.mjs" "$dir" 404 "$log"; then
			continue
		fi
		break
	done
	cat "$log" >&2
	rm -f "$log"
	die "npm install failed in $dir"
}

prepare() {
	local dir=$1 s
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	command -v git >/dev/null || die "git is needed"
	command -v npm >/dev/null || die "npm is needed"
	echo "Cloning into $dir"
	for s in "${all_suites[@]}"; do
		clone "w3c/$s" "$dir/$s"
	done
	clone w3c/vc-test-suite-implementations "$dir/vc-test-suite-implementations"
	clone w3c-ccg/data-integrity-test-suite-assertion "$dir/data-integrity-test-suite-assertion"
	# the ecdsa suite's postinstall would clone this itself (config/keys.json
	# names its TestVectors/p256KeyPair.json)
	clone w3c/vc-di-ecdsa "$dir/vc-di-ecdsa-test-suite/tests/input/vc-di-ecdsa"
	echo "Installing npm dependencies"
	for s in "${all_suites[@]}"; do
		npm_install "$dir/$s"
	done
	# vc-di-ecdsa (engines) and vc-jose-cose (iterator helpers) need Node.js
	# 22; an older node gets a Node.js 22 from its npm package beside the suites.
	if (($(node -p 'process.versions.node.split(".")[0]') < 22)); then
		local pkg
		pkg=node-$(node -p 'process.platform')-$(node -p 'process.arch')
		echo "Installing $pkg@22 into $dir/.node (node $(node --version) is older than 22)"
		npm install --prefix "$dir/.node" --no-audit --no-fund "$pkg@22" >/dev/null ||
			die "npm install $pkg@22 failed"
	fi
	echo "Prepared. Run: $0 $dir"
}

# ---- run -------------------------------------------------------------------

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_for URL PID NAME: until URL answers, or PID exits, or 30 s pass.
wait_for() {
	local url=$1 pid=$2 name=$3
	for _ in $(seq 1 150); do
		if ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		if curl -fsk -o /dev/null --max-time 2 "$url"; then
			return 0
		fi
		sleep 0.2
	done
	echo "conformance.sh: $name did not answer $url in 30 s" >&2
	return 1
}

pids=()
suite_pid=
tmp=
restore=()
cleanup() {
	local pid f
	if [[ -n $suite_pid ]]; then
		kill "$suite_pid" 2>/dev/null || true
		wait "$suite_pid" 2>/dev/null || true
		suite_pid=
	fi
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	pids=()
	for f in "${restore[@]}"; do
		if [[ -e $f.conformance-saved ]]; then
			mv -f "$f.conformance-saved" "$f"
		else
			rm -f "$f"
		fi
	done
	restore=()
	[[ -n $tmp ]] && rm -rf "$tmp"
	tmp=
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_suite() {
	local suite=$1 dir=$SUITES_DIR/$1 timeout_ms=15000 rc=0
	local extra_path="" report=$RESULTS_DIR/$suite.report.json node=$NODE
	if [[ -z ${NODE_BIN:-} && -n $NODE22 ]] &&
		[[ $suite == vc-di-ecdsa-test-suite || $suite == vc-jose-cose-test-suite ]]; then
		node=$NODE22
	fi
	[[ -d $dir/node_modules ]] || {
		echo "$suite: not prepared (no $dir/node_modules; run --prepare)" | tee -a "$RESULTS_DIR/summary.txt"
		return 2
	}
	rm -f "$report" "$RESULTS_DIR/$suite".{json,txt,log,trace.jsonl}
	if [[ -e $dir/localConfig.cjs ]]; then
		mv -f "$dir/localConfig.cjs" "$dir/localConfig.cjs.conformance-saved"
	fi
	restore+=("$dir/localConfig.cjs")
	NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1 \
		node "$conf/localconfig.mjs" "$BASE_URL" "$suite" "$dir/localConfig.cjs" ||
		die "could not write $dir/localConfig.cjs"
	if [[ $suite == vc-jose-cose-test-suite ]]; then
		timeout_ms=150000
		extra_path=$conf/jose-cose:
		rm -f "$dir"/tests/output/*-go-openbadges.json
	fi
	: >"$TRACE_LOG"
	# timeout is started in the background and waited for, so that a signal
	# to this script ends the suite at once (cleanup kills timeout, which
	# passes the signal on to mocha)
	env -C "$dir" PATH="$(dirname "$node"):$extra_path$PATH" \
		JOSE_TESTS_DIR="$dir/tests" VCAPI_BASE_URL="$BASE_URL" VCAPI_BIN="$vcapi" \
		NODE_TLS_REJECT_UNAUTHORIZED=0 NODE_NO_WARNINGS=1 \
		timeout --kill-after=10 "${SUITE_TIMEOUT:-1800}" \
		"$node" node_modules/mocha/bin/mocha.js tests/ \
		--timeout "$timeout_ms" --preserve-symlinks \
		--reporter "$conf/reporter.cjs" --reporter-option "output=$report" \
		>"$RESULTS_DIR/$suite.log" 2>&1 &
	suite_pid=$!
	wait "$suite_pid" || rc=$?
	suite_pid=
	cp "$TRACE_LOG" "$RESULTS_DIR/$suite.trace.jsonl"
	if [[ $rc -eq 124 || $rc -eq 137 ]]; then
		echo "$suite: timed out after ${SUITE_TIMEOUT:-1800} s" >>"$RESULTS_DIR/$suite.log"
	fi
	node "$conf/summarize.mjs" "$suite" "$report" "$RESULTS_DIR/$suite.trace.jsonl" \
		"$RESULTS_DIR" | tee -a "$RESULTS_DIR/summary.txt" || return 2
	rm -f "$report"
	node -e "const s=require('$RESULTS_DIR/$suite.json').stats; process.exit(s.failing||s.notRun||s.hookFailures ? 1 : 0)"
}

run() {
	SUITES_DIR=$(cd "$1" && pwd) || die "no $1"
	shift
	local suites=("$@") s status=0 rc
	((${#suites[@]})) || suites=("${all_suites[@]}")
	for s in "${suites[@]}"; do
		[[ " ${all_suites[*]} " == *" $s "* ]] || die "unknown suite $s (want: ${all_suites[*]})"
	done
	command -v node >/dev/null || die "node is needed"
	NODE=${NODE_BIN:-$(command -v node)}
	NODE22=$(find "$SUITES_DIR/.node/node_modules" -path "*/node-*/bin/node" 2>/dev/null | head -1 || true)
	command -v curl >/dev/null || die "curl is needed"
	RESULTS_DIR=${RESULTS_DIR:-$SUITES_DIR/results}
	mkdir -p "$RESULTS_DIR"
	RESULTS_DIR=$(cd "$RESULTS_DIR" && pwd)
	: >"$RESULTS_DIR/summary.txt"
	: >"$RESULTS_DIR/server.log"
	tmp=$(mktemp -d)

	local vcapi=${VCAPI_BIN:-} ob=${OPENBADGES_BIN:-}
	if [[ -z $vcapi ]]; then
		echo "Building examples/vcapi" >&2
		(cd "$repo" && go build -o "$tmp/vcapi" ./examples/vcapi) || die "go build ./examples/vcapi failed"
		vcapi=$tmp/vcapi
	fi
	local keys=${KEYS_DIR:-$tmp/keys}
	mkdir -p "$keys"
	if [[ ! -e $keys/ed25519.jwk || ! -e $keys/p256.jwk ]]; then
		if [[ -z $ob ]]; then
			echo "Building cmd/openbadges" >&2
			(cd "$repo" && go build -o "$tmp/openbadges" ./cmd/openbadges) || die "go build ./cmd/openbadges failed"
			ob=$tmp/openbadges
		fi
		[[ -e $keys/ed25519.jwk ]] || "$ob" keygen --type ed25519 --out "$keys/ed25519.jwk" >/dev/null
		[[ -e $keys/p256.jwk ]] || "$ob" keygen --type p256 --out "$keys/p256.jwk" >/dev/null
	fi

	local sport pport trace=1
	sport=$(free_port)
	if [[ ${CONFORMANCE_TRACE:-1} == 0 ]] || ! command -v openssl >/dev/null; then
		trace=0
	fi
	if ((trace)); then
		pport=$(free_port)
		BASE_URL=https://localhost:$pport
	else
		BASE_URL=https://localhost:$sport
	fi
	TRACE_LOG=$tmp/trace.jsonl

	# shellcheck disable=SC2086 # VCAPI_FLAGS is a list of flags
	"$vcapi" -tls -addr "localhost:$sport" -base-url "$BASE_URL" \
		-key-ed25519 "$keys/ed25519.jwk" -key-p256 "$keys/p256.jwk" \
		${VCAPI_FLAGS:-} >>"$RESULTS_DIR/server.log" 2>&1 &
	pids+=($!)
	if ! wait_for "https://localhost:$sport/issuers" "${pids[-1]}" server; then
		cat "$RESULTS_DIR/server.log" >&2
		die "the server did not start (see $RESULTS_DIR/server.log)"
	fi
	if ((trace)); then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
			-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
			-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1 ||
			die "openssl could not make the proxy's certificate"
		node "$conf/trace-proxy.mjs" "$pport" "https://localhost:$sport" "$tmp" "$TRACE_LOG" \
			>>"$RESULTS_DIR/server.log" 2>&1 &
		pids+=($!)
		wait_for "$BASE_URL/issuers" "${pids[-1]}" trace-proxy || die "the tracing proxy did not start"
	fi
	echo "Server: $BASE_URL ($(sed -n 's/^vcapi: issuer //p' "$RESULTS_DIR/server.log" | paste -sd ';' -))" >&2

	for s in "${suites[@]}"; do
		echo "Running $s" >&2
		rc=0
		run_suite "$s" || rc=$?
		((rc > status)) && status=$rc
		if ! kill -0 "${pids[0]}" 2>/dev/null; then
			echo "conformance.sh: the server exited during $s (see $RESULTS_DIR/server.log)" >&2
			status=2
			break
		fi
	done
	cleanup
	echo "Results: $RESULTS_DIR" >&2
	return "$status"
}

case ${1:-} in
--prepare)
	[[ $# -eq 2 ]] || usage
	prepare "$2"
	;;
-h | --help | "")
	usage
	;;
-*)
	usage
	;;
*)
	run "$@"
	;;
esac
