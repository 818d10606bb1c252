# git-credential-pat: build, install, test, lint, bench.

GO       ?= go
BINARY   := git-credential-pat
FULL     := git-credential-pat-full
DAEMON   := git-credential-pat-daemon
PREFIX   ?= $(shell $(GO) env GOPATH)
BINDIR   ?= $(PREFIX)/bin
# man and git help find the man page here for $(BINDIR) on PATH.
MANDIR   ?= $(PREFIX)/share/man
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

# A static binary starts faster than a cgo-linked one and runs on every git
# operation.
export CGO_ENABLED := 0

# The Go toolchain everything is built, tested and linted with. go1.27.3
# carries the standard library's fixes for vulnerabilities that govulncheck
# finds reachable under go1.26.8 (net/http, crypto/tls, crypto/x509, which
# verify uses); the go command fetches it from the module proxy once. A
# GOTOOLCHAIN set in the environment wins (GOTOOLCHAIN=local: the Go at hand).
export GOTOOLCHAIN ?= go1.27.3

# One identity for the three programs of one build: a hash of the sources
# and the Go that builds them. A cache daemon answers only programs of its
# own build, so one left running by the previous build stops at the first
# request of the next (see store/cache/relay/relay.go).
ifeq ($(origin BUILD_ID),undefined)
BUILD_ID := $(shell { GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) env GOVERSION; find . -path ./bench -prune -o -path ./.tools -prune -o \( -name '*.go' -o -name go.mod -o -name go.sum \) -type f -print | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16)
endif
BUILDFLAG := -X github.com/git-credential-pat/git-credential-pat/store/cache/relay.build=$(BUILD_ID)
LDFLAGS   := -s -w $(BUILDFLAG) -X main.version=$(VERSION)

.PHONY: build install uninstall test fuzz lint lint-tools bench clean

# Three programs, installed side by side: git-credential-pat, the small
# front git starts on every fetch and push, which answers from the cache
# daemon; git-credential-pat-full, which it hands everything else to; and
# git-credential-pat-daemon, the cache daemon.
build:
	$(GO) build -trimpath -ldflags '-s -w $(BUILDFLAG)' -o $(BINARY) .
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(FULL) ./cmd/$(FULL)
	$(GO) build -trimpath -ldflags '-s -w $(BUILDFLAG)' -o $(DAEMON) ./cmd/$(DAEMON)

# Installs the binary and, when git has no credential helper yet, makes it
# git's helper. An existing helper is never overwritten. git-credential-store
# among the helpers (cleared by no empty value after it) is warned about
# once: it would copy every token git uses into a plaintext file.
# git is told the helper by its path: with credential.helper=pat, git starts
# another git process to find git-credential-pat on PATH, which costs every
# fetch and push a few milliseconds (see BENCHMARKS.md). "pat" works too.
install: build
	install -d '$(BINDIR)'
	install -m 0755 $(FULL) '$(BINDIR)/$(FULL)'
	install -m 0755 $(DAEMON) '$(BINDIR)/$(DAEMON)'
	install -m 0755 $(BINARY) '$(BINDIR)/$(BINARY)'
	install -d '$(MANDIR)/man1'
	install -m 0644 doc/$(BINARY).1 '$(MANDIR)/man1/$(BINARY).1'
	@# A daemon of the previous build would stop at its first request of
	@# this one anyway; stopped now, it holds no token a moment longer.
	@if '$(BINDIR)/$(BINARY)' cache exit 2>/dev/null | grep -q stopped; then \
		echo "Stopped the running cache daemon; the next git operation starts this build's."; \
	fi
	@helper='$(BINDIR)/$(BINARY)'; \
	case ":$$PATH:" in \
	*":$(BINDIR):"*|*":$(BINDIR)/:"*) where="first on your PATH";; \
	*) where="on your PATH";; \
	esac; \
	if [ "$$(command -v $(BINARY))" != "$$helper" ]; then \
		echo "note: $(BINDIR) is not $$where."; \
		echo "      To type git-credential-pat commands, run: export PATH=\"$(BINDIR):\$$PATH\""; \
	fi; \
	current=$$(git config --global --get-all credential.helper || true); \
	if [ -z "$$current" ]; then \
		git config --global credential.helper "$$helper"; \
		echo "git now asks git-credential-pat for HTTPS credentials (credential.helper = $$helper)."; \
	elif [ "$$current" = "$$helper" ]; then \
		echo "git-credential-pat is already git's credential helper."; \
	elif [ "$$current" = pat ]; then \
		echo "git-credential-pat is already git's credential helper (as \"pat\"). Naming it by its path saves git a process per operation:"; \
		echo "  git config --global --replace-all credential.helper $$helper"; \
	else \
		echo "git already uses another credential helper, left as it is:"; \
		echo "$$current" | sed 's/^/  /'; \
		echo "To use git-credential-pat instead, run:"; \
		echo "  git config --global --replace-all credential.helper $$helper"; \
	fi; \
	plain=$$(git config --get-regexp '^credential\..*helper$$' 2>/dev/null | \
		awk '$$1 == "credential.helper" && NF == 1 { n = 0; next } { l[n++] = $$0 } END { for (i = 0; i < n; i++) print l[i] }' | \
		grep -E '^[^ ]+ (store|([^ ]*[/\\])?git-credential-store(\.exe)?)( |$$)' || true); \
	if [ -n "$$plain" ]; then \
		echo "warning: git-credential-store is among git's credential helpers; git hands it every credential that works, so it"; \
		echo "         writes your tokens unencrypted to ~/.git-credentials:"; \
		echo "$$plain" | sed 's/^/  /'; \
		echo "         git-credential-pat doctor names the file that sets it and the command that removes it."; \
	fi

