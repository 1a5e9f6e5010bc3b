#!/usr/bin/env bash
# The GitHub Action's logic (action.yml runs it): install eksguard, build
# the scan's command line from the action's inputs, run it, always write
# SARIF for github/codeql-action/upload-sarif, and expose the SARIF path
# and the exit status as step outputs.
#
# Sourced (as .ci/action-test does), it only defines the functions; run, it
# calls main. It is written for bash 3.2 (macOS) and up: no mapfile, no
# associative arrays, no ${var,,}.
#
# Inputs arrive as environment variables (action.yml maps them), never
# spliced into the script's text:
#   INPUT_PATHS              paths to scan (default .)
#   INPUT_FAIL_ON            --fail-on (default: the configuration's, else high)
#   INPUT_FORMAT             --format values (default text)
#   INPUT_CONFIG             --config FILE
#   INPUT_POLICY             --policy DIRs
#   INPUT_ARGS               more flags, split as a shell splits words
#   INPUT_SARIF_FILE         where SARIF goes when no format names a file for it
#   INPUT_VERSION            release to install: latest, v1.2.3 (or 1.2.3), or source
#   INPUT_WORKING_DIRECTORY  directory to scan from (default .)
# A list input (paths, format, policy) that holds a newline (a YAML block:
# paths: |) has one item per line, spaces kept; a value on one line is
# split into words, quotes honoured ("my infra" k8s).
#
# Overrides, for tests and self-hosted runners:
#   EKSGUARD_BIN           an eksguard binary to run instead of installing one
#   EKSGUARD_RELEASES_URL  where releases are (default
#                          https://github.com/eksguard/eksguard/releases):
#                          <url>/latest redirects to <url>/tag/vX.Y.Z, assets are
#                          <url>/download/vX.Y.Z/<asset> beside checksums.txt
#   EKSGUARD_SOURCE_DIR    the source tree version: source builds (default
#                          GITHUB_ACTION_PATH, else this script's repository)
#
# Exit status: eksguard's (0 gate passed, 1 gate failed, 2 an input could
# not be read, 3 usage or configuration error); 3 too when eksguard could
# not be installed or an input of the action itself is wrong, and then the
# exit-code output is not set.

EG_DEFAULT_RELEASES_URL=https://github.com/eksguard/eksguard/releases
EG_CHECKSUMS=checksums.txt

eg_err() {
  # A GitHub error annotation, readable in any log.
  printf '::error title=eksguard action::%s\n' "$*" >&2
}

eg_trim() {
  local s=$1
  s=${s#"${s%%[![:space:]]*}"}
  s=${s%"${s##*[![:space:]]}"}
  printf '%s' "$s"
}

# eg_split_words VALUE: the words of VALUE, one per line, split as a shell
# splits them (quotes and backslashes honoured, nothing expanded). A
# quoted empty word ('') is kept as an empty line.
eg_split_words() {
  local value=$1
  value=$(eg_trim "$value")
  [ -n "$value" ] || return 0
  case $value in
    *\"* | *\'*)
      # xargs splits words as a shell does and runs nothing but printf;
      # newlines separate words too. It fails on an unmatched quote.
      local out
      if ! out=$(printf '%s\n' "$value" | xargs printf '%s\n' && echo x); then
        eg_err "cannot split into words (an unmatched quote?): $value"
        return 1
      fi
      printf '%s' "${out%x}"
      ;;
    *)
      local words
      value=${value//$'\r'/ }
      value=${value//$'\n'/ }
      IFS=$' \t\n' read -r -a words <<<"$value"
      printf '%s\n' "${words[@]}"
      ;;
  esac
}

# eg_split_list VALUE: the items of a list input, one per line. A value
# that holds a newline (a YAML block, paths: |) has one item per non-empty
# line, trimmed, spaces inside kept; a value on one line is split into
# words (eg_split_words).
eg_split_list() {
  local value=$1 line
  case $value in
    *$'\n'*) ;;
    *)
      eg_split_words "$value"
      return
      ;;
  esac
  while IFS= read -r line || [ -n "$line" ]; do
    line=$(eg_trim "$line")
    if [ -n "$line" ]; then
      printf '%s\n' "$line"
    fi
  done <<<"$value"
}

