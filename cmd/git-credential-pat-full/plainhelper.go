package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// helperSetting is one credential.helper or credential.<URL>.helper value
// as git's configuration holds it, and where.
type helperSetting struct {
	scope  string // global, system, local, worktree, command
	origin string // as git shows it: "file:PATH", "command line:", ...
	key    string // credential.helper or credential.<URL>.helper
	value  string
}

// helperSettings reads every helper setting git sees here, in git's order.
func helperSettings() ([]helperSetting, error) {
	// -z: a path or value with any character comes back unquoted.
	out, err := exec.Command("git", "config", "-z", "--show-scope", "--show-origin",
		"--get-regexp", `^credential\.(.*\.)?helper$`).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return nil, nil // none set
	}
	if err != nil {
		return nil, err
	}
	fields := bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0})
	var settings []helperSetting
	for i := 0; i+2 < len(fields); i += 3 {
		key, value, _ := strings.Cut(string(fields[i+2]), "\n")
		settings = append(settings, helperSetting{scope: string(fields[i]), origin: string(fields[i+1]), key: key, value: value})
	}
	return settings, nil
}

// isPlaintextHelper recognizes git-credential-store, which writes every
// credential git hands it unencrypted to a file: "store" with or without
// options, or the program named by its path.
func isPlaintextHelper(value string) bool {
	name, _, _ := strings.Cut(strings.TrimSpace(value), " ")
	base := strings.TrimSuffix(filepath.Base(filepath.ToSlash(name)), ".exe")
	return name == "store" || base == "git-credential-store"
}

// plaintextHelpers lists the plaintext helpers git uses: those not cleared
// by an empty value after them (an empty credential.helper clears every
// helper before it, an empty credential.<URL>.helper those of its URL).
func plaintextHelpers() ([]helperSetting, error) {
	settings, err := helperSettings()
	if err != nil {
		return nil, err
	}
	var live []helperSetting
	for _, s := range settings {
		if strings.TrimSpace(s.value) != "" {
			live = append(live, s)
			continue
		}
		live = slices.DeleteFunc(live, func(l helperSetting) bool {
			return s.key == "credential.helper" || l.key == s.key
		})
	}
	var plain []helperSetting
	for _, s := range live {
		if isPlaintextHelper(s.value) {
			plain = append(plain, s)
		}
	}
	return plain, nil
}

// file is the configuration file that holds the setting, made absolute:
// git shows a repository's own file relative to its top folder. "" when
// the setting comes from no file (git -c, GIT_CONFIG_PARAMETERS).
func (s helperSetting) file() string {
	path, ok := strings.CutPrefix(s.origin, "file:")
	if !ok || path == "" {
		return ""
	}
	if !filepath.IsAbs(path) {
		if top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err == nil {
			path = filepath.Join(strings.TrimSpace(string(top)), path)
		} else if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
	}
	return path
}

// where says where the setting is, for a person to find it.
func (s helperSetting) where() string {
	if f := s.file(); f != "" {
		return fmt.Sprintf("%s in %s", s.key, f)
	}
	if s.scope == "command" {
		return s.key + " given by git -c or the GIT_CONFIG_PARAMETERS or GIT_CONFIG_COUNT environment variables"
	}
	return fmt.Sprintf("%s from %s", s.key, s.origin)
}

// unsetCommand is the command that removes this setting and nothing else:
// --file names the very file that holds it (an included one too), and
// --fixed-value removes only values equal to this one, never this helper
// or another. "" when no command can reach it.
func (s helperSetting) unsetCommand() string {
	f := s.file()
	if f == "" {
		return ""
	}
	where := "--file " + pathArg(f)
	if home, err := os.UserHomeDir(); err == nil && s.scope == "global" && f == filepath.Join(home, ".gitconfig") {
		where = "--global"
	}
	return fmt.Sprintf("git config %s --fixed-value --unset-all %s %s", where, pathArg(s.key), shellQuote(s.value))
}

// plaintextWhat says what a plaintext helper does with the tokens.
func (s helperSetting) plaintextWhat() string {
	return fmt.Sprintf("the helper %q (%s) is git-credential-store: git hands every credential that works to each helper, so it writes your tokens unencrypted to its file (default ~/.git-credentials)",
		s.value, s.where())
}

// plaintextFix is the advice for one plaintext helper.
func (s helperSetting) plaintextFix() string {
	if c := s.unsetCommand(); c != "" {
		return c
	}
	return "remove it from there"
}

// doctorPlaintextHelpers reports each plaintext helper git uses.
func doctorPlaintextHelpers(r *doctorReport) {
	plain, err := plaintextHelpers()
	if err != nil {
		return // doctorHelpers has said that git's configuration cannot be read
	}
	for _, s := range plain {
		r.problem("git", s.plaintextWhat()+"; once it is gone, move what it wrote into the vault with: git-credential-pat import --delete-plaintext",
			s.plaintextFix())
	}
}

// warnPlaintextHelpers warns, once per command, that a plaintext helper
// will copy the tokens git uses out of the vault; one line for each place
// one is set.
func (env *environment) warnPlaintextHelpers() {
	plain, err := plaintextHelpers()
	if err != nil {
		return
	}
	for _, s := range plain {
		fmt.Fprintf(env.stderr, "warning: %s; remove it with: %s\n", s.plaintextWhat(), s.plaintextFix())
	}
}
