package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// GHLogin is one login GitHub CLI keeps: in hosts.yml, with its token there
// (gh before 2.40, or --insecure-storage) or in the OS keyring under the
// service gh:HOST (gh 2.40 and later).
type GHLogin struct {
	Host string
	// User is the account; "" when hosts.yml names none (gh 2.23 does
	// not after a login with --with-token).
	User string
	// Token is the token hosts.yml holds; "" when gh keeps it in the OS
	// keyring.
	Token string
	// Line is the line in hosts.yml where the login's token, or its
	// user, is.
	Line int
}

// GHConfigDir is the folder GitHub CLI keeps hosts.yml in, as gh finds it:
// $GH_CONFIG_DIR, else $XDG_CONFIG_HOME/gh, else on Windows
// %AppData%/GitHub CLI, else ~/.config/gh.
func GHConfigDir() (string, error) {
	if d := os.Getenv("GH_CONFIG_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "gh"), nil
	}
	if d := os.Getenv("AppData"); runtime.GOOS == "windows" && d != "" {
		return filepath.Join(d, "GitHub CLI"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find GitHub CLI's folder: %w; set GH_CONFIG_DIR", err)
	}
	return filepath.Join(home, ".config", "gh"), nil
}

// yamlNode is a key of a YAML block mapping: its scalar value or the keys
// under it.
type yamlNode struct {
	key, value string
	line       int
	indent     int
	children   []*yamlNode
}

func (n *yamlNode) child(key string) *yamlNode {
	for _, c := range n.children {
		if c.key == key {
			return c
		}
	}
	return nil
}

// ReadGHHosts reads GitHub CLI's hosts.yml: a mapping of hosts, each with
// oauth_token, user and git_protocol (gh 2.23), and since gh 2.40 a users
// mapping with one key per account, its oauth_token only where gh was told
// to keep tokens out of the keyring. It reads the block mappings gh writes
// (plain, single- and double-quoted scalars, comments, {} for none); a line
// that is neither is an error that names it and never quotes it.
func ReadGHHosts(data []byte) ([]GHLogin, error) {
	root := &yamlNode{indent: -1}
	stack := []*yamlNode{root}
	skipUnder := -1 // indent of a sequence item whose lines are skipped
	for n, raw := range strings.Split(string(data), "\n") {
		number := n + 1
		text := strings.TrimSuffix(raw, "\r")
		content := strings.TrimLeft(text, " ")
		indent := len(text) - len(content)
		if content == "" || content[0] == '#' || content == "---" || (indent == 0 && content == "{}") {
			continue
		}
		if skipUnder >= 0 && indent > skipUnder {
			continue
		}
		skipUnder = -1
		if strings.HasPrefix(content, "\t") {
			return nil, fmt.Errorf("line %d is indented with a tab, which YAML does not allow", number)
		}
		if content == "-" || strings.HasPrefix(content, "- ") {
			// A list (gh keeps none in hosts.yml): not a login.
			skipUnder = indent
			continue
		}
		key, rest, err := yamlKey(content)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", number, err)
		}
		value, err := yamlScalar(rest)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", number, err)
		}
		for len(stack) > 1 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		parent := stack[len(stack)-1]
		node := &yamlNode{key: key, value: value, line: number, indent: indent}
		parent.children = append(parent.children, node)
		stack = append(stack, node)
	}
	var logins []GHLogin
	for _, h := range root.children {
		active := ""
		if u := h.child("user"); u != nil {
			active = u.value
		}
		line := h.line
		token := ""
		if t := h.child("oauth_token"); t != nil {
			token, line = t.value, t.line
		}
		logins = append(logins, GHLogin{Host: h.key, User: active, Token: token, Line: line})
		if users := h.child("users"); users != nil {
			for _, u := range users.children {
				if u.key == active {
					continue
				}
				l := GHLogin{Host: h.key, User: u.key, Line: u.line}
				if t := u.child("oauth_token"); t != nil {
					l.Token, l.Line = t.value, t.line
				}
				logins = append(logins, l)
			}
		}
	}
	return logins, nil
}

// yamlKey splits "KEY: VALUE" (or "KEY:") into its key and what follows.
func yamlKey(content string) (string, string, error) {
	if content[0] == '"' || content[0] == '\'' {
		end := strings.IndexByte(content[1:], content[0])
		if end < 0 {
			return "", "", fmt.Errorf("a quoted key is not closed")
		}
		key, err := yamlScalar(content[:end+2])
		if err != nil {
			return "", "", err
		}
		rest := content[end+2:]
		if !strings.HasPrefix(rest, ":") {
			return "", "", fmt.Errorf("a key is not followed by a colon")
		}
		return key, rest[1:], nil
	}
	for i := 0; i < len(content); i++ {
		if content[i] == ':' && (i+1 == len(content) || content[i+1] == ' ') {
			return strings.TrimRight(content[:i], " "), content[i+1:], nil
		}
	}
	return "", "", fmt.Errorf("it is not a key and a value")
}

// yamlScalar reads a value: plain (a comment after it dropped), quoted in
// single quotes (” for one) or double quotes (backslash escapes), or {}
// for none.
func yamlScalar(s string) (string, error) {
	s = strings.Trim(s, " ")
	switch {
	case s == "" || s == "{}" || s == "~" || s == "null":
		return "", nil
	case s[0] == '\'':
		end := strings.LastIndexByte(s, '\'')
		if end == 0 {
			return "", fmt.Errorf("a quoted value is not closed")
		}
		return strings.ReplaceAll(s[1:end], "''", "'"), nil
	case s[0] == '"':
		var b strings.Builder
		for i := 1; i < len(s); i++ {
			switch c := s[i]; c {
			case '"':
				return b.String(), nil
			case '\\':
				if i+1 == len(s) {
					return "", fmt.Errorf("a quoted value is not closed")
				}
				i++
				switch s[i] {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				case '0':
					b.WriteByte(0)
				default:
					b.WriteByte(s[i])
				}
			default:
				b.WriteByte(c)
			}
		}
		return "", fmt.Errorf("a quoted value is not closed")
	case s[0] == '[' || s[0] == '{' || s[0] == '|' || s[0] == '>' || s[0] == '&' || s[0] == '*' || s[0] == '!':
		return "", fmt.Errorf("it holds a kind of YAML value gh does not write")
	}
	if i := strings.Index(s, " #"); i >= 0 {
		s = strings.TrimRight(s[:i], " ")
	}
	return s, nil
}