# eg_items FUNCTION VALUE: sets EG_ITEMS to the lines FUNCTION prints for
# VALUE, empty ones included.
eg_items() {
  local out
  EG_ITEMS=()
  out=$("$1" "$2" && echo x) || return 1
  out=${out%x}
  while [ -n "$out" ]; do
    EG_ITEMS+=("${out%%$'\n'*}")
    out=${out#*$'\n'}
  done
}

# eg_sarif_of FORMAT: the file a --format value writes SARIF to, if it is
# SARIF to a file (sarif=FILE, any case); prints nothing otherwise.
eg_sarif_of() {
  local name=${1%%=*}
  case $name in
    [Ss][Aa][Rr][Ii][Ff]) ;;
    *) return 0 ;;
  esac
  case $1 in
    *=*) printf '%s' "${1#*=}" ;;
  esac
}

# eg_sarif_in_args ARG...: the file the first --format sarif=FILE among
# ARGs (-f X, -fX, --format X, --format=X, -format X) writes to.
eg_sarif_in_args() {
  local a f
  while [ $# -gt 0 ]; do
    a=$1
    shift
    case $a in
      --) return 0 ;;
      -f | --format | -format)
        [ $# -gt 0 ] || return 0
        f=$(eg_sarif_of "$1")
        shift
        ;;
      --format=* | -format=*) f=$(eg_sarif_of "${a#*=}") ;;
      -f?*) f=$(eg_sarif_of "${a#-f}") ;;
      *) f= ;;
    esac
    if [ -n "$f" ]; then
      printf '%s' "$f"
      return 0
    fi
  done
}

# eg_build_args: sets EG_ARGS to eksguard's arguments (after the binary)
# from the INPUT_* variables, and EG_SARIF to the SARIF file the scan
# writes (relative to the working directory). Always writes SARIF: a bare
# "sarif" format goes to INPUT_SARIF_FILE, and when no format writes SARIF
# to a file, --format sarif=INPUT_SARIF_FILE is added.
eg_build_args() {
  local sarif_file fail_on config f s user_args
  sarif_file=$(eg_trim "${INPUT_SARIF_FILE:-}")
  [ -n "$sarif_file" ] || sarif_file=eksguard.sarif
  fail_on=$(eg_trim "${INPUT_FAIL_ON:-}")
  config=$(eg_trim "${INPUT_CONFIG:-}")
  EG_ARGS=(scan)
  EG_SARIF=
  if [ -n "$fail_on" ]; then
    EG_ARGS+=(--fail-on "$fail_on")
  fi
  if [ -n "$config" ]; then
    EG_ARGS+=(--config "$config")
  fi
  eg_items eg_split_list "${INPUT_POLICY:-}" || return 1
  for f in ${EG_ITEMS[@]+"${EG_ITEMS[@]}"}; do
    EG_ARGS+=(--policy "$f")
  done
  eg_items eg_split_list "${INPUT_FORMAT:-}" || return 1
  [ ${#EG_ITEMS[@]} -gt 0 ] || EG_ITEMS=(text)
  for f in "${EG_ITEMS[@]}"; do
    case $f in
      [Ss][Aa][Rr][Ii][Ff]) f="sarif=$sarif_file" ;;
    esac
    s=$(eg_sarif_of "$f")
    if [ -n "$s" ] && [ -z "$EG_SARIF" ]; then
      EG_SARIF=$s
    fi
    EG_ARGS+=(--format "$f")
  done
  eg_items eg_split_words "${INPUT_ARGS:-}" || return 1
  user_args=(${EG_ITEMS[@]+"${EG_ITEMS[@]}"})
  EG_ARGS+=(${user_args[@]+"${user_args[@]}"})
  if [ -z "$EG_SARIF" ]; then
    EG_SARIF=$(eg_sarif_in_args ${user_args[@]+"${user_args[@]}"})
  fi
  if [ -z "$EG_SARIF" ]; then
    EG_SARIF=$sarif_file
    EG_ARGS+=(--format "sarif=$sarif_file")
  fi
  eg_items eg_split_list "${INPUT_PATHS:-}" || return 1
  [ ${#EG_ITEMS[@]} -gt 0 ] || EG_ITEMS=(.)
  EG_ARGS+=(-- "${EG_ITEMS[@]}")
}

# eg_os RUNNER_OS: the release's name for the operating system.
eg_os() {
  case $1 in
    Linux | linux) echo linux ;;
    macOS | Darwin | darwin) echo darwin ;;
    Windows | windows | MINGW* | MSYS* | CYGWIN*) echo windows ;;
    *)
      eg_err "no eksguard release for the operating system \"$1\" (linux, darwin and windows are built); use version: source"
      return 1
      ;;
  esac
}

