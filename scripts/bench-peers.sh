#!/usr/bin/env bash
# bench-peers.sh: eksguard against its peers, whole process, paired medians,
# so anyone can check the figures in docs/performance.md.
#
# It builds the peers from the Go module proxy at pinned versions (kept in a
# cache and built once per version), builds eksguard from this working tree,
# generates the inputs with the repository's own generators, runs every tool
# without network under hyperfine, and takes CPU time and peak RSS of the
# same runs with GNU time. See docs/performance.md ("Against other scanners") for what
# each tool is asked to do and why that is the same work.
#
# Usage: scripts/bench-peers.sh [options]
#   -o, --bin-dir DIR   where the peers are built
#                       (default: ${XDG_CACHE_HOME:-~/.cache}/eksguard-bench/bin)
#   --results DIR       where the table, the raw JSON and each tool's report go
#                       (default: ${XDG_CACHE_HOME:-~/.cache}/eksguard-bench/results/<UTC time>)
#   --repo DIR          also compare eksguard, tfsec and Trivy on this Terraform
#                       repository (a checkout of terraform-aws-modules/terraform-aws-eks,
#                       say); repeatable
#   --cases LIST        comma-separated subset of: plan, scale, k8s, policy, repo
#                       (default: all; repo only runs with --repo)
#   --plans LIST        plan sizes in resources (default 10000,20000,50000,100000); the
#                       first is the one the peers run on, the others are eksguard's scaling
#   --runs N            timed runs per command (default 5)
#   --warmup N          untimed runs before them (default 1, at least 1: the first one
#                       keeps each tool's report)
#   --large-runs N      timed runs for the scaling plans after the first (default 3)
#   --budget SECONDS    a command whose untimed run takes longer is not run again: that
#                       run is its measurement (default 30; Trivy on the generated inputs
#                       takes minutes a run)
#   --build-only        build the peers and eksguard, then stop
#   -h, --help          this text
#
# Needs: go (the version go.mod names), hyperfine, GNU time and jq
# (Debian/Ubuntu: sudo apt-get install -y hyperfine time jq), and unshare
# (util-linux) for the no-network runs.
set -euo pipefail

# Pinned peers: the newest version of each that the Go module proxy serves and
# that builds with Go 1.26.8 (checked 2026-12-06). Override through the
# environment to try another.
TFSEC_VERSION=${TFSEC_VERSION:-v1.26.0}
TRIVY_VERSION=${TRIVY_VERSION:-v0.74.0}
CONFTEST_VERSION=${CONFTEST_VERSION:-v0.71.1}

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/eksguard-bench
bin_dir=$cache_root/bin
results=""
repos=()
cases="plan,scale,k8s,policy,repo"
plans="10000,20000,50000,100000"
runs=5
warmup=1
large_runs=3
budget=30
build_only=0

usage() { sed -n '/^# Usage:/,/^# Needs:/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "bench-peers: $*" >&2; exit 1; }
note() { echo "bench-peers: $*" >&2; }

while (($#)); do
	case $1 in
	-o | --bin-dir) bin_dir=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--repo) repos+=("${2:?}"); shift 2 ;;
	--cases) cases=${2:?}; shift 2 ;;
	--plans) plans=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	--warmup) warmup=${2:?}; shift 2 ;;
	--large-runs) large_runs=${2:?}; shift 2 ;;
	--budget) budget=${2:?}; shift 2 ;;
	--build-only) build_only=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
for n in "$runs" "$warmup" "$large_runs" "$budget"; do
	[[ $n =~ ^[0-9]+$ ]] || die "not a whole number: $n"
done
((runs >= 1 && large_runs >= 1 && warmup >= 1)) || die "--runs, --large-runs and --warmup must be at least 1"
want() { [[ ,$cases, == *,$1,* ]]; }
for r in ${repos[@]+"${repos[@]}"}; do
	[[ -d $r ]] || die "--repo $r: not a directory"
done

command -v go >/dev/null || die "go is not on PATH"
if ((!build_only)); then
	command -v hyperfine >/dev/null ||
		die "hyperfine is missing: install it (Debian/Ubuntu: sudo apt-get install -y hyperfine; or cargo install hyperfine)"
	/usr/bin/time -f %M true >/dev/null 2>&1 ||
		die "GNU time (/usr/bin/time) is missing: install it (Debian/Ubuntu: sudo apt-get install -y time)"
	command -v jq >/dev/null || die "jq is missing: install it (Debian/Ubuntu: sudo apt-get install -y jq)"
