//go:build !darwin && !windows

package keyring

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// keyringSystemName names the keyring in messages.
const keyringSystemName = "the Secret Service"

const (
	secretsName       = "org.freedesktop.secrets"
	secretsPath       = "/org/freedesktop/secrets"
	loginCollection   = "/org/freedesktop/secrets/collection/login"
	defaultCollection = "/org/freedesktop/secrets/aliases/default"
)

// keyringReachable allows a Secret Service call only when a session bus
// exists already. With none, godbus runs dbus-launch, which leaves a
// dbus-daemon (often a gnome-keyring-daemon too) behind after every call:
// one per git operation. A bus at $XDG_RUNTIME_DIR/bus is made the one
// godbus uses, so it looks nowhere else.
func keyringReachable() error {
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && !strings.HasPrefix(addr, "autolaunch:") {
		return nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(dir) {
		bus := filepath.Join(dir, "bus")
		if fi, err := os.Stat(bus); err == nil && fi.Mode().Type() == fs.ModeSocket {
			os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+dbus.EscapeBusAddressValue(bus))
			return nil
		}
	}
	return unusable(ErrKeyringUnavailable, "there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist)",
		"%w: %s, and git-credential-pat never starts one: run it inside a desktop session, or use the encrypted vault with --backend=file")
}

// probeKeyring asks the Secret Service whether the collection go-keyring
// writes to (login, else the default alias) exists and is unlocked. Reading
// a property never shows a dialog, unlike the Unlock go-keyring calls.
func probeKeyring() error {
	conn, err := dbus.SessionBus()
	if err != nil {
		return unusable(ErrKeyringUnavailable, fmt.Sprintf("cannot connect to the D-Bus session bus (%v)", err),
			"%w: %s: use the encrypted vault with --backend=file")
	}
	// Asking a name nobody owns makes the bus start the service that
	// provides it (gnome-keyring-daemon, ksecretd): a daemon nobody asked
	// for. The bus itself says whether one runs.
	var running bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&running); err != nil {
		return unusable(ErrKeyringUnavailable, fmt.Sprintf("cannot ask the D-Bus session bus which services run (%v)", err),
			"%w: %s: use the encrypted vault with --backend=file")
	}
	if !running {
		return unusable(ErrKeyringUnavailable, "no Secret Service runs on the session bus (git-credential-pat starts none)",
			"%w: %s: start one (gnome-keyring-daemon, KWallet) or log in to a desktop session, or use the encrypted vault with --backend=file")
	}
	v, err := conn.Object(secretsName, secretsPath).GetProperty("org.freedesktop.Secret.Service.Collections")
	if err != nil {
		return unusable(ErrKeyringUnavailable, fmt.Sprintf("no Secret Service answers on the session bus (%v)", err),
			"%w: %s: start one (gnome-keyring-daemon, KWallet), or use the encrypted vault with --backend=file")
	}
	collection := dbus.ObjectPath(defaultCollection)
	if paths, ok := v.Value().([]dbus.ObjectPath); ok {
		for _, p := range paths {
			if p == loginCollection {
				collection = loginCollection
			}
		}
	}
	locked, err := conn.Object(secretsName, collection).GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil {
		return unusable(ErrKeyringUnavailable, fmt.Sprintf("the Secret Service has no login or default keyring (%v)", err),
			"%w: %s: create one in your password manager, or use the encrypted vault with --backend=file")
	}
	if isLocked, _ := locked.Value().(bool); isLocked {
		return unusable(ErrKeyringLocked, "Secret Service collection "+string(collection),
			"%w (%s): unlock it (log in to the desktop, or open its password manager), or use the encrypted vault with --backend=file")
	}
	return nil
}

// canSearch: the Secret Service finds items by their attributes.
const canSearch = true

// searchServices lists the "service" attribute of every item of account in
// the collection go-keyring writes to, that starts with
// keyringServicePrefix. The Secret Service matches attributes exactly, so
// the items of an entry under another case are found by its account alone.
// Reading attributes needs no unlocking and reads no secret.
func searchServices(account string) ([]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	items, err := svc.SearchItems(svc.GetLoginCollection(), map[string]string{"username": account})
	if err != nil {
		return nil, err
	}
	var services []string
	for _, item := range items {
		v, err := svc.Object(secretsName, item).GetProperty("org.freedesktop.Secret.Item.Attributes")
		if itemGone(err) {
			// Deleted since the search, by another process: nothing to merge.
			continue
		}
		if err != nil {
			return nil, err
		}
		attributes, _ := v.Value().(map[string]string)
		if service := attributes["service"]; strings.HasPrefix(service, keyringServicePrefix) {
			services = append(services, service)
		}
	}
	return services, nil
}

// itemGone reports whether err says the item asked about no longer exists:
// GNOME Keyring answers for a deleted item that its object has no
// properties interface.
func itemGone(err error) bool {
	var dbusErr dbus.Error
	if !errors.As(err, &dbusErr) {
		return false
	}
	switch dbusErr.Name {
	case "org.freedesktop.DBus.Error.UnknownObject", "org.freedesktop.DBus.Error.UnknownInterface", "org.freedesktop.DBus.Error.UnknownMethod":
		return true
	}
	return false
}

// UnlockSteps are the ways to unlock a locked keyring, a command first.
// GNOME Keyring without a desktop reads the login keyring's password on
// standard input and takes over from the daemon that runs (printf is a
// shell builtin: the password is in no process's arguments).
func UnlockSteps() []string {
	return []string{
		"printf %s PASSWORD | gnome-keyring-daemon --replace --unlock",
		"on a desktop: unlock the Login keyring in Passwords and Keys (Seahorse), or log out and in again",
	}
}

// reachStep says how to reach a keyring that cannot be reached.
const reachStep = "run git inside the desktop session that holds it"

// unusable makes an unusableError; format takes kind and reason.
func unusable(kind error, reason, format string) error {
	return &unusableError{kind: kind, reason: reason, msg: fmt.Errorf(format, kind, reason).Error()}
}