# eg_arch RUNNER_ARCH: the release's name for the processor architecture.
eg_arch() {
  case $1 in
    X64 | x86_64 | amd64) echo amd64 ;;
    ARM64 | arm64 | aarch64) echo arm64 ;;
    *)
      eg_err "no eksguard release for the architecture \"$1\" (amd64 and arm64 are built); use version: source"
      return 1
      ;;
  esac
}

# eg_version VERSION: the release version without its v (goreleaser's
# .Version), from v1.2.3 or 1.2.3 (a pre-release or build suffix allowed).
eg_version() {
  local v=${1#v}
  if ! printf '%s' "$v" | grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$'; then
    eg_err "version \"$1\" is not latest, source or a release (v1.2.3)"
    return 1
  fi
  printf '%s\n' "$v"
}

# eg_asset VERSION OS ARCH: the release archive's name, as goreleaser
# names it (eksguard_{{ .Version }}_{{ .Os }}_{{ .Arch }}; zip on Windows).
eg_asset() {
  local ext=tar.gz
  [ "$2" = windows ] && ext=zip
  printf 'eksguard_%s_%s_%s.%s\n' "$1" "$2" "$3" "$ext"
}

# eg_tag_of_url URL: the version of a release page's URL (.../tag/v1.2.3),
# where <releases>/latest redirects.
eg_tag_of_url() {
  local tag=${1%/}
  case $tag in
    */tag/*) tag=${tag##*/tag/} ;;
    *)
      eg_err "the latest release could not be found: $1 is not a release page"
      return 1
      ;;
  esac
  eg_version "$tag"
}

