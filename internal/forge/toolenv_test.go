package forge_test

import (
	"strings"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// TestToolEnv pins the variables each forge's tools are handed, as the
// README lists them: names and values, the token only where a token goes.
func TestToolEnv(t *testing.T) {
	const tok = "TOKEN"
	for _, c := range []struct{ forge, host, want string }{
		{"github", "github.com", "GH_HOST=github.com GH_TOKEN=TOKEN GITHUB_TOKEN=TOKEN"},
		{"github", "ghes.example:8443", "GH_HOST=ghes.example:8443 GH_ENTERPRISE_TOKEN=TOKEN GITHUB_ENTERPRISE_TOKEN=TOKEN GITHUB_TOKEN=TOKEN"},
		{"github", "octocorp.ghe.com", "GH_HOST=octocorp.ghe.com GH_ENTERPRISE_TOKEN=TOKEN GITHUB_ENTERPRISE_TOKEN=TOKEN GH_TOKEN=TOKEN GITHUB_TOKEN=TOKEN"},
		{"gitlab", "gitlab.com", "GITLAB_HOST=https://gitlab.com GITLAB_TOKEN=TOKEN"},
		{"gitlab", "git.example", "GITLAB_HOST=https://git.example GITLAB_TOKEN=TOKEN"},
		{"gitea", "codeberg.org", "GITEA_TOKEN=TOKEN GITEA_SERVER_URL=https://codeberg.org GITEA_SERVER_TOKEN=TOKEN"},
		{"azure", "dev.azure.com", "AZURE_DEVOPS_EXT_PAT=TOKEN"},
		{"bitbucket", "bitbucket.org", ""},
	} {
		var got []string
		for _, v := range forge.ByName(c.forge).ToolEnv(c.host, tok) {
			got = append(got, v.Name+"="+v.Value)
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("%s ToolEnv(%q) = %s; want %s", c.forge, c.host, s, c.want)
		}
	}
}