fi

# --- 1. Peers from the Go module proxy ------------------------------------

# build_peer NAME PACKAGE VERSION [VAR=VALUE...] builds PACKAGE@VERSION into
# $bin_dir/NAME@VERSION/NAME unless it is there already. It runs outside this
# module, with a throw-away GOPATH (only the module download cache is shared),
# so this repository's go.mod and go.sum are never touched. GOTOOLCHAIN=local:
# the peer is built with the Go installed here, not one it asks for.
build_peer() {
	local name=$1 pkg=$2 version=$3
	shift 3
	local dir=$bin_dir/$name@$version
	if [[ -x $dir/$name ]]; then
		note "$name $version: already built ($dir/$name)"
		return
	fi
	note "$name $version: building $pkg@$version (once; this can take minutes)"
	local tmp modcache
	modcache=$(go env GOMODCACHE)
	tmp=$(mktemp -d)
	mkdir -p "$dir.partial"
	if ! (cd "$tmp" && env GOPATH="$tmp/gopath" GOMODCACHE="$modcache" GOBIN="$dir.partial" \
		GOFLAGS=-mod=mod GOTOOLCHAIN=local GOWORK=off "$@" go install "$pkg@$version"); then
		rm -rf "$tmp" "$dir.partial"
		die "$name $version did not build"
	fi
	rm -rf "$tmp" "$dir"
	mv "$dir.partial" "$dir"
}

mkdir -p "$bin_dir"
build_peer tfsec github.com/aquasecurity/tfsec/cmd/tfsec "$TFSEC_VERSION"
# Trivy's sources use encoding/json/v2, still behind an experiment in Go 1.26.
build_peer trivy github.com/aquasecurity/trivy/cmd/trivy "$TRIVY_VERSION" GOEXPERIMENT=jsonv2
build_peer conftest github.com/open-policy-agent/conftest "$CONFTEST_VERSION"
tfsec=$bin_dir/tfsec@$TFSEC_VERSION/tfsec
trivy=$bin_dir/trivy@$TRIVY_VERSION/trivy
conftest=$bin_dir/conftest@$CONFTEST_VERSION/conftest

# --- 2. eksguard from the working tree, and the generators ------------------

work=$cache_root/work
mkdir -p "$work/bin" "$work/inputs"
note "building eksguard from $repo_root"
(cd "$repo_root" && go build -o "$work/bin/eksguard.built" ./cmd/eksguard &&
	go build -o "$work/bin/genplan" ./internal/testutil/plangen/cmd/genplan &&
	go build -o "$work/bin/genk8s" ./internal/testutil/k8sgen/cmd/genk8s)
# Every tool runs from a copy made here: a binary written by the linker sits
# in the page cache in large folios, and a process running it maps 15-20 MB
# more of its file than the same bytes copied, which would count in the
# memory column and say nothing about the tool. Copies of all of them keep
# the comparison even, whenever each was built.
cp "$work/bin/eksguard.built" "$work/bin/eksguard"
rm -f "$work/bin/eksguard.built"
eksguard=$work/bin/eksguard
for t in tfsec trivy conftest; do
	cp "${!t}" "$work/bin/$t"
	printf -v "$t" '%s' "$work/bin/$t"
done
eksguard_rev=$(cd "$repo_root" && git describe --always --dirty 2>/dev/null || echo unknown)
((build_only)) && { note "built; binaries in $bin_dir and $work/bin"; exit 0; }

# --- 3. Inputs ------------------------------------------------------------

