//go:build darwin || windows

package keyring

import (
	"errors"
	"runtime"

	gokeyring "github.com/zalando/go-keyring"
)

// keyringSystemName names the keyring in messages.
var keyringSystemName = map[string]string{"darwin": "the macOS Keychain", "windows": "Windows Credential Manager"}[runtime.GOOS]

// keyringReachable: the Keychain and Credential Manager are part of the
// session; nothing has to be started to reach them.
func keyringReachable() error { return nil }

// canSearch: go-keyring has no way to list the Keychain's or Credential
// Manager's items; see Keyring.dropOldItems for what is done instead.
const canSearch = false

func searchServices(string) ([]string, error) { return nil, nil }

// probeKeyring looks up an item that never exists: "not found" means the
// keyring answers.
func probeKeyring() error {
	_, err := gokeyring.Get(keyringServicePrefix+"probe", keyringAnyUser)
	if err == nil || errors.Is(err, gokeyring.ErrNotFound) {
		return nil
	}
	return keyringError(err)
}

// UnlockSteps are the ways to unlock a locked keyring, a command first.
func UnlockSteps() []string {
	if runtime.GOOS == "darwin" {
		return []string{"security unlock-keychain login.keychain"}
	}
	return []string{"sign in to Windows as the user who stored the tokens"}
}

// reachStep says how to reach a keyring that cannot be reached.
const reachStep = "run git in the session of the user who stored them"
