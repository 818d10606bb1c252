package github

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// UserURL is the endpoint that names a token's owner on host (host[:port],
// as a Target holds it): api.github.com for github.com, api.SUBDOMAIN.ghe.com
// for GitHub Enterprise Cloud with data residency, and /api/v3 on the host
// itself for GitHub Enterprise Server.
func UserURL(host string) string {
	switch {
	case host == "github.com":
		return "https://api.github.com/user"
	case strings.HasSuffix(host, ".ghe.com"):
		return "https://api." + host + "/user"
	default:
		return "https://" + host + "/api/v3/user"
	}
}

// UserURLOf is the user endpoint under an API base a person gave, such as
// https://ghe.example.com/api/v3.
func UserURLOf(base string) string {
	return strings.TrimRight(base, "/") + "/user"
}

// CheckBaseURL refuses an API base that is not a plain https URL: the token
// is sent there.
func CheckBaseURL(base string) error {
	u, err := url.Parse(base)
	switch {
	case err != nil:
		return fmt.Errorf("the API address %q is not a URL", base)
	case u.Scheme != "https":
		return errors.New("the API address must start with https://: the token is sent there")
	case u.Host == "":
		return fmt.Errorf("the API address %q names no host", base)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return errors.New("the API address must hold no user name, query or fragment; give it like https://HOST/api/v3")
	}
	return nil
}
