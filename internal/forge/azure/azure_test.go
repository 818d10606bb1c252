package azure

import (
	"context"
	"errors"
	"testing"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

func TestKindShapeUsername(t *testing.T) {
	f := Forge{}
	if got := f.KindOf("anytoken"); got != KindPAT {
		t.Errorf("KindOf = %q", got)
	}
	if err := f.CheckFormat("anytoken"); err != nil {
		t.Errorf("CheckFormat = %v; no shape is published", err)
	}
	for _, tc := range []struct {
		target credential.Target
		want   string
	}{
		// The clone address Azure DevOps shows is https://ORG@dev.azure.com/ORG/...
		{credential.Target{Host: "dev.azure.com", Path: "contoso/web/_git/site"}, "contoso"},
		{credential.Target{Host: "dev.azure.com", Path: "contoso"}, "contoso"},
		{credential.Target{Host: "dev.azure.com"}, ""},
		{credential.Target{Host: "contoso.visualstudio.com", Path: "web"}, ""},
	} {
		if got := f.DefaultUsername(tc.target, KindPAT); got != tc.want {
			t.Errorf("DefaultUsername(%v) = %q, want %q", tc.target, got, tc.want)
		}
	}
}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{
		"":                           true,
		"contoso":                    true,
		"contoso/web":                true,
		"contoso/web/_git/site":      true,
		"contoso/web/_git/site/more": false,
		"contoso/web/_git":           false,
	} {
		if err := (Forge{}).CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", path, err, ok)
		}
	}
}

func TestNoAPINoPage(t *testing.T) {
	if _, err := (Forge{}).Verify(context.Background(), nil, "dev.azure.com", "", "x"); !errors.Is(err, forge.ErrNoAPI) {
		t.Errorf("Verify = %v, want ErrNoAPI", err)
	}
	if _, err := (Forge{}).NewTokenURL("dev.azure.com", forge.NewToken{}); !errors.Is(err, forge.ErrNoTokenPage) {
		t.Errorf("NewTokenURL = %v, want ErrNoTokenPage", err)
	}
}
