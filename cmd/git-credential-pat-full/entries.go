package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/git-credential-pat/git-credential-pat/credential"
	"github.com/git-credential-pat/git-credential-pat/store"
)

// listings opens the store and lists its entries without their tokens
// (no secret read where the backend keeps them apart), sorted by target:
// what list, check, remove and doctor show.
func (env *environment) listings() (store.Store, []store.Listing, error) {
	tokens, err := env.tokens()
	if err != nil {
		return nil, nil, err
	}
	listed, err := store.ListMasked(tokens)
	if err != nil {
		return nil, nil, err
	}
	sortListings(listed)
	return tokens, listed, nil
}

// storedEntry opens the store and returns the one entry target selects
// (see selectOne), for the commands that change an entry in place.
func (env *environment) storedEntry(target credential.Target, missing error) (store.Store, credential.Entry, error) {
	tokens, err := env.tokens()
	if err != nil {
		return nil, credential.Entry{}, err
	}
	entries, err := tokens.List()
	if err != nil {
		return nil, credential.Entry{}, err
	}
	stored := make([]credential.Target, len(entries))
	for i, e := range entries {
		stored[i] = e.Target
	}
	i, err := selectOne(target, stored, missing)
	if err != nil {
		return nil, credential.Entry{}, err
	}
	// Get reads the entry whole: a list from the cache withholds an
	// expired token, which an edit must write back.
	e, err := tokens.Get(entries[i].Target)
	return tokens, e, err
}

// selectOne returns the index of the one stored target that target
// selects: missing when there is none, a usage error naming them when
// there are several.
func selectOne(target credential.Target, stored []credential.Target, missing error) (int, error) {
	var hits []int
	for i, t := range stored {
		if target.Selects(t) {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 0:
		return -1, missing
	case 1:
		return hits[0], nil
	}
	names := make([]string, len(hits))
	for j, i := range hits {
		names[j] = stored[i].String()
	}
	return -1, usagef("%d tokens are stored for %s (%s); say which with --username", len(hits), target.Location(), strings.Join(names, ", "))
}

// countTokens says "1 token" or "N tokens".
func countTokens(n int) string {
	if n == 1 {
		return "1 token"
	}
	return fmt.Sprintf("%d tokens", n)
}

func sortListings(entries []store.Listing) {
	slices.SortStableFunc(entries, func(a, b store.Listing) int {
		return strings.Compare(a.Target.String(), b.Target.String())
	})
}
