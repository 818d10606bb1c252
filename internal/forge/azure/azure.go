// Package azure is what git-credential-pat knows of Azure DevOps
// (dev.azure.com, and the older ORG.visualstudio.com): its personal access
// tokens, taken with any non-empty user name, and its
// ORG/PROJECT/_git/REPO paths.
package azure

import (
	"context"
	"fmt"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

// Forge is Azure DevOps as a forge.Forge.
type Forge struct{}

func init() { forge.Register(Forge{}) }

// KindPAT is the kind of every token stored for Azure DevOps.
const KindPAT credential.Kind = "pat"

func (Forge) Name() string  { return "azure" }
func (Forge) Title() string { return "Azure DevOps" }

func (Forge) IsHost(host string) bool {
	name := credential.HostName(host)
	return name == "dev.azure.com" || strings.HasSuffix(name, ".visualstudio.com") && len(name) > len(".visualstudio.com")
}

// OwnsToken is false: Azure DevOps documents no prefix.
func (Forge) OwnsToken(string) bool { return false }

func (Forge) KindOf(string) credential.Kind { return KindPAT }

// DefaultUsername is the organization, for a target under
// dev.azure.com/ORG: the clone addresses Azure DevOps shows are
// https://ORG@dev.azure.com/ORG/..., so git asks with the user name ORG,
// and only an entry stored under that name (or the helper's own) would
// answer. Any non-empty name works with a token; elsewhere "" leaves the
// helper's own.
func (Forge) DefaultUsername(t credential.Target, _ credential.Kind) string {
	if credential.HostName(t.Host) != "dev.azure.com" {
		return ""
	}
	org, _, _ := strings.Cut(t.Path, "/")
	return org
}

// CheckFormat judges no shape: the sources this helper is built from
// publish none for Azure DevOps tokens.
func (Forge) CheckFormat(string) error { return nil }

// UnknownShape judges no value, for the same reason.
func (Forge) UnknownShape(string, string) error { return nil }

// CheckPath refuses a path that goes on past the repository: after a
// "_git" segment comes exactly one, the repository's name.
func (Forge) CheckPath(path string) error {
	segments := strings.Split(path, "/")
	for i, seg := range segments {
		if seg == "_git" && i != len(segments)-2 {
			return fmt.Errorf("has %d segments after _git, and Azure DevOps has one there, the repository: give HOST/ORG/PROJECT/_git/REPO", len(segments)-1-i)
		}
	}
	return nil
}

// Verify does not ask: the API that describes a token needs the
// organization and a scope a token made for git need not have.
func (Forge) Verify(context.Context, *forge.Client, string, string, string) (forge.Identity, error) {
	return forge.Identity{}, fmt.Errorf("%w: Azure DevOps describes a token only to one with more than git's scopes; give its expiry with --expires (Azure DevOps e-mails 7 days before it)", forge.ErrNoAPI)
}

// NewTokenURL has no address to give: the token page takes no pre-filled
// fields this helper knows of.
func (Forge) NewTokenURL(string, forge.NewToken) (string, error) {
	return "", fmt.Errorf("%w: create one under User settings, Personal access tokens, in your organization, then store it with git-credential-pat add", forge.ErrNoTokenPage)
}

// ToolEnv hands token to the Azure CLI's DevOps extension (az devops, az
// repos, az pipelines), which reads a personal access token from
// AZURE_DEVOPS_EXT_PAT.
func (Forge) ToolEnv(_, token string) []forge.EnvVar {
	return []forge.EnvVar{{Name: "AZURE_DEVOPS_EXT_PAT", Value: token}}
}
