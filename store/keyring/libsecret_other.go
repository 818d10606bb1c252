//go:build darwin || windows

package keyring

import (
	"errors"
	"time"
)

var errNoSecretService = errors.New("git-credential-libsecret keeps passwords in the Secret Service, which this system does not have: there is nothing of it to import here")

// NetworkPasswords is the Secret Service's alone.
func NetworkPasswords(timeout time.Duration) ([]NetworkPassword, error) {
	return nil, errNoSecretService
}

// DeleteNetworkPasswords is the Secret Service's alone.
func DeleteNetworkPasswords(items []string, timeout time.Duration) error {
	return errNoSecretService
}