IFS=, read -r -a plan_sizes <<<"$plans"
((${#plan_sizes[@]} >= 1)) || die "--plans is empty"
for n in "${plan_sizes[@]}"; do [[ $n =~ ^[0-9]+$ ]] || die "--plans: not a size: $n"; done
in=$work/inputs
rm -rf "$in" && mkdir -p "$in"
if want plan || want policy || want scale; then
	for n in "${plan_sizes[@]}"; do
		if [[ $n == "${plan_sizes[0]}" ]] || want scale; then
			note "generating plan$n.json"
			"$work/bin/genplan" -n "$n" -o "$in/plan$n.json"
		fi
	done
fi
if want k8s; then
	# 100 namespaces x 50 Deployments from k8sgen, and 5 Services per
	# namespace (k8sgen writes none) in front of them: 5,000 + 500 + 100.
	note "generating k8s5000.yaml"
	"$work/bin/genk8s" -ns 100 -per 50 -o "$in/k8s5000.yaml"
	for ((n = 0; n < 100; n++)); do
		for ((s = 0; s < 5; s++)); do
			printf -- '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-%d\n  namespace: team-%04d\nspec:\n  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: svc-%d\n  ports:\n    - name: http\n      port: 80\n      targetPort: 8080\n' \
				"$s" "$n" "$s"
		done
	done >>"$in/k8s5000.yaml"
fi
# A conftest policy over plans, in conftest's layout (package main, deny
# rules, Rego v1): both tools load the same file.
mkdir -p "$in/policy"
cat >"$in/policy/plan.rego" <<'REGO'
package main

import rego.v1

changes_of(t) := [rc | some rc in input.resource_changes; rc.type == t]

deny contains msg if {
	some rc in changes_of("aws_eks_cluster")
	some vpc in rc.change.after.vpc_config
	vpc.endpoint_public_access == true
	some cidr in vpc.public_access_cidrs
	cidr == "0.0.0.0/0"
	msg := sprintf("%s: public API endpoint open to the internet", [rc.address])
}

deny contains msg if {
	some rc in changes_of("aws_security_group_rule")
	rc.change.after.type == "ingress"
	rc.change.after.from_port <= 22
	rc.change.after.to_port >= 22
	"0.0.0.0/0" in rc.change.after.cidr_blocks
	msg := sprintf("%s: SSH open to the internet", [rc.address])
}

deny contains msg if {
	some rc in changes_of("aws_launch_template")
	some md in rc.change.after.metadata_options
	md.http_tokens != "required"
	msg := sprintf("%s: IMDSv2 not required", [rc.address])
}

deny contains msg if {
	some rc in changes_of("aws_launch_template")
	some bdm in rc.change.after.block_device_mappings
	some ebs in bdm.ebs
	not ebs.encrypted
	msg := sprintf("%s: unencrypted root volume", [rc.address])
}

encrypted_buckets contains rc.change.after.bucket if {
	some rc in changes_of("aws_s3_bucket_server_side_encryption_configuration")
}

deny contains msg if {
	some rc in changes_of("aws_s3_bucket")
	not rc.change.after.bucket in encrypted_buckets
	msg := sprintf("%s: no server-side encryption configuration", [rc.address])
}
REGO

# --- 4. Runs ----------------------------------------------------------------

nonet=()
if unshare --net true 2>/dev/null; then
	nonet=(unshare --net --)
elif unshare --map-root-user --net true 2>/dev/null; then
	nonet=(unshare --map-root-user --net --)
else
	note "WARNING: cannot make a network namespace (unshare --net); the tools run WITH network access"
fi

results=${results:-$cache_root/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$results/reports"
results=$(cd "$results" && pwd)
rows=$results/results.tsv
printf 'case\tinput\ttool\truns\tmedian_s\tmedian_cpu_s\tmedian_peak_mib\texit\tfindings\tload1\n' >"$rows"
# Every tool runs in this directory, with HOME here too, so no user
# configuration (a conftest.toml, a trivy.yaml, ~/.tfsec) changes its work.
sandbox=$work/sandbox
rm -rf "$sandbox" && mkdir -p "$sandbox/home"

{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "host: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
	echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
	echo "go: $(go version)"
	echo "eksguard: $eksguard_rev"
	echo "tfsec: $TFSEC_VERSION, trivy: $TRIVY_VERSION, conftest: $CONFTEST_VERSION"
	echo "hyperfine: $(hyperfine --version)"
	echo "network: ${nonet[*]:-none (WARNING: network not isolated)}"
	echo "runs: $runs after $warmup warm-up; scaling plans: $large_runs after $warmup; budget: ${budget}s"
} >"$results/environment.txt"

median() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# findings TOOL FILE: failed checks in a tool's JSON report, which may be a
# stream of documents (tfsec run once per root module).
findings() {
	local f
	case $1 in
	eksguard) f='.findings | length' ;;
	tfsec*) f='.results // [] | length' ;;
	trivy) f='[.Results // [] | .[] | .Misconfigurations // [] | .[] | select(.Status == "FAIL")] | length' ;;
	conftest) f='[.[] | .failures // [] | length] | add // 0' ;;
	esac
	jq -s "[.[] | ($f)] | add // 0" "$2" 2>/dev/null || echo "?"
}