# Removes what install put in place: the three programs and the man page
# under the same PREFIX, and git's credential.helper where it names them
# (by path, or as "pat" when that finds these programs), after stopping a
# running cache daemon, which wipes what it holds. Your tokens stay where
# they are stored; the README's "Leaving" section says what stays and how
# to remove each part.
uninstall:
	@helper='$(BINDIR)/$(BINARY)'; \
	if [ -x "$$helper" ] && "$$helper" cache exit 2>/dev/null | grep -q stopped; then \
		echo "Stopped the cache daemon; it wiped what it held."; \
	fi; \
	found=$$(command -v $(BINARY) || true); \
	for f in '$(BINDIR)/$(BINARY)' '$(BINDIR)/$(FULL)' '$(BINDIR)/$(DAEMON)' '$(MANDIR)/man1/$(BINARY).1'; do \
		if [ -e "$$f" ]; then rm -f "$$f" && echo "Removed $$f"; fi; \
	done; \
	for value in "$$helper" $$( [ "$$found" = "$$helper" ] && echo pat ); do \
		if git config --global --fixed-value --get-all credential.helper "$$value" >/dev/null 2>&1; then \
			git config --global --fixed-value --unset-all credential.helper "$$value"; \
			echo "Removed credential.helper = $$value from your global git configuration."; \
		fi; \
	done; \
	echo "Your tokens were left where they are stored; to remove them too, see \"Leaving\" in the README."

# Everything: unit tests, the fuzz seed corpus, the testscripts with real
# git, and the keyring tests inside a private session bus where one can be
# started.
# The keyring tests need a throwaway Secret Service, which
# .ci/keyring-session.sh starts where gnome-keyring is installed (CI installs
# it); elsewhere they skip and say how to run them.
test:
	@$(GO) version
	@if command -v gnome-keyring-daemon >/dev/null && command -v dbus-run-session >/dev/null; then \
		session=.ci/keyring-session.sh; \
	else \
		session=; echo "(gnome-keyring is not installed: the keyring tests skip)"; \
	fi; \
	set -e; \
	echo "$$session $(GO) test -count=1 ./..."; \
	$$session $(GO) test -count=1 ./...; \
	if [ "$$($(GO) env GOVERSION)" = "$$(GOTOOLCHAIN=local $(GO) env GOVERSION)" ]; then \
		echo "(the Go at hand is the Go above: the unit tests are not run twice)"; \
	else \
		echo "The unit tests again under the oldest Go the README names (the Go at hand, GOTOOLCHAIN=local):"; \
		GOTOOLCHAIN=local $(GO) version; \
		$$session env GOTOOLCHAIN=local $(GO) test -count=1 $(UNIT_PACKAGES); \
	fi

