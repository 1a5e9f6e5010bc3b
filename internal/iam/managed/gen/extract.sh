#!/bin/sh
# extract.sh GIT_DIR COMMIT OUT unpacks the AWS managed policies of the
# MIT-licensed dataset github.com/iann0036/iam-dataset, as of COMMIT of a
# clone (or bare mirror) at GIT_DIR, into OUT for ./gen:
#
#	OUT/COMMIT                  "<commit> <commit date, YYYY-MM-DD>"
#	OUT/OLDER                   "<file> <commit>" per file read from an older commit
#	OUT/managedpolicies/*.json  the dataset's aws/managedpolicies/ at COMMIT
#
# A mirror may lack some blobs; a file whose blob at COMMIT cannot be read
# is taken from the newest older commit that changed it and can be read,
# and OLDER records which commit that was. A file no commit can give fails
# the extraction.
set -eu
if [ $# -ne 3 ]; then
	echo "usage: extract.sh GIT_DIR COMMIT OUT" >&2
	exit 2
fi
gitdir=$1
out=$3
g() { git --git-dir="$gitdir" "$@"; }
commit=$(g rev-parse --verify "$2^{commit}")
mkdir -p "$out/managedpolicies"
rm -f "$out"/managedpolicies/*.json
: >"$out/OLDER"
printf '%s %s\n' "$commit" "$(g show -s --format=%cs "$commit")" >"$out/COMMIT"
g ls-tree "$commit" aws/managedpolicies/ | while read -r _mode kind sha path; do
	[ "$kind" = blob ] || continue
	file=${path##*/}
	dst=$out/managedpolicies/$file
	if g cat-file -p "$sha" >"$dst" 2>/dev/null; then
		continue
	fi
	found=
	for c in $(g log --format=%H "$commit" -- "$path"); do
		if g cat-file -p "$c:$path" >"$dst" 2>/dev/null; then
			found=$c
			break
		fi
	done
	if [ -z "$found" ]; then
		rm -f "$dst"
		echo "extract.sh: no readable version of $path" >&2
		exit 1
	fi
	echo "extract.sh: $path: blob missing at $commit, read from $found" >&2
	printf '%s %s\n' "$file" "$found" >>"$out/OLDER"
done
LC_ALL=C sort -o "$out/OLDER" "$out/OLDER"
