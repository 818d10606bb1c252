#!/usr/bin/env bash
# Runs govulncheck over the helper's module and bench/'s: usage
# .ci/govulncheck.sh GOVULNCHECK.
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
# Absolute: each module is checked from its own folder.
govulncheck="$(cd "$(dirname "$govulncheck")" && pwd)/$(basename "$govulncheck")"

if ! db=$(go run .ci/vulndb.go -cache .tools/vulndb); then
	echo "govulncheck: could not prepare the vulnerability database (the reason is above)" >&2
	exit 1
fi
if [ -z "$db" ]; then
	echo "govulncheck: SKIPPED: no vulnerability database could be reached (the reason is above), so nothing was checked for known vulnerabilities."
	exit 0
fi

# check runs govulncheck in one module's folder. It returns 0 when nothing
# is reached, 3 when only the standard library's vulnerabilities are, and
# otherwise govulncheck's own failure, or 1 for a required module's.
check() {
	local out rc
	echo "($1) govulncheck -db $db ./..."
	out=$(cd "$1" && "$govulncheck" -db "$db" ./... 2>&1)
	rc=$?
	# Each vulnerability lists every call path that reaches it: the first
	# three say where, the rest are counted.
	printf '%s\n' "$out" | awk '
		/^ +#[0-9]+: / { if (++traces > 3) { more++; next } }
		!/^ +#[0-9]+: / { if (more) print "      ... and " more " more"; traces = 0; more = 0 }
		{ print }
		END { if (more) print "      ... and " more " more" }'
	case $rc in
	0 | 3) ;;
	*) return "$rc" ;;
	esac
	# Text output names each reached vulnerability as "Found in: PKG@VERSION":
	# modules carry a v-version, the standard library a go-version.
	if printf '%s\n' "$out" | grep -qE 'Found in: .*@v[0-9]'; then
		echo "govulncheck: ($1) the code reaches a vulnerable version of a required module: upgrade it (go get MODULE@FIXED) as the report above says." >&2
		return 1
	fi
	return "$rc"
}

# The helper's module, and bench/, a module of its own.
stdlib=0
for module in . bench; do
	check "$module"
	rc=$?
	case $rc in
	0) ;;
	3) stdlib=1 ;;
	*) exit "$rc" ;;
	esac
done
[ "$stdlib" = 0 ] && exit 0

if [ "${VULNCHECK_STDLIB:-warn}" = fail ]; then
	echo "govulncheck: the code reaches vulnerabilities of the standard library of $(go env GOVERSION)." >&2
	exit 1
fi
echo "govulncheck: WARNING: the code reaches vulnerabilities of the standard library of $(go env GOVERSION), fixed only by a newer Go (see 'Fixed in' above); not failing lint for them (VULNCHECK_STDLIB=fail would)."
