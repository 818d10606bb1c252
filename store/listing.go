package store

import "github.com/git-credential-pat/git-credential-pat/credential"

// Listing is an entry as people see it: Token is empty and Masked shows it.
type Listing struct {
	credential.Entry
	Masked string
}

// MaskedLister is implemented by backends that can list their entries
// without reading a single secret.
type MaskedLister interface {
	ListMasked() ([]Listing, error)
}

// ListMasked returns every entry of s with its token masked, reading no
// secret when s keeps its metadata apart (the keyring).
func ListMasked(s Store) ([]Listing, error) {
	if m, ok := s.(MaskedLister); ok {
		return m.ListMasked()
	}
	entries, err := s.List()
	if err != nil {
		return nil, err
	}
	return Masked(entries), nil
}

// Masked turns entries into listings, their secrets masked and dropped.
func Masked(entries []credential.Entry) []Listing {
	out := make([]Listing, 0, len(entries))
	for _, e := range entries {
		m := credential.Masked(e.Token)
		e.Token, e.OAuthRefreshToken = "", ""
		out = append(out, Listing{Entry: e, Masked: m})
	}
	return out
}
