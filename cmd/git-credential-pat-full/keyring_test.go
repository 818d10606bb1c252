package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/rogpeppe/go-internal/testscript"
)

// The keyring tests run against a real Secret Service: a throwaway GNOME
// Keyring on a private session bus that .ci/keyring-session.sh starts. They
// never touch a desktop's own keyring: without that script they skip, and
// in CI (CI=true) a skip is a failure.
const keyringSessionHint = "these tests need a throwaway Secret Service; run them with: .ci/keyring-session.sh go test -run Keyring ."

// testBusAddress is the throwaway session bus, which the session script
// hands to these tests alone.
func testBusAddress() string { return os.Getenv("GIT_CREDENTIAL_PAT_TEST_DBUS_ADDRESS") }

func requireKeyringSession(t *testing.T) {
	t.Helper()
	if os.Getenv("GIT_CREDENTIAL_PAT_TEST_KEYRING") == "1" && testBusAddress() != "" {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI must run the keyring tests, but there is no keyring session: " + keyringSessionHint)
	}
	t.Skip(keyringSessionHint)
}

// setupKeyringScript is setupScript plus the session bus, which only the
// keyring scripts see. Every keyring script uses hosts of its own: the
// scripts run in parallel and share the one keyring.
func setupKeyringScript(env *testscript.Env) error {
	if err := setupScript(env); err != nil {
		return err
	}
	env.Setenv("DBUS_SESSION_BUS_ADDRESS", testBusAddress())
	env.Setenv("GIT_CREDENTIAL_PAT_PASSPHRASE", "keyring-tests-vault-passphrase")
	// These scripts prove what the keyring itself does; keyring_cache.txtar
	// turns the cache in front of it back on.
	env.Setenv("GIT_CREDENTIAL_PAT_CACHE_TIMEOUT", "0")
	return nil
}

// TestKeyringScripts runs testscripts/keyring/*.txtar against the Secret
// Service: add, git credential fill, list, remove, migrate, doctor.
func TestKeyringScripts(t *testing.T) {
	requireKeyringSession(t)
	// git's own libsecret helper, built from its source, for the import
	// from what it stored.
	helperDir := libsecretHelperDir(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testscripts/keyring",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			if err := setupKeyringScript(env); err != nil {
				return err
			}
			if helperDir != "" {
				env.Setenv("PATH", helperDir+string(os.PathListSeparator)+env.Getenv("PATH"))
			}
			return nil
		},
		Cmds: scriptCmds,
	})
}

// TestKeyringLocked locks the login keyring and puts a password dialog that
// never answers in place, as on a desktop nobody is sitting at: git is told
// to unlock the keyring that holds the tokens, no other store stands in for
// it, and keyring calls give up after the timeout. It runs alone
// (top-level tests run one after another) since it locks the shared
// keyring, and leaves it unlocked whatever happens.
func TestKeyringLocked(t *testing.T) {
	requireKeyringSession(t)
	t.Cleanup(func() {
		if err := restorePrompter(); err != nil {
			t.Error(err)
		}
		if err := unlockLoginKeyring(); err != nil {
			t.Error(err)
		}
	})
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testscripts/keyring-locked",
		RequireExplicitExec: true,
		Setup:               setupKeyringScript,
		Cmds:                lockedCmds(),
	})
}

// lockedCmds are the scripts' commands (gitserver, ...) and those that
// lock the keyring.
func lockedCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"lock-keyring":     scriptCmd(lockLoginKeyring),
		"unlock-keyring":   scriptCmd(unlockLoginKeyring),
		"hang-prompter":    scriptCmd(hangPrompter),
		"restore-prompter": scriptCmd(restorePrompter),
	}
	for name, cmd := range scriptCmds {
		cmds[name] = cmd
	}
	return cmds
}

func scriptCmd(f func() error) func(ts *testscript.TestScript, neg bool, args []string) {
	return func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 0 {
			ts.Fatalf("usage: takes no arguments and cannot fail")
		}
		ts.Check(f())
	}
}

const (
	secretsName     = "org.freedesktop.secrets"
	secretsPath     = "/org/freedesktop/secrets"
	loginCollection = "/org/freedesktop/secrets/collection/login"
	prompterName    = "org.gnome.keyring.SystemPrompter"
)

func withSessionBus(f func(*dbus.Conn) error) error {
	conn, err := dbus.Connect(testBusAddress())
	if err != nil {
		return err
	}
	defer conn.Close()
	return f(conn)
}

// lockLoginKeyring calls the Secret Service's Lock method on the login
// collection, as a screen locker does.
func lockLoginKeyring() error {
	return withSessionBus(func(conn *dbus.Conn) error {
		var locked []dbus.ObjectPath
		var prompt dbus.ObjectPath
		err := conn.Object(secretsName, secretsPath).Call("org.freedesktop.Secret.Service.Lock", 0,
			[]dbus.ObjectPath{loginCollection}).Store(&locked, &prompt)
		if err != nil {
			return fmt.Errorf("locking the login keyring: %w", err)
		}
		if len(locked) != 1 {
			return fmt.Errorf("locking the login keyring locked %v (prompt %s)", locked, prompt)
		}
		return nil
	})
}

// unlockLoginKeyring unlocks it again with the password the session
// script gave it, through GNOME Keyring's interface for doing so without
// a dialog.
func unlockLoginKeyring() error {
	password := os.Getenv("GIT_CREDENTIAL_PAT_TEST_KEYRING_PASSWORD")
	return withSessionBus(func(conn *dbus.Conn) error {
		service := conn.Object(secretsName, secretsPath)
		var output dbus.Variant
		var session dbus.ObjectPath
		if err := service.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&output, &session); err != nil {
			return fmt.Errorf("opening a Secret Service session: %w", err)
		}
		defer conn.Object(secretsName, session).Call("org.freedesktop.Secret.Session.Close", 0)
		secret := struct {
			Session     dbus.ObjectPath
			Parameters  []byte
			Value       []byte
			ContentType string
		}{session, []byte{}, []byte(password), "text/plain"}
		err := service.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
			dbus.ObjectPath(loginCollection), secret).Err
		if err != nil {
			return fmt.Errorf("unlocking the login keyring: %w", err)
		}
		return nil
	})
}

func prompterServiceFile() (string, error) {
	dir := os.Getenv("GIT_CREDENTIAL_PAT_TEST_DBUS_SERVICES")
	if dir == "" {
		return "", fmt.Errorf("GIT_CREDENTIAL_PAT_TEST_DBUS_SERVICES is not set: " + keyringSessionHint)
	}
	return filepath.Join(dir, prompterName+".service"), nil
}

// hangPrompter replaces the password dialog with a program that never
// answers: gnome-keyring waits for it as it waits for a person.
func hangPrompter() error {
	path, err := prompterServiceFile()
	if err != nil {
		return err
	}
	service := "[D-BUS Service]\nName=" + prompterName + "\nExec=/bin/sleep 20\n"
	if err := os.WriteFile(path, []byte(service), 0o600); err != nil {
		return err
	}
	return reloadBus()
}

func restorePrompter() error {
	path, err := prompterServiceFile()
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return reloadBus()
}

func reloadBus() error {
	return withSessionBus(func(conn *dbus.Conn) error {
		return conn.BusObject().Call("org.freedesktop.DBus.ReloadConfig", 0).Err
	})
}
