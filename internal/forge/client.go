package forge

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// Client asks forges' APIs about tokens.
type Client struct {
	// HTTP sends the requests; its Timeout bounds each one, and its
	// Transport trusts and proxies as the caller says (git's settings).
	// Redirects are never followed, so the token goes only where it was
	// sent.
	HTTP *http.Client
	// UserAgent names the program.
	UserAgent string
}

// NewClient returns a Client whose requests give up after timeout.
func NewClient(timeout time.Duration, userAgent string) *Client {
	return &Client{
		HTTP: &http.Client{
			Timeout: timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		UserAgent: userAgent,
	}
}

// maxBody bounds what is read of an answer: these are a few kilobytes.
const maxBody = 1 << 20

// HTTPError is an answer other than 200 (and 401, which is ErrUnauthorized).
type HTTPError struct {
	URL     string
	Status  int
	Message string // the API's own message, on one printable line; may be ""
}

func (e *HTTPError) Error() string {
	msg := ""
	if e.Message != "" {
		msg = ": " + e.Message
	}
	return fmt.Sprintf("%s answered HTTP %d%s", e.URL, e.Status, msg)
}

// GetJSON sends GET url with header and decodes a 200 answer's JSON body
// into into. A 401 gives an error wrapping ErrUnauthorized with the API's
// message; a redirect, one saying where to (the API address is wrong); any
// other status an *HTTPError. Errors never hold the request's headers.
func (c *Client) GetJSON(ctx context.Context, url string, header http.Header, into any) (http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot ask %s: %w", url, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the API: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("cannot read the answer of %s: %w", url, err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		if msg := APIMessage(body); msg != "" {
			return nil, fmt.Errorf("%w, saying %q", ErrUnauthorized, msg)
		}
		return nil, ErrUnauthorized
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return nil, fmt.Errorf("%s redirects to %s (HTTP %d); give the API address with --api-url", url, resp.Header.Get("Location"), resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return nil, &HTTPError{URL: url, Status: resp.StatusCode, Message: APIMessage(body)}
	}
	if err := json.Unmarshal(body, into); err != nil {
		return nil, fmt.Errorf("%s answered, but not with the JSON its API sends: %w", url, err)
	}
	return resp.Header, nil
}

// APIMessage is the message of an API's error answer, from the fields
// forges use ({"message": ...}, {"error_description": ...}, {"error": ...}),
// on one short line of printable text; "" when there is none.
func APIMessage(body []byte) string {
	var answer struct {
		Message          any    `json:"message"` // GitLab sends a string or an object
		ErrorDescription string `json:"error_description"`
		Error            any    `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return ""
	}
	var msg string
	switch {
	case answer.ErrorDescription != "":
		msg = answer.ErrorDescription
	case answer.Message != nil:
		msg = flatten(answer.Message)
	case answer.Error != nil:
		msg = flatten(answer.Error)
	}
	msg = strings.TrimSpace(strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, msg))
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	return msg
}

func flatten(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// IsUnauthorized reports whether err says the API refused the token.
func IsUnauthorized(err error) bool { return errors.Is(err, ErrUnauthorized) }
