# eksguard container image: the static binary on an empty base, run as an
# unprivileged user, scanning /work.
#
# No base image is pulled and nothing is compiled here: the binary is built
# outside (CGO_ENABLED=0, so it needs no libc). scripts/image-context.sh lays
# out the build context this file expects:
#
#   <context>/linux/amd64/eksguard     the binary, per target platform
#   <context>/linux/arm64/eksguard     (those being built)
#   <context>/rootfs/                  /etc/passwd and /etc/group naming the
#                                      nonroot user 65532, the CA bundle,
#                                      /tmp (1777), /home, /work
#   <context>/home/                    empty: /home/nonroot, the user's own
#
#   scripts/image-context.sh ctx              # builds linux/<host arch>; -d dist takes goreleaser's
#   podman build --platform linux/amd64 -t eksguard -f Dockerfile ctx   # or docker buildx build
#   podman run --rm -v "$PWD:/work:ro" eksguard scan .
#
# No "# syntax=" line and no RUN: both would need images pulled.
FROM scratch

# The platform being built (linux/amd64, linux/arm64), which podman,
# buildah and docker buildx set from --platform (default: the host's). No
# default here: podman 4.3 would take it over --platform.
ARG TARGETPLATFORM

# The CA bundle in rootfs/ is for --download-modules only (registry and
# archive module sources over HTTPS; git sources need a git the image does
# not have); scans are otherwise offline.
COPY rootfs/ /
# --download-modules caches modules under $HOME/.cache.
COPY --chown=65532:65532 home/ /home/nonroot/
COPY ${TARGETPLATFORM}/eksguard /usr/local/bin/eksguard

ENV PATH=/usr/local/bin \
    HOME=/home/nonroot \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt

# Numeric, so that a runtime can tell the user is not root without reading
# /etc/passwd (Kubernetes runAsNonRoot).
USER 65532:65532
WORKDIR /work

LABEL org.opencontainers.image.title="eksguard" \
      org.opencontainers.image.description="Checks AWS EKS platform code (Terraform, CloudFormation, Kubernetes manifests, IAM policies, CI workflows) against hardening practice" \
      org.opencontainers.image.source="https://github.com/eksguard/eksguard" \
      org.opencontainers.image.licenses="Apache-2.0"

ENTRYPOINT ["eksguard"]
CMD ["scan", "."]
