package main

import (
	"os"
	"strings"
	"testing"
)

// TestAdvice holds the texts outside the commands to advice.go: --help, the
// README and make install give the one command that makes git ask this
// helper, as doctor does.
func TestAdvice(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"--help", mainUsage, setupCommand(setupHelpPath)},
		{"README.md", readFile(t, "../../README.md"), setupCommand(setupHelpPath)},
		{"the Makefile's install message", readFile(t, "../../Makefile"), `echo "  ` + setupCommand("$$helper") + `"`},
	} {
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s does not say %q", c.name, c.want)
		}
	}
	for _, old := range []string{"credential.helper pat\n", "--add credential.helper pat"} {
		if strings.Contains(mainUsage, "Set it up with: git config --global "+old) {
			t.Errorf("--help still says %q", old)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
