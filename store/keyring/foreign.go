package keyring

import (
	"errors"
	"time"
)

// ReadForeignItem reads the secret another program keeps in the OS
// keyring under service and account, as go-keyring stores it (GitHub CLI
// 2.40+ keeps each login's token under the service gh:HOST, with the
// account's name, and the active one's with an empty name too). found is
// false when there is no such item. The call gives up after timeout (0:
// DefaultTimeout) and is made only when the keyring can be reached.
func ReadForeignItem(service, account string, timeout time.Duration) (secret string, found bool, err error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	secret, err = osKeyring{timeout: timeout}.Get(service, account)
	if errors.Is(err, errItemNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return secret, true, nil
}

// NetworkPassword is an item git's git-credential-libsecret stored in the
// Secret Service: schema org.gnome.keyring.NetworkPassword, labelled
// "Git: URL".
type NetworkPassword struct {
	// Item is the item's D-Bus object path, which DeleteNetworkPasswords
	// takes.
	Item string
	// Label is the item's label: "Git: https://HOST/PATH".
	Label string
	// Attributes are protocol, server, port (when one was given), user
	// and object (the path), as the helper set them.
	Attributes map[string]string
	// Secret is what the helper stored: the password, then (git 2.41+)
	// lines such as password_expiry_utc=SECONDS.
	Secret string
	// Locked is true for an item of a locked collection, which was not
	// read: Secret is "".
	Locked bool
}
