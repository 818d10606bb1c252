package store

import (
	"bufio"
	"fmt"
	"strings"
)

// Confirm asks a yes-or-no question on the controlling terminal (never
// stdin or stdout) and reports whether the answer was yes. It fails when
// there is no terminal.
func Confirm(question string) (bool, error) {
	tty, err := OpenTerminal()
	if err != nil {
		return false, fmt.Errorf("there is no terminal to ask on: %w", err)
	}
	defer tty.Close()
	fmt.Fprint(tty, question)
	line, err := bufio.NewReader(tty).ReadString('\n')
	if err != nil && line == "" {
		return false, fmt.Errorf("cannot read the answer from the terminal: %w", err)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
