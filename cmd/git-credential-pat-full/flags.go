package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/internal/options"
	"golang.org/x/term"
)

// flags is a command's flag set and its usage text.
type flags struct {
	*flag.FlagSet
	env   *environment
	usage string
}

// newFlags makes a command's flag set. --help prints its usage on stdout;
// a flag it does not know is one line on stderr (see parseFlags).
func (env *environment) newFlags(name, usage string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // parseFlags says what is needed, once
	return &flags{FlagSet: fs, env: env, usage: usage}
}

// printUsage prints the usage text, its first line completed with every
// flag, and the flags as people type them (--name).
func (fs *flags) printUsage(w io.Writer) {
	synopsis, rest, _ := strings.Cut(fs.usage, "\n")
	// The value names the text gives ([--expires YYYY-MM-DD]) are kept.
	names := map[string]string{}
	for _, m := range flagInSynopsis.FindAllStringSubmatch(synopsis, -1) {
		names[m[1]] = m[2]
	}
	if i := strings.Index(synopsis, " [--"); i >= 0 {
		synopsis = synopsis[:i]
	}
	var b strings.Builder
	b.WriteString(synopsis)
	var options strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		if name, ok := names[f.Name]; ok {
			value = name
		}
		if value != "" {
			value = " " + strings.ToUpper(value)
		}
		fmt.Fprintf(&b, " [--%s%s]", f.Name, value)
		fmt.Fprintf(&options, "  --%s%s\n    \t%s\n", f.Name, value, usage)
	})
	fmt.Fprintf(w, "%s\n%s", b.String(), rest)
	if options.Len() > 0 {
		fmt.Fprintf(w, "Options:\n%s", options.String())
	}
}

// flagInSynopsis is one [--name VALUE] of a usage line.
var flagInSynopsis = regexp.MustCompile(`\[--([a-z-]+)(?: ([^\]|]+))?\]`)

// parseFlags parses flags that may stand before or after positional
// arguments, as people type them: add github.com/acme --expires 2026-12-31.
// --help prints the usage and returns flag.ErrHelp; a flag it does not
// know is a usage error of one line that says where help is.
func parseFlags(fs *flags, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printUsage(fs.env.stdout)
				return nil, err
			}
			return nil, usagef("%s: %s; run git-credential-pat %s --help", fs.Name(), options.FlagMessage(err), fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// parseTargetFlag reads TARGET, with --username (when given) as its user name.
func parseTargetFlag(fs *flag.FlagSet, arg, username string) (credential.Target, error) {
	target, err := parseTarget(arg)
	if err != nil {
		return credential.Target{}, err
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "username" {
			target.Username, target.HasUsername = username, true
		}
	})
	return target, nil
}

// parseTarget reads TARGET as typed, refusing a path the host's forge
// does not have.
func parseTarget(arg string) (credential.Target, error) {
	target, err := credential.ParseTarget(arg)
	if err != nil {
		return credential.Target{}, usageError{err.Error()}
	}
	if f := forge.ForHost(target.Host); f != nil {
		if err := checkForgePath(f, target); err != nil {
			return credential.Target{}, err
		}
	}
	return target, nil
}

// noteTarget says what a person may not expect of the target they typed:
// an http:// URL is kept as the host (the token answers https:// requests,
// and http:// ones only with --allow-http), and a host with no dot, such as
// github, is one git asks for only by that very name.
func (env *environment) noteTarget(typed string, t credential.Target, allowHTTP bool) {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(typed)), "http://") && !allowHTTP {
		say(env.stderr, "note: the token is stored for %s and answers https:// requests; plain http:// ones it answers only when added with --allow-http.", t.Location())
	}
	name := credential.HostName(t.Host)
	if strings.Contains(name, ".") || strings.HasPrefix(name, "[") || name == "localhost" {
		return
	}
	hint := ""
	for _, f := range forge.All() {
		for _, suffix := range []string{".com", ".org"} {
			if f.IsHost(name + suffix) {
				hint = fmt.Sprintf(" (did you mean %s?)", name+suffix)
			}
		}
	}
	say(env.stderr, "note: the host %s has no dot: git asks for this token only for URLs that name that very host%s.", name, hint)
}
