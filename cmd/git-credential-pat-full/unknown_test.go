package main

import (
	"slices"
	"strings"
	"testing"
)

func TestClosestCommands(t *testing.T) {
	for action, want := range map[string][]string{
		"chek":       {"check"},
		"lsit":       {"list"},
		"LIST":       {"list"},
		"rmove":      {"remove"},
		"dcotor":     {"doctor"},
		"gte":        {"get"},
		"capability": nil, // an action git may add: no typo of ours
		"x":          nil,
		"frobnicate": nil,
	} {
		if got := closestCommands(action); !slices.Equal(got, want) {
			t.Errorf("closestCommands(%q) = %q, want %q", action, got, want)
		}
	}
}

func TestHoldsRequest(t *testing.T) {
	for in, want := range map[string]bool{
		"":                                    false,
		"\n":                                  false,
		"\n\nprotocol=https\n":                false,
		"not a request\n":                     false,
		"protocol=https\nhost=github.com\n\n": true,
		"capability[]=authtype\n":             true,
	} {
		if got := holdsRequest(strings.NewReader(in)); got != want {
			t.Errorf("holdsRequest(%q) = %v, want %v", in, got, want)
		}
	}
}
