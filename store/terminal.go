package store

import (
	"fmt"
	"os"

	"golang.org/x/term"
)

// PromptSecret asks for a secret on the controlling terminal without echo.
// It fails when there is no terminal.
func PromptSecret(prompt string) ([]byte, error) {
	tty, err := OpenTerminal()
	if err != nil {
		return nil, fmt.Errorf("there is no terminal to ask on: %w", err)
	}
	defer tty.Close()
	return ReadSecret(tty, prompt)
}

// HasTerminal reports whether a controlling terminal can be opened.
func HasTerminal() bool {
	tty, err := OpenTerminal()
	if err != nil {
		return false
	}
	tty.Close()
	return true
}

// OpenTerminal opens the controlling terminal: prompts never use standard
// input or output, which belong to git.
func OpenTerminal() (*os.File, error) {
	return os.OpenFile(terminalPath, os.O_RDWR, 0)
}

// ReadSecret prints prompt on tty and reads a line without echo.
func ReadSecret(tty *os.File, prompt string) ([]byte, error) {
	fmt.Fprint(tty, prompt)
	secret, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return nil, fmt.Errorf("cannot read from the terminal: %w", err)
	}
	return secret, nil
}
