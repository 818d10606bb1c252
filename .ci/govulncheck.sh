#!/usr/bin/env bash
# Runs govulncheck over the module: usage .ci/govulncheck.sh GOVULNCHECK.
#
# The database is vuln.go.dev when it answers, else one built from the
# golang.org/x/vulndb module that the Go module proxy serves (.ci/vulndb.go).
# With neither, the check is skipped with the reason, without failing lint.
#
# A vulnerability the code reaches in a module it requires fails: a newer
# version fixes it (go get). One in the standard library is printed as a
# warning: only a newer Go fixes it, which is a change of the project's Go
# version, not of its code. VULNCHECK_STDLIB=fail makes those fail as well.
set -uo pipefail
cd "$(dirname "$0")/.."
govulncheck=${1:?usage: $0 GOVULNCHECK}

if ! db=$(go run .ci/vulndb.go -cache .tools/vulndb); then
	echo "govulncheck: could not prepare the vulnerability database (the reason is above)" >&2
	exit 1
fi
if [ -z "$db" ]; then
	echo "govulncheck: SKIPPED: no vulnerability database could be reached (the reason is above), so nothing was checked for known vulnerabilities."
	exit 0
fi

echo "govulncheck -db $db ./..."
out=$("$govulncheck" -db "$db" ./... 2>&1)
rc=$?
# Each vulnerability lists every call path that reaches it: the first
# three say where, the rest are counted.
printf '%s\n' "$out" | awk '
	/^ +#[0-9]+: / { if (++traces > 3) { more++; next } }
	!/^ +#[0-9]+: / { if (more) print "      ... and " more " more"; traces = 0; more = 0 }
	{ print }
	END { if (more) print "      ... and " more " more" }'
case $rc in
0) exit 0 ;;
3) ;;
*) exit "$rc" ;;
esac

# Text output names each reached vulnerability as "Found in: PKG@VERSION":
# modules carry a v-version, the standard library a go-version.
if printf '%s\n' "$out" | grep -qE 'Found in: .*@v[0-9]'; then
	echo "govulncheck: the code reaches a vulnerable version of a required module: upgrade it (go get MODULE@FIXED) as the report above says." >&2
	exit 1
fi
if [ "${VULNCHECK_STDLIB:-warn}" = fail ]; then
	echo "govulncheck: the code reaches vulnerabilities of the standard library of $(go env GOVERSION)." >&2
	exit 1
fi
echo "govulncheck: WARNING: the code reaches vulnerabilities of the standard library of $(go env GOVERSION), fixed only by a newer Go (see 'Fixed in' above); not failing lint for them (VULNCHECK_STDLIB=fail would)."
