#!/usr/bin/env bash
# Runs a command beside a real Secret Service: a private D-Bus session bus
# with GNOME Keyring on it, its login keyring created and unlocked without a
# prompt, all under a throwaway HOME so no real keyring is touched. The bus
# address reaches the command as GIT_CREDENTIAL_PAT_TEST_DBUS_ADDRESS, not
# DBUS_SESSION_BUS_ADDRESS, so only the keyring tests use it:
#
#   .ci/keyring-session.sh go test ./...      (everything, keyring included)
#   .ci/keyring-session.sh go test -run Keyring .
#
# Needs: apt-get install -y gnome-keyring libsecret-tools dbus-x11
# (dbus-run-session comes with dbus; secret-tool with libsecret-tools).
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 COMMAND [ARGS...]   (for example: $0 go test -run Keyring ./...)" >&2
	exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
	if ! command -v "$tool" >/dev/null; then
		echo "$0: $tool is missing: apt-get install -y gnome-keyring libsecret-tools dbus-x11" >&2
		exit 1
	fi
done

# Go keeps its caches under HOME by default: pin them before HOME moves, so
# the command reuses the modules and builds it already has.
if command -v go >/dev/null; then
	export GOPATH="${GOPATH:-$(go env GOPATH)}"
	export GOCACHE="${GOCACHE:-$(go env GOCACHE)}"
	export GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}"
fi

session=$(mktemp -d "${TMPDIR:-/tmp}/keyring-session.XXXXXX")
trap 'rm -rf "$session"' EXIT
mkdir -m 700 "$session/home" "$session/run"
export HOME="$session/home"
export XDG_RUNTIME_DIR="$session/run"
# dbus-daemon finds the user's service folder through XDG_DATA_HOME (it
# takes the home folder from the password database, not HOME).
export XDG_DATA_HOME="$HOME/.local/share"
unset XDG_CONFIG_HOME XDG_CACHE_HOME GNOME_KEYRING_CONTROL DBUS_SESSION_BUS_ADDRESS
# The locked-keyring test puts a password dialog that never answers here,
# as a person away from the desk would: D-Bus service files in this folder
# take precedence over the system's.
export GIT_CREDENTIAL_PAT_TEST_DBUS_SERVICES="$XDG_DATA_HOME/dbus-1/services"
mkdir -p "$GIT_CREDENTIAL_PAT_TEST_DBUS_SERVICES"

# The password of the throwaway login keyring; the tests that lock it use it
# to unlock it again.
export GIT_CREDENTIAL_PAT_TEST_KEYRING_PASSWORD=ci-keyring-password
# Marks the session as one the keyring tests may write into and lock.
export GIT_CREDENTIAL_PAT_TEST_KEYRING=1

# The bus daemon logs to stderr what is no concern of the tests (that it
# cannot raise its fd limit, that it reloaded its configuration when a test
# added a service file): its stderr alone goes to a log, shown when the
# command fails, so the command's own output stays as it is.
daemon=$(command -v dbus-daemon || true)
daemon_args=()
if [ -n "$daemon" ]; then
	printf '#!/bin/sh\nexec %q "$@" 2>>%q\n' "$daemon" "$session/dbus-daemon.log" >"$session/dbus-daemon"
	chmod 700 "$session/dbus-daemon"
	daemon_args=(--dbus-daemon="$session/dbus-daemon")
fi

status=0
dbus-run-session "${daemon_args[@]}" -- bash -c '
	set -euo pipefail
	# printf, not echo: a trailing newline would become part of the password.
	# --unlock creates the login keyring with this password when it does not
	# exist yet, and unlocks it.
	printf %s "$GIT_CREDENTIAL_PAT_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	# Only the keyring tests get the bus, under a name of their own: every
	# other test keeps running as on a machine without a keyring.
	export GIT_CREDENTIAL_PAT_TEST_DBUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS"
	# gnome-keyring-daemon forks away and may outlive the bus: note which
	# process it is, to end it (and only it) when the command is done.
	# The daemon claims its bus name a moment after --unlock returns: wait
	# for it (five seconds at most) rather than race it.
	keyring_pid=
	for _ in $(seq 50); do
		if reply=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
			/org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
			string:org.freedesktop.secrets 2>/dev/null); then
			read -r _ keyring_pid <<<"$reply"
			break
		fi
		sleep 0.1
	done
	if [ -z "$keyring_pid" ]; then
		echo "keyring-session: gnome-keyring-daemon did not come up on the session bus" >&2
		exit 1
	fi
	unset DBUS_SESSION_BUS_ADDRESS
	status=0
	"$@" || status=$?
	kill "$keyring_pid" 2>/dev/null || true
	exit "$status"
' keyring-session "$@" || status=$?
if [ "$status" -ne 0 ] && [ -s "$session/dbus-daemon.log" ]; then
	echo "keyring-session: the session bus logged:" >&2
	cat "$session/dbus-daemon.log" >&2
fi
exit "$status"
