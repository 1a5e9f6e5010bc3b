#!/bin/sh
# Must never run: the test checks that the marker it would write is absent.
touch "${KUSTOMIZE_TEST_MARKER:-/tmp/eksguard-kustomize-exec-ran}"
