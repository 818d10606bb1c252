package pass

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Probe proves that the store's key encrypts and decrypts here and now,
// writing nothing to the store: before tokens move in, an empty folder
// has no entry whose reading would prove it. It has gpg encrypt a few
// random bytes to the recipients pass would use for our folder and decrypt
// them, with pass's gpg and options (PASSWORD_STORE_GPG_OPTS), under the
// timeout: a locked key is unlocked by gpg-agent's pinentry, as for pass.
func (s *Store) Probe() error {
	ids, err := s.recipients()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
	defer cancel()
	gpg, opts := s.gpg()
	plain := []byte(rand.Text())
	args := []string{"-e"}
	for _, id := range ids {
		args = append(args, "-r", id)
	}
	sealed, err := s.runIn(ctx, gpg, plain, append(append(args, "-o", "-"), opts...)...)
	if err != nil {
		return err
	}
	opened, err := s.runIn(ctx, gpg, sealed, append([]string{"-d"}, opts...)...)
	if err != nil {
		return err
	}
	if !bytes.Equal(opened, plain) {
		return fmt.Errorf("%w: gpg decrypted what it encrypted to something else", ErrKeyUnavailable)
	}
	return nil
}

// recipients are the lines of the .gpg-id nearest our folder, as pass
// reads them.
func (s *Store) recipients() ([]string, error) {
	dir := s.Folder()
	for {
		f, err := os.Open(filepath.Join(dir, ".gpg-id"))
		if err == nil {
			defer f.Close()
			var ids []string
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				id, _, _ := strings.Cut(sc.Text(), "#")
				if id = strings.TrimSpace(id); id != "" {
					ids = append(ids, id)
				}
			}
			if err := sc.Err(); err != nil || len(ids) == 0 {
				return nil, fmt.Errorf("%s names no key: run: pass init YOUR-GPG-KEY-ID", f.Name())
			}
			return ids, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("cannot read the password store's key list: %w", err)
		}
		if dir == s.dir || filepath.Dir(dir) == dir {
			return nil, fmt.Errorf("the password store %s is not set up (it has no .gpg-id): run: pass init YOUR-GPG-KEY-ID", s.dir)
		}
		dir = filepath.Dir(dir)
	}
}

// gpg is the program and options pass 1.7 runs gpg with: gpg2 when
// installed, else gpg; PASSWORD_STORE_GPG_OPTS split on white space, and
// --batch --use-agent with gpg2 or a GPG_AGENT_INFO.
func (s *Store) gpg() (string, []string) {
	getenv := func(key string) string {
		v := ""
		for _, kv := range s.opts.Env {
			if val, ok := strings.CutPrefix(kv, key+"="); ok {
				v = val
			}
		}
		return v
	}
	gpg := "gpg"
	if _, err := exec.LookPath("gpg2"); err == nil {
		gpg = "gpg2"
	}
	opts := append(strings.Fields(getenv("PASSWORD_STORE_GPG_OPTS")), "--quiet", "--yes", "--compress-algo=none", "--no-encrypt-to")
	if getenv("GPG_AGENT_INFO") != "" || gpg == "gpg2" {
		opts = append(opts, "--batch", "--use-agent")
	}
	return gpg, opts
}
