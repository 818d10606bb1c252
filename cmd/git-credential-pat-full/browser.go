package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/git-credential-pat/git-credential-pat/store/vault"
)

// browserSettle is how long a command waits, as it ends, for the browser
// command it started: xdg-open and open return at once; a browser that
// stays in the foreground is left running.
const browserSettle = 5 * time.Second

// browserCommand is the command line that opens address in a browser, or
// nil and why none is run. BROWSER (programs separated as in PATH, the first
// found used) is the person's choice and is used even without a display,
// as over ssh; otherwise the system's opener, but on a Unix machine
// without a display (no DISPLAY nor WAYLAND_DISPLAY) none: the printed
// address is the way there.
func browserCommand(address, goos string, getenv func(string) string, lookPath func(string) (string, error)) ([]string, string) {
	if list := getenv("BROWSER"); list != "" {
		for _, program := range filepath.SplitList(list) {
			if program == "" {
				continue
			}
			if path, err := lookPath(program); err == nil {
				return []string{path, address}, ""
			}
		}
		return nil, fmt.Sprintf("no program BROWSER names (%s) was found", list)
	}
	switch goos {
	case "darwin":
		return []string{"open", address}, ""
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler", address}, ""
	}
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return nil, "this machine has no display"
	}
	path, err := lookPath("xdg-open")
	if err != nil {
		return nil, "xdg-open is not installed"
	}
	return []string{path, address}, ""
}

// openBrowser starts a browser on address, saying on stderr what it does.
// The address holds no secret: it is on the browser's command line. The
// returned function waits a little for the browser command to finish.
func (env *environment) openBrowser(address string) (settle func()) {
	argv, why := browserCommand(address, runtime.GOOS, os.Getenv, exec.LookPath)
	if argv == nil {
		fmt.Fprintf(env.stderr, "No browser was opened (%s): open the address above yourself.\n", why)
		return func() {}
	}
	// The browser gets no standard streams: the terminal stays the
	// token prompt's, and a browser's chatter stays off it.
	cmd := exec.Command(argv[0], argv[1:]...)
	// Nor the vault's passphrase, when the environment holds it.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, vault.PassphraseEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(env.stderr, "No browser was opened (%v): open the address above yourself.\n", err)
		return func() {}
	}
	fmt.Fprintf(env.stderr, "Opening it with %s; if no page appears, open the address above yourself.\n", filepath.Base(argv[0]))
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	return func() {
		select {
		case <-done:
		case <-time.After(browserSettle):
		}
	}
}
