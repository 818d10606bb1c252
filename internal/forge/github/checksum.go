package github

import "hash/crc32"

// GitHub's 40-character tokens (ghp_, gho_, ghu_, ghs_, ghr_) end in a
// checksum of what comes before it, so a mistyped or truncated token can be
// told apart from a real one without asking GitHub. The token is the 4-char
// prefix, 30 random base62 characters, then 6 checksum characters: the
// CRC-32 (IEEE polynomial, as hash/crc32.ChecksumIEEE) of the 30 random
// characters alone (the prefix is not covered), written in base62 with the
// alphabet 0-9, A-Z, a-z, most significant digit first, left-padded with
// "0" to six characters.
//
// GitHub's announcement ("Behind GitHub's new authentication token formats",
// github.blog, 2021-04-05) names a CRC32 checksum but not its encoding. The
// rule above was confirmed by recomputing independently published example
// tokens: the four in DataDog/dd-sensitive-data-scanner's
// sds/src/secondary_validation/github_token_checksum.rs tests (for example
// 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), one in Nosey Parker's GitHub
// rule examples (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, whose checksum
// needs the zero padding), and the same computation in Samsung/CredSweeper
// (credsweeper/filters/value_github_check.py) and
// therootcompany/base62-token.js. Each matches only with this alphabet order
// and padding; the test table carries these tokens.

// base62Alphabet is the digit order GitHub's checksums use.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// checksumLength is how many characters the checksum takes: 62^6 > 2^32.
const checksumLength = 6

// Checksum is the six-character checksum GitHub appends to random, the
// characters between a token's prefix and its checksum.
func Checksum(random string) string {
	n := crc32.ChecksumIEEE([]byte(random))
	var out [checksumLength]byte
	for i := checksumLength - 1; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return string(out[:])
}
