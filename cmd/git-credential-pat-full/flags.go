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

// helpWidth is the width help is wrapped to, as a terminal shows it.
const helpWidth = 80

// printUsage prints the usage text with its usage line made whole: the
// line is written as the command is typed, with the options the text
// names where it names them (the value names it gives, [--expires
// YYYY-MM-DD|never], are kept), and every other flag after them, once.
// Then come the text and the options, --name VALUE as on the usage line,
// all wrapped to helpWidth.
func (fs *flags) printUsage(w io.Writer) {
	synopsis, rest, _ := strings.Cut(fs.usage, "\n\n")
	line := strings.Join(strings.Fields(synopsis), " ")
	// The value names the line gives; a flag may be named in the line
	// once only.
	names := map[string]string{}
	lastFlag := -1
	for _, m := range flagInSynopsis.FindAllStringSubmatchIndex(line, -1) {
		name := line[m[2]:m[3]]
		if fs.Lookup(name) == nil {
			continue
		}
		if m[4] >= 0 {
			names[name] = line[m[4]:m[5]]
		} else {
			names[name] = ""
		}
		lastFlag = m[1]
		// A group such as [--classic [--scope LIST]...] ends after its
		// closing brackets and dots.
		for lastFlag < len(line) && strings.ContainsRune("].", rune(line[lastFlag])) {
			lastFlag++
		}
	}
	var more, options strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		value, ok := names[f.Name]
		if !ok {
			value = valueName(f)
			fmt.Fprintf(&more, " [--%s%s]", f.Name, spaced(value))
		}
		_, usage := flag.UnquoteUsage(f)
		options.WriteString(wrap("  --"+f.Name+spaced(value), "", helpWidth))
		options.WriteString(wrap(usage, "        ", helpWidth))
	})
	if lastFlag < 0 {
		lastFlag = len(line)
	}
	line = line[:lastFlag] + more.String() + line[lastFlag:]
	fmt.Fprint(w, wrap(line, "       ", helpWidth))
	if rest != "" {
		fmt.Fprintf(w, "\n%s", rest)
	}
	if options.Len() > 0 {
		fmt.Fprintf(w, "Options:\n%s", options.String())
	}
}

// valueName is the name of a flag's value on the usage line: the word its
// usage text quotes (`DURATION`), else one after its type; none for a
// flag that takes no value.
func valueName(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if name == "" {
		return ""
	}
	return strings.ToUpper(name)
}

// spaced is " VALUE", or nothing for no value.
func spaced(value string) string {
	if value == "" {
		return ""
	}
	return " " + value
}

// wrap breaks text into lines of at most width columns, between words and
// never inside a bracketed group such as [--name VALUE]; the lines after
// the first begin with indent (the first too, unless it starts the usage
// line). A word longer than a line stands on its own.
func wrap(text, indent string, width int) string {
	var words []string
	depth, start := 0, -1
	for i, r := range text {
		switch {
		case r == ' ' && depth == 0:
			if start >= 0 {
				words = append(words, text[start:i])
				start = -1
			}
			continue
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		words = append(words, text[start:])
	}
	var b strings.Builder
	lead := text[:len(text)-len(strings.TrimLeft(text, " "))]
	if !strings.HasPrefix(text, "Usage:") && lead == "" {
		lead = indent
	}
	line := lead
	for _, word := range words {
		if line != lead && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != lead && line != indent {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
	return b.String()
}

// flagInSynopsis is one --name or --name VALUE of a usage line, bracketed
// or not.
var flagInSynopsis = regexp.MustCompile(`--([a-z][a-z-]*)(?: ([^-\[\]\s][^\]\s]*))?`)

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
