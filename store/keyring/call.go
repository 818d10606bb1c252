package keyring

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// DefaultTimeout bounds every keyring call: a locked keyring that
// wants a password dialog must not hang git.
const DefaultTimeout = 3 * time.Second

// TimeoutEnv overrides DefaultTimeout: a Go duration (10s,
// 500ms) or a number of seconds.
const TimeoutEnv = "GIT_CREDENTIAL_PAT_KEYRING_TIMEOUT"

// Errors a caller may want to tell apart.
var (
	// ErrKeyringTimeout: a keyring call did not return in time.
	ErrKeyringTimeout = errors.New("the OS keyring did not answer in time")
	// ErrKeyringUnavailable: there is no keyring to ask.
	ErrKeyringUnavailable = errors.New("the OS keyring cannot be reached")
	// ErrKeyringLocked: the keyring is there but locked.
	ErrKeyringLocked = errors.New("the OS keyring is locked")
)

// errItemNotFound is the keyring's "no such item".
var errItemNotFound = gokeyring.ErrNotFound

// TimeoutFromEnv reads TimeoutEnv; 0 means the default.
func TimeoutFromEnv() (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(TimeoutEnv))
	if v == "" {
		return 0, nil
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs > 0 {
		return time.Duration(secs * float64(time.Second)), nil
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%s=%q is not a timeout: give seconds (5) or a duration (5s, 1500ms)", TimeoutEnv, v)
}

// secretStore is the part of the OS keyring Keyring uses. Tests of the
// code above it may replace it; the keyring tests use the real one.
type secretStore interface {
	Set(service, account, secret string) error
	Get(service, account string) (string, error)
	Delete(service, account string) error
	// Services lists the services of account's items that start with
	// keyringServicePrefix; searched is false where the keyring cannot
	// search, and the list then empty.
	Services(account string) (services []string, searched bool, err error)
}

// osKeyring is the OS keyring through go-keyring, every call bounded by
// timeout and made only when the keyring can be reached without starting
// anything (see keyringReachable).
type osKeyring struct{ timeout time.Duration }

func (o osKeyring) Set(service, account, secret string) error {
	_, err := o.call("save a token in", func() (string, error) {
		return "", gokeyring.Set(service, account, secret)
	})
	return err
}

func (o osKeyring) Get(service, account string) (string, error) {
	return o.call("read a token from", func() (string, error) {
		return gokeyring.Get(service, account)
	})
}

func (o osKeyring) Delete(service, account string) error {
	_, err := o.call("delete a token from", func() (string, error) {
		return "", gokeyring.Delete(service, account)
	})
	return err
}

func (o osKeyring) Services(account string) ([]string, bool, error) {
	if !canSearch {
		return nil, false, nil
	}
	if err := keyringReachable(); err != nil {
		return nil, false, err
	}
	services, err := withTimeout(o.timeout, func() ([]string, error) { return searchServices(account) })
	if err != nil && !errors.Is(err, ErrKeyringTimeout) {
		return nil, false, fmt.Errorf("could not search %s: %w", keyringSystemName, keyringError(err))
	}
	return services, err == nil, err
}

// call runs f only when the keyring can be reached, and gives up after the
// timeout.
func (o osKeyring) call(doing string, f func() (string, error)) (string, error) {
	if err := keyringReachable(); err != nil {
		return "", err
	}
	v, err := withTimeout(o.timeout, f)
	if err != nil && !errors.Is(err, gokeyring.ErrNotFound) && !errors.Is(err, ErrKeyringTimeout) {
		return "", fmt.Errorf("could not %s %s: %w", doing, keyringSystemName, keyringError(err))
	}
	return v, err
}

// withTimeout runs f in a goroutine and gives up after d. A call given up
// on may still finish later; the process is about to exit by then, and
// what it returns is dropped.
func withTimeout[T any](d time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		value T
		err   error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.value, r.err
	case <-timer.C:
		var zero T
		return zero, timeoutError(d)
	}
}

