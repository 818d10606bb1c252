package main

import (
	"errors"
	"os"
	"slices"
	"testing"
)

func TestBrowserCommand(t *testing.T) {
	const address = "https://github.com/settings/tokens/new?scopes=repo"
	installed := func(names ...string) func(string) (string, error) {
		return func(name string) (string, error) {
			if slices.Contains(names, name) {
				return "/usr/bin/" + name, nil
			}
			return "", errors.New("not found")
		}
	}
	for _, tc := range []struct {
		name   string
		goos   string
		env    map[string]string
		path   func(string) (string, error)
		want   []string
		reason string
	}{
		{"BROWSER, even without a display", "linux", map[string]string{"BROWSER": "w3m"}, installed("w3m", "xdg-open"), []string{"/usr/bin/w3m", address}, ""},
		{"the first BROWSER found", "linux", map[string]string{"BROWSER": "firefox" + string(os.PathListSeparator) + "chromium", "DISPLAY": ":0"}, installed("chromium"), []string{"/usr/bin/chromium", address}, ""},
		{"no BROWSER found", "linux", map[string]string{"BROWSER": "firefox", "DISPLAY": ":0"}, installed("xdg-open"), nil, "no program BROWSER names (firefox) was found"},
		{"X11", "linux", map[string]string{"DISPLAY": ":0"}, installed("xdg-open"), []string{"/usr/bin/xdg-open", address}, ""},
		{"Wayland", "freebsd", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, installed("xdg-open"), []string{"/usr/bin/xdg-open", address}, ""},
		{"no display", "linux", nil, installed("xdg-open"), nil, "this machine has no display"},
		{"no xdg-open", "linux", map[string]string{"DISPLAY": ":0"}, installed(), nil, "xdg-open is not installed"},
		{"macOS", "darwin", nil, installed(), []string{"open", address}, ""},
		{"Windows", "windows", nil, installed(), []string{"rundll32", "url.dll,FileProtocolHandler", address}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := browserCommand(address, tc.goos, func(k string) string { return tc.env[k] }, tc.path)
			if !slices.Equal(got, tc.want) || reason != tc.reason {
				t.Errorf("browserCommand = %q, %q; want %q, %q", got, reason, tc.want, tc.reason)
			}
		})
	}
}
