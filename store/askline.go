package store

import (
	"bufio"
	"fmt"
	"strings"
)

// AskLine asks for one line on the controlling terminal (never stdin or
// stdout, which may belong to a script) and returns it without surrounding
// spaces. It fails when there is no terminal.
func AskLine(question string) (string, error) {
	tty, err := OpenTerminal()
	if err != nil {
		return "", fmt.Errorf("there is no terminal to ask on: %w", err)
	}
	defer tty.Close()
	fmt.Fprint(tty, question)
	line, err := bufio.NewReader(tty).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("cannot read the answer from the terminal: %w", err)
	}
	return strings.TrimSpace(line), nil
}
