#!/usr/bin/env bash
# Lays out the build context of the Dockerfile at the repository root:
#
#   scripts/image-context.sh [-d DIST] CONTEXT [PLATFORM...]
#
# PLATFORM is linux/amd64 or linux/arm64 (default: linux/ and this host's
# Go architecture). With -d, the binaries come from a goreleaser dist
# directory (DIST/eksguard_linux_amd64_v1/eksguard, ...); without it they
# are built here with the release's flags (CGO_ENABLED=0, -trimpath, the
# commit stamped).
# CA_BUNDLE names the CA certificates to ship (default: the host's
# /etc/ssl/certs/ca-certificates.crt, Debian's ca-certificates package).
#
# Then: podman build -t eksguard -f Dockerfile CONTEXT   (or docker build)
set -euo pipefail
cd "$(dirname "$0")/.."

dist=""
if [ "${1:-}" = "-d" ]; then
  dist="${2:?-d needs a directory}"; shift 2
fi
ctx="${1:?usage: scripts/image-context.sh [-d DIST] CONTEXT [PLATFORM...]}"; shift
platforms=("$@")
if [ "${#platforms[@]}" -eq 0 ]; then
  platforms=("linux/$(go env GOARCH)")
fi
ca="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
if [ ! -s "$ca" ]; then
  echo "image-context: no CA bundle at $ca (install ca-certificates, or set CA_BUNDLE)" >&2
  exit 1
fi

rm -rf "$ctx"
mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/tmp" "$ctx/rootfs/home" "$ctx/rootfs/work" "$ctx/home"
chmod 1777 "$ctx/rootfs/tmp"
# scratch has no user database; these name the numeric user and group the
# image runs as (65532, "nonroot", as distroless images do).
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' \
  > "$ctx/rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$ctx/rootfs/etc/group"
cp "$ca" "$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"

for p in "${platforms[@]}"; do
  os="${p%%/*}" arch="${p#*/}"
  if [ "$os" != linux ] || [ -z "$arch" ] || [ "$arch" = "$p" ]; then
    echo "image-context: platform $p: want linux/ARCH" >&2; exit 1
  fi
  mkdir -p "$ctx/$p"
  if [ -n "$dist" ]; then
    bins=("$dist"/eksguard_"${os}"_"${arch}"*/eksguard)
    if [ ! -f "${bins[0]}" ]; then
      echo "image-context: no $p binary under $dist (run goreleaser first)" >&2; exit 1
    fi
    cp "${bins[0]}" "$ctx/$p/eksguard"
  else
    # eksguard version then reports dev-<commit> (a release sets the tag).
    rev="$(git rev-parse HEAD 2>/dev/null || true)"
    CGO_ENABLED=0 GOOS="$os" GOARCH="$arch" go build -trimpath \
      -ldflags "-s -w -X github.com/eksguard/eksguard/internal/cli.Revision=$rev" \
      -o "$ctx/$p/eksguard" ./cmd/eksguard
  fi
done
echo "image-context: $ctx ready for ${platforms[*]}"
