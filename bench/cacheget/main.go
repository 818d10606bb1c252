// Command cacheget times a cached `get` of git-credential-pat as a whole
// process, side by side with git's own C helper `git-credential-cache get`,
// in one run on one machine, and prints both medians and their ratio. It
// also times an empty Go program (the floor any Go helper pays) and
// `git credential fill` end to end with each helper.
//
// Run it from the repository root: go run ./bench/cacheget
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"

func main() {
	runs := flag.Int("runs", 300, "runs of each command, interleaved")
	flag.Parse()
	if err := run(*runs); err != nil {
		fmt.Fprintln(os.Stderr, "cacheget:", err)
		os.Exit(1)
	}
}

func run(runs int) error {
	tmp, err := os.MkdirTemp("", "cacheget")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	home := filepath.Join(tmp, "home")
	env := append(os.Environ(),
		"HOME="+home, "XDG_RUNTIME_DIR=", "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local/share"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_CREDENTIAL_PAT_PASSPHRASE=bench-passphrase",
		"PATH="+tmp+string(os.PathListSeparator)+os.Getenv("PATH"))
	if err := os.MkdirAll(filepath.Join(home, ".config"), 0o700); err != nil {
		return err
	}

	// The helper as it is installed, and an empty Go program as the floor.
	pat := filepath.Join(tmp, "git-credential-pat")
	if err := command(nil, "", "go", "build", "-o", pat, ".").Run(); err != nil {
		return fmt.Errorf("building git-credential-pat (run from the repository root): %w", err)
	}
	empty := filepath.Join(tmp, "empty")
	os.MkdirAll(filepath.Join(tmp, "emptysrc"), 0o700)
	os.WriteFile(filepath.Join(tmp, "emptysrc", "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o600)
	os.WriteFile(filepath.Join(tmp, "emptysrc", "go.mod"), []byte("module empty\n\ngo 1.21\n"), 0o600)
	if err := command(nil, filepath.Join(tmp, "emptysrc"), "go", "build", "-o", empty, ".").Run(); err != nil {
		return fmt.Errorf("building the empty program: %w", err)
	}
	out, err := command(nil, "", "git", "--exec-path").Output()
	if err != nil {
		return fmt.Errorf("git --exec-path: %w", err)
	}
	gitCache := filepath.Join(strings.TrimSpace(string(out)), "git-credential-cache")

	// Fill both caches: ours by adding the token (the daemon then holds the
	// vault's entries), git's by a store, which starts its daemon.
	if err := command(env, "", pat, "add", "github.com").stdin(token + "\n").Run(); err != nil {
		return fmt.Errorf("adding the token: %w", err)
	}
	defer command(env, "", pat, "cache", "exit").Run()
	if err := command(env, "", gitCache, "--timeout=3600", "store").stdin("protocol=https\nhost=github.com\nusername=x-access-token\npassword=" + token + "\n").Run(); err != nil {
		return fmt.Errorf("starting git's cache: %w", err)
	}
	defer command(env, "", gitCache, "exit").Run()
	request := filepath.Join(tmp, "request")
	os.WriteFile(request, []byte("protocol=https\nhost=github.com\n"), 0o600)

	// Without the passphrase, only the cache can answer.
	noPass := slices.DeleteFunc(slices.Clone(env), func(s string) bool { return strings.HasPrefix(s, "GIT_CREDENTIAL_PAT_PASSPHRASE=") })
	for _, argv := range [][]string{{pat, "get"}, {gitCache, "get"}} {
		out, err := command(noPass, "", argv[0], argv[1:]...).stdinFile(request).Output()
		if err != nil || !bytes.Contains(out, []byte("password="+token)) {
			return fmt.Errorf("%s get did not answer from its cache: %v %q", filepath.Base(argv[0]), err, out)
		}
	}
	if err := command(env, "", "git", "config", "--global", "credential.helper", "pat").Run(); err != nil {
		return err
	}

	cases := []struct {
		name string
		argv []string
		env  []string
	}{
		{"git-credential-pat get (cached)", []string{pat, "get"}, noPass},
		{"git-credential-cache get", []string{gitCache, "get"}, noPass},
		{"empty Go program", []string{empty}, noPass},
		{"git-credential-pat --version", []string{pat, "--version"}, noPass},
		{"git credential fill, helper pat", []string{"git", "-c", "credential.helper=", "-c", "credential.helper=pat", "credential", "fill"}, noPass},
		{"git credential fill, helper cache", []string{"git", "-c", "credential.helper=", "-c", "credential.helper=cache", "credential", "fill"}, noPass},
	}
	times := make([][]time.Duration, len(cases))
	for i := range runs + runs/10 {
		for j := range cases {
			c := cases[(i+j)%len(cases)] // rotate the order: no case always runs first
			cmd := command(c.env, "", c.argv[0], c.argv[1:]...).stdinFile(request)
			start := time.Now()
			err := cmd.Run()
			cmd.Stdin.(*os.File).Close()
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			if i >= runs/10 { // the first tenth warms up
				times[(i+j)%len(cases)] = append(times[(i+j)%len(cases)], time.Since(start))
			}
		}
	}
	medians := make([]time.Duration, len(cases))
	fmt.Printf("%d runs each, interleaved, on %s\n", runs, hostname())
	for i, c := range cases {
		slices.Sort(times[i])
		medians[i] = times[i][len(times[i])/2]
		fmt.Printf("  %-36s median %8s   p10 %8s   p90 %8s\n", c.name, medians[i].Round(time.Microsecond),
			times[i][len(times[i])/10].Round(time.Microsecond), times[i][len(times[i])*9/10].Round(time.Microsecond))
	}
	ratio := func(a, b int) float64 { return float64(medians[a]) / float64(medians[b]) }
	fmt.Printf("ratio get, pat / git-credential-cache:          %.3fx (goal 1.15x)\n", ratio(0, 1))
	fmt.Printf("ratio empty Go program / git-credential-cache:  %.3fx (the floor)\n", ratio(2, 1))
	fmt.Printf("ratio pat --version / git-credential-cache:     %.3fx (start-up alone)\n", ratio(3, 1))
	fmt.Printf("ratio credential fill, pat / cache:             %.3fx (goal 1.05x)\n", ratio(4, 5))
	return nil
}

type cmd struct{ *exec.Cmd }

func command(env []string, dir, name string, args ...string) cmd {
	c := exec.Command(name, args...)
	c.Env, c.Dir, c.Stderr = env, dir, os.Stderr
	if dir == "" && env == nil {
		c.Env = append(os.Environ(), "CGO_ENABLED=0")
	} else if env == nil {
		c.Env = append(os.Environ(), "CGO_ENABLED=0")
	}
	return cmd{c}
}

func (c cmd) stdin(s string) cmd { c.Stdin = strings.NewReader(s); return c }

// stdinFile gives the process the file itself, so no copying goroutine of
// this program stands between it and its input.
func (c cmd) stdinFile(path string) cmd {
	f, err := os.Open(path)
	if err == nil {
		c.Stdin = f
	}
	return c
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}