# eg_checksum_of ASSET: the SHA-256 checksums.txt (on stdin) gives ASSET.
eg_checksum_of() {
  local sum name
  while read -r sum name; do
    name=${name#\*}
    if [ "$name" = "$1" ]; then
      printf '%s\n' "$sum" | tr 'A-F' 'a-f'
      return 0
    fi
  done
  eg_err "$EG_CHECKSUMS lists no $1"
  return 1
}

# eg_sha256 FILE: FILE's SHA-256, lower-case hex.
eg_sha256() {
  local out
  if command -v sha256sum >/dev/null 2>&1; then
    out=$(sha256sum "$1") || return 1
  elif command -v shasum >/dev/null 2>&1; then
    out=$(shasum -a 256 "$1") || return 1
  else
    out=$(openssl dgst -sha256 -r "$1") || return 1
  fi
  # sha256sum marks a name with a backslash or newline by a leading \.
  out=${out#\\}
  printf '%s\n' "${out%% *}" | tr 'A-F' 'a-f'
}

eg_fetch() {
  # eg_fetch URL FILE
  curl -fsSL --retry 3 --retry-delay 2 -o "$2" "$1"
}

# eg_latest RELEASES_URL: the version of the latest release.
eg_latest() {
  local url
  if ! url=$(curl -fsSIL --retry 3 --retry-delay 2 -o /dev/null -w '%{url_effective}' "$1/latest"); then
    eg_err "the latest release could not be found at $1/latest"
    return 1
  fi
  eg_tag_of_url "$url"
}

# eg_download VERSION DIR: downloads the release of this runner into DIR,
# verifies it against checksums.txt, unpacks it and prints the binary's path.
eg_download() {
  local version=$1 dir=$2 base os arch asset want got exe='' bin
  base=${EKSGUARD_RELEASES_URL:-$EG_DEFAULT_RELEASES_URL}
  os=$(eg_os "${RUNNER_OS:-$(uname -s)}") || return 1
  arch=$(eg_arch "${RUNNER_ARCH:-$(uname -m)}") || return 1
  asset=$(eg_asset "$version" "$os" "$arch")
  [ "$os" = windows ] && exe=.exe
  mkdir -p "$dir" || return 1
  echo "eksguard action: downloading $base/download/v$version/$asset" >&2
  if ! eg_fetch "$base/download/v$version/$EG_CHECKSUMS" "$dir/$EG_CHECKSUMS"; then
    eg_err "cannot download $base/download/v$version/$EG_CHECKSUMS"
    return 1
  fi
  if ! eg_fetch "$base/download/v$version/$asset" "$dir/$asset"; then
    eg_err "cannot download $base/download/v$version/$asset"
    return 1
  fi
  want=$(eg_checksum_of "$asset" <"$dir/$EG_CHECKSUMS") || return 1
  got=$(eg_sha256 "$dir/$asset") || return 1
  if [ "$want" != "$got" ]; then
    eg_err "checksum mismatch for $asset: $EG_CHECKSUMS says $want, the download is $got"
    return 1
  fi
  echo "eksguard action: $asset sha256 $got matches $EG_CHECKSUMS" >&2
  case $asset in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q -o "$dir/$asset" -d "$dir/x" || return 1
      else
        mkdir -p "$dir/x" && (cd "$dir/x" && 7z x -y "../$asset" >/dev/null) || return 1
      fi
      ;;
    *) mkdir -p "$dir/x" && tar -xzf "$dir/$asset" -C "$dir/x" || return 1 ;;
  esac
  for bin in "$dir/x/eksguard$exe" "$dir"/x/*/"eksguard$exe"; do
    if [ -f "$bin" ]; then
      chmod +x "$bin"
      printf '%s\n' "$bin"
      return 0
    fi
  done
  eg_err "$asset holds no eksguard$exe"
  return 1
}

# eg_build_source DIR: builds eksguard from the source tree of the action
# (version: source) into DIR with the Go toolchain on PATH.
eg_build_source() {
  local src exe=''
  src=${EKSGUARD_SOURCE_DIR:-${GITHUB_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}}
  if ! command -v go >/dev/null 2>&1; then
    eg_err "version: source needs a Go toolchain on PATH (actions/setup-go with go-version-file: go.mod)"
    return 1
  fi
  case ${RUNNER_OS:-$(uname -s)} in Windows | MINGW* | MSYS* | CYGWIN*) exe=.exe ;; esac
  mkdir -p "$1" || return 1
  echo "eksguard action: building eksguard from $src with $(go version)" >&2
  # A plain build: the binary runs here and now, and shares the build cache
  # of the job's other go commands.
  if ! (cd "$src" && go build -o "$1/eksguard$exe" ./cmd/eksguard) >&2; then
    eg_err "go build of $src/cmd/eksguard failed"
    return 1
  fi
  printf '%s\n' "$1/eksguard$exe"
}

# eg_install: prints the path of the eksguard to run.
eg_install() {
  local version dir
  if [ -n "${EKSGUARD_BIN:-}" ]; then
    if [ ! -x "$EKSGUARD_BIN" ]; then
      eg_err "EKSGUARD_BIN=$EKSGUARD_BIN is not an executable file"
      return 1
    fi
    printf '%s\n' "$EKSGUARD_BIN"
    return 0
  fi
  version=$(eg_trim "${INPUT_VERSION:-}")
  [ -n "$version" ] || version=latest
  dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/eksguard-action-$$
  case $version in
    source) eg_build_source "$dir" ;;
    latest)
      version=$(eg_latest "${EKSGUARD_RELEASES_URL:-$EG_DEFAULT_RELEASES_URL}") || return 1
      eg_download "$version" "$dir"
      ;;
    *)
      version=$(eg_version "$version") || return 1
      eg_download "$version" "$dir"
      ;;
  esac
}

# eg_output NAME VALUE: a step output (printed when not run by Actions).
eg_output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
  else
    printf 'output %s=%s\n' "$1" "$2"
  fi
}

main() {
  local wd bin rc sarif
  wd=$(eg_trim "${INPUT_WORKING_DIRECTORY:-}")
  [ -n "$wd" ] || wd=.
  if ! cd "$wd"; then
    eg_err "working-directory $wd does not exist"
    return 3
  fi
  eg_build_args || return 3
  bin=$(eg_install) || return 3
  "$bin" version >&2 || true
  printf 'eksguard action: running'
  printf ' %q' "$bin" "${EG_ARGS[@]}"
  printf '\n'
  "$bin" "${EG_ARGS[@]}"
  rc=$?
  eg_output exit-code "$rc"
  if [ -f "$EG_SARIF" ]; then
    sarif=$EG_SARIF
    case $sarif in
      /* | [A-Za-z]:[\\/]*) ;;
      *) [ "$wd" = . ] || sarif=${wd%/}/$sarif ;;
    esac
    eg_output sarif "$sarif"
  else
    echo "eksguard action: no SARIF file at $EG_SARIF (eksguard exited $rc)" >&2
  fi
  case $rc in
    0) echo "eksguard action: gate passed" ;;
    1) echo "eksguard action: gate failed (exit 1)" ;;
    2) echo "eksguard action: an input could not be read, or nothing was scanned (exit 2)" ;;
    3) echo "eksguard action: usage or configuration error, or a report not written (exit 3)" ;;
  esac
  return "$rc"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  main
  exit $?
fi
