package credential

import "strings"

// NewCommand is the command that creates a token to replace e's and stores
// it: git-credential-pat new TARGET. A token whose scopes are known (verify
// records a classic token's) is asked for again with the same scopes.
func NewCommand(e Entry) string {
	cmd := "git-credential-pat new " + e.Target.String()
	var extra []string
	for _, s := range e.Scopes {
		// repo is asked for anyway; what the host said is kept out of the
		// command unless it is shaped like a scope.
		if s != "repo" && s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyz_:") == "" {
			extra = append(extra, s)
		}
	}
	if len(e.Scopes) > 0 && e.Path != "" {
		cmd += " --classic" // only classic tokens have scopes; new HOST/OWNER would make a fine-grained one
	}
	if len(extra) > 0 {
		cmd += " --scope " + strings.Join(extra, ",")
	}
	return cmd
}

// ReplaceAdvice and RenewAdvice are what every command says of an expired
// token and of one expiring soon: get's warnings, check and doctor alike.
func ReplaceAdvice(e Entry) string { return "replace it with: " + NewCommand(e) }

// RenewAdvice: see ReplaceAdvice.
func RenewAdvice(e Entry) string { return "renew it with: " + NewCommand(e) }
