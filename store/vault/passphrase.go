package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/git-credential-pat/git-credential-pat/store"
	"github.com/git-credential-pat/git-credential-pat/store/files"
)

// PassphraseEnv names the variable that unlocks the vault without a prompt,
// for CI and scripts.
const PassphraseEnv = files.PassphraseEnv

// takenPassphrase is PassphraseEnv's value once TakePassphraseFromEnv took
// it out of the environment.
var takenPassphrase string

// TakePassphraseFromEnv moves the passphrase from the environment into
// this process's memory, so that no program it starts (pass, gpg, git and
// the helpers git runs, a browser) inherits it. The full program calls it
// first thing.
func TakePassphraseFromEnv() {
	if p := os.Getenv(PassphraseEnv); p != "" {
		takenPassphrase = p
	}
	os.Unsetenv(PassphraseEnv)
}

// passphraseFromEnv is the passphrase given in the environment: still
// there, or taken from it.
func passphraseFromEnv() string {
	if p := os.Getenv(PassphraseEnv); p != "" {
		return p
	}
	return takenPassphrase
}

// PassphraseFromEnvOrTerminal reads the vault passphrase from PassphraseEnv,
// else asks on the controlling terminal (never stdin or stdout, which belong
// to git), else fails saying how to unlock. A new vault's passphrase is asked
// twice. noPrompt, when set, is asked first whether prompting is forbidden
// (credential.interactive=false, GIT_TERMINAL_PROMPT=0): it returns why, and
// then the passphrase is not asked for, not even on a terminal.
func PassphraseFromEnvOrTerminal(vaultPath string, noPrompt func() string) PassphraseFunc {
	asked := 0
	return func(create bool) ([]byte, error) {
		if p := passphraseFromEnv(); p != "" {
			return []byte(p), nil
		}
		tty, err := store.OpenTerminal()
		if err != nil && create {
			// Nothing is locked yet: the vault is about to be made.
			return nil, noTerminalError{fmt.Sprintf("creating the vault %s needs a passphrase and there is no terminal to ask on; set %s to the passphrase to choose, or run the command from a terminal", vaultPath, PassphraseEnv)}
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s needs its passphrase and there is no terminal to ask on; set %s or run the command from a terminal", ErrLocked, vaultPath, PassphraseEnv)
		}
		defer tty.Close()
		if noPrompt != nil {
			if why := noPrompt(); why != "" {
				return nil, fmt.Errorf("%w: %s needs its passphrase and %s, so it is not asked for; set %s, or unlock it from a terminal with: git-credential-pat list", ErrLocked, vaultPath, why, PassphraseEnv)
			}
		}
		if !create {
			// Asked again, the last one was wrong (see PassphraseTries).
			if asked++; asked > 1 {
				fmt.Fprintln(tty, "That passphrase does not unlock the vault; try again.")
			}
			return store.ReadSecret(tty, "Passphrase for the git-credential-pat vault: ")
		}
		fmt.Fprintf(tty, "Creating the token vault %s.\n", vaultPath)
		return newPassphrase(tty)
	}
}

// MinPassphrase is the length under which a new vault's passphrase is kept
// only when the person confirms it: a copy of the vault can be guessed at
// offline, at any pace.
const MinPassphrase = 8

// newPassphrase asks on tty for a new vault's passphrase, twice. An empty
// one, a short one not confirmed, or two that differ are asked for again,
// three times in all, as sudo and ssh allow.
func newPassphrase(tty *os.File) ([]byte, error) {
	for range 3 {
		first, err := store.ReadSecret(tty, "New passphrase: ")
		if err != nil {
			return nil, err
		}
		if len(first) == 0 {
			fmt.Fprintln(tty, "An empty passphrase would leave the tokens unprotected; choose one.")
			continue
		}
		if n := utf8.RuneCount(first); n < MinPassphrase {
			fmt.Fprintf(tty, "That passphrase is %d characters long: whoever copies the vault could guess it by trying. %d or more are safer.\n", n, MinPassphrase)
			keep, err := store.ReadSecret(tty, "Keep it anyway? [y/N] ")
			if err != nil {
				return nil, err
			}
			if answer := strings.ToLower(strings.TrimSpace(string(keep))); answer != "y" && answer != "yes" {
				continue
			}
		}
		second, err := store.ReadSecret(tty, "Repeat the passphrase: ")
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(first, second) {
			fmt.Fprintln(tty, "The two passphrases differ; choose one again.")
			continue
		}
		return first, nil
	}
	return nil, errors.New("no passphrase was chosen after three tries; nothing was saved")
}

// noTerminalError is ErrLocked for a vault not made yet, in words that fit.
type noTerminalError struct{ msg string }

func (e noTerminalError) Error() string        { return e.msg }
func (e noTerminalError) Is(target error) bool { return target == ErrLocked }

// PassphraseTries is how many passphrases PassphraseFromEnvOrTerminal's
// function may be asked for (Options.PassphraseTries): three, as sudo
// and ssh allow, when a person types it on the terminal; one when it comes
// from PassphraseEnv, which asking again would not change.
func PassphraseTries() int {
	if passphraseFromEnv() != "" {
		return 1
	}
	return 3
}
