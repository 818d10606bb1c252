package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
	"github.com/git-credential-pat/git-credential-pat/store"
)

const listUsage = `Usage: git-credential-pat list [--json]

Shows the stored tokens, masked (kind prefix and last four characters),
with their expiry and days left. --json prints one JSON array for scripts;
it never holds a token either.

`

// listedEntry is one row of list --json.
type listedEntry struct {
	Target    string     `json:"target"`
	Host      string     `json:"host"`
	Path      string     `json:"path"`
	Username  *string    `json:"username"`
	Kind      string     `json:"kind"`
	Token     string     `json:"token_masked"`
	Expires   *string    `json:"expires"`
	DaysLeft  *int       `json:"days_left"`
	Expired   bool       `json:"expired"`
	Refused   *string    `json:"refused,omitempty"`
	Note      string     `json:"note"`
	AllowHTTP bool       `json:"allow_http"`
	Added     time.Time  `json:"added"`
	LastUsed  *time.Time `json:"last_used"`
	Login     string     `json:"login,omitempty"`
	Scopes    []string   `json:"scopes,omitempty"`
	Verified  *time.Time `json:"verified,omitempty"`
	APIURL    string     `json:"api_url,omitempty"`
	Forge     string     `json:"forge"` // "" when no forge is known for the entry
}

func (env *environment) list(args []string) error {
	fs := env.newFlags("list", listUsage)
	asJSON := fs.Bool("json", false, "print a JSON array")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 0 {
		return usagef("list takes no arguments")
	}
	tokens, entries, err := env.listings()
	if err != nil {
		return err
	}
	forges := forgesOfListings(entries)
	if *asJSON {
		return env.listJSON(entries, forges)
	}
	// Which backend answered goes to stderr, so stdout stays the table
	// that scripts count and grep; and only to a person at a terminal,
	// so that a script's or cron job's stderr holds only what went wrong.
	source := ""
	if stderrIsTerminal(env.stderr) {
		source = fmt.Sprintf("(read from %s)\n", tokens)
	}
	if len(entries) == 0 {
		fmt.Fprintf(env.stdout, "No tokens are stored yet. Add one with: git-credential-pat add github.com/OWNER\n")
		fmt.Fprint(env.stderr, source)
		return nil
	}
	if err := env.listTable(entries, forges); err != nil {
		return err
	}
	if source != "" {
		fmt.Fprintf(env.stderr, "(%s, read from %s)\n", countTokens(len(entries)), tokens)
	}
	return nil
}

// forgesOfListings is each listed entry's forge, resolved as for a token
// taken in: an entry git stored for a host told once with --forge is of
// that forge too.
func forgesOfListings(entries []store.Listing) []forge.Forge {
	all := make([]credential.Entry, len(entries))
	for i, l := range entries {
		all[i] = maskedEntry(l)
	}
	forges := make([]forge.Forge, len(all))
	for i, e := range all {
		forges[i] = forgeAmong(e, all)
	}
	return forges
}

// listJSON prints list --json.
func (env *environment) listJSON(entries []store.Listing, forges []forge.Forge) error {
	now := env.now()
	rows := make([]listedEntry, 0, len(entries))
	for i, e := range entries {
		row := listedEntry{
			Target: e.Location(), Host: e.Host, Path: e.Path, Kind: string(e.Kind),
			Token: e.Masked, Expired: e.Expired(now), Note: e.Note,
			AllowHTTP: e.AllowHTTP, Added: e.Added,
			Login: e.Login, Scopes: e.Scopes, APIURL: e.APIURL,
			Forge: forgeName(forges[i]),
		}
		if !e.Verified.IsZero() {
			row.Verified = &e.Verified
		}
		if !e.Refused.IsZero() {
			refused := credential.RefusedWhen(e.Entry)
			row.Refused = &refused
		}
		if e.HasUsername {
			row.Username = &e.Username
		}
		if days, ok := e.DaysLeft(now); ok {
			day := e.Expires.UTC().Format(time.DateOnly)
			row.Expires, row.DaysLeft = &day, &days
		}
		if !e.LastUsed.IsZero() {
			row.LastUsed = &e.LastUsed
		}
		rows = append(rows, row)
	}
	out, err := json.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.stdout, "%s\n", out)
	return err
}

// listTable prints list's table. Stored strings are escaped: one holding
// an ESC, from an older version or a hand edit, would drive the terminal.
func (env *environment) listTable(entries []store.Listing, forges []forge.Forge) error {
	now := env.now()
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TARGET\tUSERNAME\tKIND\tTOKEN\tEXPIRES\tDAYS LEFT\tFORGE\tNOTE")
	for i, e := range entries {
		user := "-"
		if e.HasUsername {
			user = credential.Escape(e.Username)
		}
		expires, left := e.Expires.Day(), "-"
		if days, ok := e.DaysLeft(now); ok {
			expires = e.Expires.UTC().Format(time.DateOnly)
			left = fmt.Sprint(days)
			if e.Expired(now) {
				left = "expired"
			}
		}
		note := credential.Escape(e.Note)
		if !e.Refused.IsZero() {
			// git is not given it: say so where the eye goes first.
			left = "refused"
			note = strings.TrimSuffix(credential.RefusedWhen(e.Entry)+"; rotate it; "+note, "; ")
		}
		forgeCell := "-"
		if forges[i] != nil {
			forgeCell = forges[i].Name()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", credential.Escape(e.Location()), user, credential.Escape(string(e.Kind)),
			credential.Escape(e.Masked), expires, left, forgeCell, note)
	}
	return tw.Flush()
}
