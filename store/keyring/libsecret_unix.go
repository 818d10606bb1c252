//go:build !darwin && !windows

package keyring

import (
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
	ss "github.com/zalando/go-keyring/secret_service"
)

// networkPasswordSchema is the schema git-credential-libsecret stores under
// (libsecret's SECRET_SCHEMA_COMPAT_NETWORK), which libsecret records in
// the item's xdg:schema attribute.
const networkPasswordSchema = "org.gnome.keyring.NetworkPassword"

// gitLabelPrefix starts the label of every item git-credential-libsecret
// stores; other programs (gvfs, ...) keep network passwords under the same
// schema.
const gitLabelPrefix = "Git: "

// NetworkPasswords lists the items git-credential-libsecret stored, in
// every collection of the Secret Service, with their secrets; an item of a
// locked collection is listed Locked, unread: nothing is unlocked, which
// could show a password dialog. The whole search gives up after timeout
// (0: DefaultTimeout).
func NetworkPasswords(timeout time.Duration) ([]NetworkPassword, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if err := keyringReachable(); err != nil {
		return nil, err
	}
	items, err := withTimeout(timeout, readNetworkPasswords)
	if err != nil {
		return nil, fmt.Errorf("could not read git-credential-libsecret's passwords from %s: %w", keyringSystemName, keyringError(err))
	}
	return items, nil
}

func readNetworkPasswords() ([]NetworkPassword, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, err
	}
	var unlocked, locked []dbus.ObjectPath
	err = svc.Object(secretsName, secretsPath).Call("org.freedesktop.Secret.Service.SearchItems", 0,
		map[string]string{"xdg:schema": networkPasswordSchema}).Store(&unlocked, &locked)
	if err != nil {
		return nil, err
	}
	var out []NetworkPassword
	props := func(item dbus.ObjectPath) (string, map[string]string, bool, error) {
		obj := svc.Object(secretsName, item)
		label, err := obj.GetProperty("org.freedesktop.Secret.Item.Label")
		if err != nil {
			return "", nil, false, err
		}
		attrs, err := obj.GetProperty("org.freedesktop.Secret.Item.Attributes")
		if err != nil {
			return "", nil, false, err
		}
		l, _ := label.Value().(string)
		a, _ := attrs.Value().(map[string]string)
		return l, a, strings.HasPrefix(l, gitLabelPrefix), nil
	}
	for _, item := range locked {
		label, attrs, ours, err := props(item)
		if itemGone(err) || (err == nil && !ours) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, NetworkPassword{Item: string(item), Label: label, Attributes: attrs, Locked: true})
	}
	if len(unlocked) == 0 {
		return out, nil
	}
	session, err := svc.OpenSession()
	if err != nil {
		return nil, err
	}
	defer svc.Close(session)
	for _, item := range unlocked {
		label, attrs, ours, err := props(item)
		if itemGone(err) || (err == nil && !ours) {
			continue
		}
		if err != nil {
			return nil, err
		}
		secret, err := svc.GetSecret(item, session.Path())
		if itemGone(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, NetworkPassword{Item: string(item), Label: label, Attributes: attrs, Secret: string(secret.Value)})
	}
	return out, nil
}

// DeleteNetworkPasswords deletes the items (D-Bus object paths that
// NetworkPasswords gave) from the Secret Service, each on its own: the
// Secret Service deletes one item at a time, so an error leaves the items
// before it deleted. An item deleted meanwhile is no error. The whole
// deletion gives up after timeout (0: DefaultTimeout).
func DeleteNetworkPasswords(items []string, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if err := keyringReachable(); err != nil {
		return err
	}
	_, err := withTimeout(timeout, func() (struct{}, error) {
		svc, err := ss.NewSecretService()
		if err != nil {
			return struct{}{}, err
		}
		for _, item := range items {
			if err := svc.Delete(dbus.ObjectPath(item)); err != nil && !itemGone(err) {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return fmt.Errorf("could not delete git-credential-libsecret's passwords from %s: %w", keyringSystemName, keyringError(err))
	}
	return nil
}