# Every fuzz target of the module, one at a time, each for FUZZTIME: go
# test fuzzes one target of one package per run. Targets are found by their
# "func FuzzX(" lines, so a new one is fuzzed without being listed here.
# A failure stops the run; go test writes the input under the package's
# testdata/fuzz/FuzzX/, where it is a seed from then on. FUZZPARALLEL=N
# limits the workers (default: one per CPU).
FUZZTIME     ?= 30s
FUZZPARALLEL ?=
fuzz:
	@set -e; for f in $$(git grep -l '^func Fuzz[A-Za-z0-9_]*(' -- '*_test.go' ':!bench'); do \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "$(GO) test -run '^$$' -fuzz '^$$t$$' -fuzztime $(FUZZTIME) ./$$(dirname $$f)"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $(if $(FUZZPARALLEL),-parallel $(FUZZPARALLEL)) ./$$(dirname $$f); \
		done; \
	done

# The packages with unit tests of their own: everything but the scripts
# that drive the installed programs through git.
UNIT_PACKAGES := ./credential/... ./internal/... ./store/...

# Linters are installed into .tools/ at pinned versions and reused from
# there; a changed version installs beside the old one.
STATICCHECK_VERSION := v0.8.2
GOVULNCHECK_VERSION := v1.9.0
# A linter reads the standard library of the Go it was built with: one build
# per toolchain.
GOVERSION   := $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) env GOVERSION)
STATICCHECK := .tools/staticcheck-$(STATICCHECK_VERSION)-$(GOVERSION)/staticcheck
GOVULNCHECK := .tools/govulncheck-$(GOVULNCHECK_VERSION)-$(GOVERSION)/govulncheck

# Every platform the helper is built for: platform code (flock, peer
# credentials, mlock, /dev/tty) must compile, with its fallback, on each.
# The BSDs run the cache daemon (each checks the peer its own way), so
# they are linted and built too; none of them is run here.
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64 \
             freebsd/amd64 openbsd/amd64 netbsd/amd64
GOOSES    := $(sort $(foreach p,$(PLATFORMS),$(word 1,$(subst /, ,$(p)))))

# MODULES are the helper's module and bench/, a module of its own so that
# its plotting library stays out of the helper's go.mod; lint covers both.
MODULES := . bench

lint: lint-tools
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	@set -e; for m in $(MODULES); do for os in $(GOOSES); do \
		echo "($$m) GOOS=$$os $(GO) vet ./..."; (cd $$m && GOOS=$$os $(GO) vet ./...); \
		echo "($$m) GOOS=$$os staticcheck ./..."; (cd $$m && GOOS=$$os $(CURDIR)/$(STATICCHECK) ./...); \
	done; done
	@set -e; for m in $(MODULES); do for p in $(PLATFORMS); do \
		echo "($$m) GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build ./..."; \
		(cd $$m && GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build -o /dev/null ./...); \
	done; done
	.ci/govulncheck.sh $(GOVULNCHECK)

lint-tools: $(STATICCHECK) $(GOVULNCHECK)

$(STATICCHECK):
	GOBIN=$(CURDIR)/$(@D) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

$(GOVULNCHECK):
	GOBIN=$(CURDIR)/$(@D) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)

# Speed against git's own helpers, on this machine, in one run of about
# five minutes: the Go benchmarks (medians of 5) and whole processes side by
# side (see bench/main.go); writes BENCHMARKS.png. Not part of test or CI:
# timings need a quiet machine. bench/ is a module of its own, run from
# there.
# Where gnome-keyring is installed, the bench runs beside a throwaway Secret
# Service, so it also times cached gets from the OS keyring.
bench:
	@if command -v gnome-keyring-daemon >/dev/null && command -v dbus-run-session >/dev/null; then \
		echo "cd bench && ../.ci/keyring-session.sh $(GO) run . -plot ../BENCHMARKS.png"; \
		cd bench && ../.ci/keyring-session.sh $(GO) run . -plot ../BENCHMARKS.png; \
	else \
		cd bench && $(GO) run . -plot ../BENCHMARKS.png; \
	fi

clean:
	rm -f $(BINARY) $(FULL) $(DAEMON)