# bench CASE INPUT_LABEL RUNS TOOL=COMMAND... measures each command in turn
# (in the order given, each after the previous one's runs, as hyperfine does
# with several commands). A command first runs once untimed by hyperfine: its
# report is kept in reports/ (what each tool found), its wall time, CPU time
# and peak RSS are taken by GNU time, and it warms the page cache. If that run took
# longer than --budget, it is the only measurement (1 run); otherwise
# hyperfine times RUNS more runs, after warmup-1 further warm-up runs, each
# through GNU time for its CPU time and peak RSS.
bench() {
	local case=$1 label=$2 n=$3
	shift 3
	local spec tool cmd rc load out rss wall peak usr sys med cpu mib used extra
	for spec in "$@"; do
		tool=${spec%%=*}
		cmd=${spec#*=}
		out=$results/reports/$case-$tool
		load=$(cut -d' ' -f1 /proc/loadavg)
		note "$case / $tool: load average $load$(awk -v l="$load" 'BEGIN {if (l > 2) print " (WARNING: above 2: the machine is busy, figures will be slower than on a quiet one)"}')"
		rc=0
		(cd "$sandbox" && HOME=$sandbox/home "${nonet[@]}" /usr/bin/time -f '%e %M %U %S' -o "$out.time" \
			bash -c "$cmd" >"$out.json" 2>"$out.stderr") || rc=$?
		[[ -s $out.json ]] || die "$case: $tool wrote no report (exit $rc); see $out.stderr"
		((rc == 0)) || note "$case / $tool: exit status $rc (see $out.stderr); measured all the same"
		read -r wall peak usr sys < <(tail -n 1 "$out.time")
		if awk -v w="$wall" -v b="$budget" 'BEGIN {exit !(w > b)}'; then
			note "$case / $tool: one run took ${wall}s, over --budget ${budget}s: that run is the measurement"
			used=1
			med=$wall
			cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
			mib=$(awk -v k="$peak" 'BEGIN {printf "%.0f", k / 1024}')
		else
			used=$n
			rss=$results/rss-$case-$tool.txt
			: >"$rss"
			extra=$((warmup > 1 ? warmup - 1 : 0))
			(cd "$sandbox" && HOME=$sandbox/home hyperfine --shell=none --ignore-failure --style basic \
				--runs "$n" --warmup "$extra" --export-json "$results/hyperfine-$case-$tool.json" \
				--export-csv "$out.csv" -n "$tool" \
				"$(printf '%q ' "${nonet[@]}" /usr/bin/time -f '%M %U %S' -a -o "$rss" bash -c "$cmd")") >&2
			med=$(awk -F, 'NR == 2 {printf "%.3f", $4}' "$out.csv")
			# GNU time appends a line per run (peak KiB, user and system
			# CPU seconds), warm-up runs first, and a "Command exited with
			# non-zero status" line before a failed one.
			grep -E '^[0-9]+ [0-9.]+ [0-9.]+$' "$rss" | tail -n "$n" >"$rss.runs"
			mib=$(awk '{print $1}' "$rss.runs" | median | awk '{printf "%.0f", $1 / 1024}')
			cpu=$(awk '{print $2 + $3}' "$rss.runs" | median | awk '{printf "%.2f", $1}')
		fi
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$case" "$label" "$tool" "$used" "$med" "$cpu" "$mib" \
			"$rc" "$(findings "$tool" "$out.json")" "$load" >>"$rows"
	done
}

q() { printf '%q ' "$@"; }
# What each tool is asked to do: every check it has, over the whole input,
# one JSON report to standard output (thrown away by hyperfine), findings not
# failing the process, no cache carried between runs, no network.
eks_scan() { q "$eksguard" scan --fail-on none --format json "$@"; }
trivy_config() {
	# An empty cache each run, and --skip-check-update: Trivy evaluates the
	# checks bundle compiled into the binary instead of downloading one. No
	# time limit (its default of 5 minutes stops it on the Kubernetes input of
	# a busy machine); eksguard has none either.
	printf 'rm -rf trivy-cache && %s' "$(q "$trivy" config --format json --exit-code 0 --timeout 2h \
		--skip-check-update --skip-version-check --disable-telemetry --cache-dir trivy-cache "$@")"
}
tfsec_scan() { q "$tfsec" --format json --no-color --soft-fail --no-module-downloads "$@"; }

p0=${plan_sizes[0]}
if want plan; then
	bench "plan$p0" "plan, $p0 resources (plangen)" "$runs" \
		"eksguard=$(eks_scan "$in/plan$p0.json")" \
		"trivy=$(trivy_config "$in/plan$p0.json")"
fi
if want policy; then
	bench "policy$p0" "conftest policy over the $p0-resource plan, policies only" "$runs" \
		"eksguard=$(eks_scan --policy "$in/policy" --rule main.deny "$in/plan$p0.json")" \
		"conftest=$(q "$conftest" test --no-fail --no-color --output json --policy "$in/policy" "$in/plan$p0.json")"
fi
if want k8s; then
	bench k8s5000 "5,000 Deployments + 500 Services + 100 namespaces (k8sgen)" "$runs" \
		"eksguard=$(eks_scan "$in/k8s5000.yaml")" \
		"trivy=$(trivy_config "$in/k8s5000.yaml")"
fi
if want scale; then
	for n in "${plan_sizes[@]:1}"; do
		bench "plan$n" "plan, $n resources (plangen), eksguard alone" "$large_runs" \
			"eksguard=$(eks_scan "$in/plan$n.json")"
	done
fi
if want repo; then
	for r in ${repos[@]+"${repos[@]}"}; do
		r=$(cd "$r" && pwd)
		name=repo-$(basename "$r")
		# tfsec takes the top directory for the only root module when it has
		# .tf files, so it would skip examples/ and tests/; eksguard and
		# Trivy both scan every module no other one calls. To give tfsec the
		# same work it runs once per such root module (eksguard's list).
		"$eksguard" scan --fail-on none --format json "$r" >"$results/reports/$name-roots.json" 2>/dev/null || true
		mapfile -t roots < <(jq -r '.inputs[] | select(.kind == "terraform") | .path' "$results/reports/$name-roots.json")
		((${#roots[@]})) || die "$r: eksguard found no Terraform root module"
		note "$name: ${#roots[@]} root modules"
		bench "$name" "$r (${#roots[@]} root modules)" "$runs" \
			"eksguard=$(eks_scan "$r")" \
			"tfsec=for d in $(q "${roots[@]}"); do $(tfsec_scan) \"\$d\"; done" \
			"tfsec-top=$(tfsec_scan "$r")" \
			"trivy=$(trivy_config "$r")"
	done
fi

# --- 6. Table -------------------------------------------------------------

table=$results/table.md
awk -F'\t' '
	NR == 1 {next}
	{n++; c[n] = $1; inp[n] = $2; tool[n] = $3; k[n] = $4; t[n] = $5; u[n] = $6; m[n] = $7; rc[n] = $8; f[n] = $9; ld[n] = $10
	 if ($3 == "eksguard") {et[$1] = $5; eu[$1] = $6; em[$1] = $7}}
	function ratio(a, b) { return b > 0 ? sprintf("%.3g", a / b) : "—" }
	END {
		print "| input | tool | runs | median s | median CPU s | median peak MiB | eksguard / peer: time | CPU | memory | findings | exit | load |"
		print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
		for (i = 1; i <= n; i++) {
			rt = "—"; ru = "—"; rm = "—"
			if (tool[i] != "eksguard" && (c[i] in et)) {
				rt = ratio(et[c[i]], t[i]); ru = ratio(eu[c[i]], u[i]); rm = ratio(em[c[i]], m[i])
			}
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", inp[i], tool[i], k[i], t[i], u[i], m[i], rt, ru, rm, f[i], rc[i], ld[i]
		}
	}' "$rows" >"$table"

# Every row as JSON, beside hyperfine's own exports.
jq -R -n '[inputs | split("\t")] | .[0] as $h | [.[1:][] | [$h, .] | transpose
	| map({(.[0]): (.[1] | tonumber? // .)}) | add]' "$rows" >"$results/results.json"

cat "$results/environment.txt"
echo
cat "$table"
echo
echo "raw results: $results (results.json, results.tsv, hyperfine-*.json, rss-*.txt, reports/)"
