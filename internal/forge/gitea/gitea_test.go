package gitea

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/internal/forge"
)

const token = "0123456789abcdef0123456789abcdef01234567"

func TestKindsShapesUsernames(t *testing.T) {
	f := Forge{}
	for tok, want := range map[string]credential.Kind{token: KindToken, "0123": forge.KindOther, strings.ToUpper(token): forge.KindOther} {
		if got := f.KindOf(tok); got != want {
			t.Errorf("KindOf(%q) = %q, want %q", tok, got, want)
		}
	}
	for _, tc := range []struct{ token, want string }{
		{token, ""},
		{"a password", ""},
		{token[:39], "39 hexadecimal characters"},
		{token + token, "80 hexadecimal characters"},
		{"0123456789abcdef0123456789abcdef0123456G", "a-f only"},
	} {
		err := f.CheckFormat(tc.token)
		if (err == nil) != (tc.want == "") || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckFormat(%q) = %v, want %q", tc.token, err, tc.want)
		}
	}
	if got := f.DefaultUsername(credential.Target{Host: "codeberg.org"}, KindToken); got != "" {
		t.Errorf("DefaultUsername = %q, want none (Gitea does not check it)", got)
	}
	if f.OwnsToken(token) {
		t.Error("OwnsToken claims a bare hexadecimal token")
	}
}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{"": true, "alice": true, "alice/dots.git-x": true, "org/sub/repo": false, "alice/ré": false} {
		if err := (Forge{}).CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", path, err, ok)
		}
	}
}

func TestNoTokenPage(t *testing.T) {
	_, err := (Forge{}).NewTokenURL("codeberg.org", forge.NewToken{})
	if !errors.Is(err, forge.ErrNoTokenPage) || !strings.Contains(err.Error(), "https://codeberg.org/user/settings/applications") {
		t.Errorf("NewTokenURL error = %v", err)
	}
}

// TestVerify asks a server answering as Gitea's GET /api/v1/user does,
// with "Authorization: token ...".
func TestVerify(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/user" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "token "+token {
			w.WriteHeader(401)
			w.Write([]byte(`{"message":"user does not exist [uid: 0, name: ]","url":"https://gitea.example/api/swagger"}`))
			return
		}
		w.Write([]byte(`{"id":3,"login":"alice","full_name":"Alice","email":"alice@example.com"}`))
	}))
	defer srv.Close()
	c := forge.NewClient(5*time.Second, "git-credential-pat/test")
	c.HTTP.Transport = srv.Client().Transport
	host := strings.TrimPrefix(srv.URL, "https://")
	id, err := (Forge{}).Verify(context.Background(), c, host, "", token)
	if err != nil || id.Login != "alice" || id.Scopes != nil || !id.Expires.IsZero() {
		t.Errorf("Verify = %+v, %v", id, err)
	}
	_, err = (Forge{}).Verify(context.Background(), c, host, "", strings.Repeat("f", 40))
	if !errors.Is(err, forge.ErrUnauthorized) {
		t.Errorf("Verify of an unknown token = %v, want ErrUnauthorized", err)
	}
	_, err = (Forge{}).Verify(context.Background(), c, host, srv.URL+"/elsewhere", token)
	if err == nil || !strings.Contains(err.Error(), "--api-url") {
		t.Errorf("Verify against no API = %v", err)
	}
}