func timeoutError(d time.Duration) error {
	return fmt.Errorf("%w: %s gave no answer within %s; it is probably locked and waiting for a password dialog: unlock it (log in to the desktop, or open its password manager), "+
		"or give it longer with %s=10s, or use the encrypted vault with --backend=file (GIT_CREDENTIAL_PAT_BACKEND=file)",
		ErrKeyringTimeout, keyringSystemName, d, TimeoutEnv)
}

// keyringError turns what the keyring library reports into something a
// person can act on, keeping the original for errors.Is.
func keyringError(err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "failed to unlock"), strings.Contains(msg, "IsLocked"):
		return fmt.Errorf("%w (%v): unlock it, or use the encrypted vault with --backend=file", ErrKeyringLocked, err)
	case strings.Contains(msg, "ServiceUnknown"), strings.Contains(msg, "org.freedesktop.secrets"):
		return fmt.Errorf("%w (%v): start a Secret Service such as gnome-keyring-daemon, or use the encrypted vault with --backend=file", ErrKeyringUnavailable, err)
	}
	return err
}

// unusableError is why the keyring cannot be used: the whole message,
// which offers the vault as a way out, and what is wrong alone, for
// NotUsable, which must not offer it.
type unusableError struct {
	kind   error
	reason string
	msg    string
}

func (e *unusableError) Error() string { return e.msg }
func (e *unusableError) Unwrap() error { return e.kind }

// Reason is what Probe found, without advice: why the keyring cannot be
// used, for a line that says it is not in use.
func Reason(probe error) string {
	var u *unusableError
	if errors.As(probe, &u) {
		return u.reason
	}
	return probe.Error()
}

// NotUsable is the message for a keyring that is in force but that Probe
// found unusable (probe): where the tokens are (tokens, as its index
// counts them) and how to unlock or reach the keyring. It never offers
// another store: a token written there meanwhile would be stranded once the
// keyring is back.
func NotUsable(tokens int, probe error) *NotUsableError {
	system := strings.TrimPrefix(keyringSystemName, "the ")
	var where string
	switch tokens {
	case 0:
		where = "the OS keyring (" + system + "), where git-credential-pat keeps tokens,"
	case 1:
		where = "your 1 token is in the OS keyring (" + system + "), which"
	default:
		where = fmt.Sprintf("your %d tokens are in the OS keyring (%s), which", tokens, system)
	}
	e := &NotUsableError{Probe: probe}
	var u *unusableError
	switch {
	case errors.Is(probe, ErrKeyringLocked):
		e.What, e.Locked = where+" is locked", true
	case errors.Is(probe, ErrKeyringTimeout):
		e.What, e.Locked = where+" gave no answer in time and is probably locked", true
	case errors.As(probe, &u):
		e.What, e.Advice = fmt.Sprintf("%s cannot be reached here (%s)", where, u.reason), reachStep
	default:
		e.What = fmt.Sprintf("%s cannot be used: %v", where, probe)
	}
	if e.Locked {
		e.Advice = "unlock it: " + strings.Join(UnlockSteps(), "; or ")
	}
	return e
}

// NotUsableError says that the keyring in force cannot be used, and what
// to do; it wraps what Probe found.
type NotUsableError struct {
	What   string // where the tokens are, and what is wrong
	Advice string // what to do; for a locked keyring, UnlockSteps
	Locked bool
	Probe  error
}

func (e *NotUsableError) Error() string {
	if e.Advice == "" {
		return e.What
	}
	return e.What + ": " + e.Advice
}

func (e *NotUsableError) Unwrap() error { return e.Probe }

// Probe reports whether the OS keyring answers within timeout and is
// unlocked, without ever showing a dialog: nil when tokens can be stored
// there now, else an error saying why not.
func Probe(timeout time.Duration) error {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if err := keyringReachable(); err != nil {
		return err
	}
	_, err := withTimeout(timeout, func() (struct{}, error) { return struct{}{}, probeKeyring() })
	return err
}
