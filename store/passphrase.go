package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/git-credential-pat/git-credential-pat/store/files"
	"golang.org/x/term"
)

// PassphraseEnv names the variable that unlocks the vault without a prompt,
// for CI and scripts.
const PassphraseEnv = files.PassphraseEnv

// PassphraseFromEnvOrTerminal reads the vault passphrase from PassphraseEnv,
// else asks on the controlling terminal (never stdin or stdout, which belong
// to git), else fails saying how to unlock. A new vault's passphrase is asked
// twice.
func PassphraseFromEnvOrTerminal(vaultPath string) PassphraseFunc {
	asked := 0
	return func(create bool) ([]byte, error) {
		if p, ok := os.LookupEnv(PassphraseEnv); ok && p != "" {
			return []byte(p), nil
		}
		tty, err := openTerminal()
		if err != nil && create {
			// Nothing is locked yet: the vault is about to be made.
			return nil, noTerminalError{fmt.Sprintf("creating the vault %s needs a passphrase and there is no terminal to ask on; set %s to the passphrase to choose, or run the command from a terminal", vaultPath, PassphraseEnv)}
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s needs its passphrase and there is no terminal to ask on; set %s or run the command from a terminal", ErrLocked, vaultPath, PassphraseEnv)
		}
		defer tty.Close()
		if !create {
			// Asked again, the last one was wrong (see PassphraseTries).
			if asked++; asked > 1 {
				fmt.Fprintln(tty, "That passphrase does not unlock the vault; try again.")
			}
			return readSecret(tty, "Passphrase for the git-credential-pat vault: ")
		}
		fmt.Fprintf(tty, "Creating the token vault %s.\n", vaultPath)
		first, err := readSecret(tty, "New passphrase: ")
		if err != nil {
			return nil, err
		}
		if len(first) == 0 {
			return nil, errors.New("an empty passphrase would leave the tokens unprotected; choose one with some length")
		}
		second, err := readSecret(tty, "Repeat the passphrase: ")
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(first, second) {
			return nil, errors.New("the two passphrases differ; nothing was saved, try again")
		}
		return first, nil
	}
}

// noTerminalError is ErrLocked for a vault not made yet, in words that fit.
type noTerminalError struct{ msg string }

func (e noTerminalError) Error() string        { return e.msg }
func (e noTerminalError) Is(target error) bool { return target == ErrLocked }

// PassphraseTries is how many passphrases PassphraseFromEnvOrTerminal's
// function may be asked for (VaultOptions.PassphraseTries): three, as sudo
// and ssh allow, when a person types it on the terminal; one when it comes
// from PassphraseEnv, which asking again would not change.
func PassphraseTries() int {
	if p, ok := os.LookupEnv(PassphraseEnv); ok && p != "" {
		return 1
	}
	return 3
}

// PromptSecret asks for a secret on the controlling terminal without echo.
// It fails when there is no terminal.
func PromptSecret(prompt string) ([]byte, error) {
	tty, err := openTerminal()
	if err != nil {
		return nil, fmt.Errorf("there is no terminal to ask on: %w", err)
	}
	defer tty.Close()
	return readSecret(tty, prompt)
}

// HasTerminal reports whether a controlling terminal can be opened.
func HasTerminal() bool {
	tty, err := openTerminal()
	if err != nil {
		return false
	}
	tty.Close()
	return true
}

func openTerminal() (*os.File, error) {
	return os.OpenFile(terminalPath, os.O_RDWR, 0)
}

func readSecret(tty *os.File, prompt string) ([]byte, error) {
	fmt.Fprint(tty, prompt)
	secret, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return nil, fmt.Errorf("cannot read from the terminal: %w", err)
	}
	return secret, nil
}
