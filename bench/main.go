// Command bench measures git-credential-pat against git's own credential
// helpers on one machine, in one run, and prints medians and ratios:
//
//   - the Go benchmarks of the packages (go test -bench), as medians;
//   - whole processes side by side, runs interleaved: a cached get against
//     git-credential-cache get, a vault get with the cache off against
//     git-credential-store get with 1 and 10,000 entries, git credential
//     fill with each helper (pat by name and by path), and the floors: an
//     empty Go program, and the least a Go helper can do for a cached get
//     (bench/floor, which asks git's own daemon), alone and under fill;
//     and git-credential-pat-full --version;
//   - get latency against the number of stored entries for each helper,
//     drawn as a PNG;
//   - the resident memory of both cache daemons holding 10,000 entries;
//   - 256 concurrent lookups against each daemon.
//
// Everything runs under a temporary HOME; the real one is never read.
// It is a module of its own, so that its plotting library stays out of the
// helper's go.mod. Run it from bench/: cd bench && go run . (or make bench).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var cfg config
	flag.IntVar(&cfg.runs, "runs", 300, "runs of each command in the side-by-side timings")
	flag.IntVar(&cfg.sweepRuns, "sweep-runs", 40, "runs of each command at each size of the sweep")
	flag.IntVar(&cfg.kdfRuns, "kdf-runs", 5, "runs of each vault get at the real key-derivation cost")
	flag.IntVar(&cfg.goCount, "go-count", 5, "go test -count for the Go benchmarks (0 skips them)")
	flag.StringVar(&cfg.plot, "plot", "BENCHMARKS.png", "where to write the plot of get latency against entries")
	flag.StringVar(&cfg.only, "only", "", "run one part only: processes, keyring, store, vault, sweep, memory or concurrent (the Go benchmarks are -go-count's)")
	flag.Parse()
	if err := run(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	runs, sweepRuns, kdfRuns, goCount int
	plot, only                        string
}

// part reports whether the part named is to run.
func (cfg *config) part(name string) bool { return cfg.only == "" || cfg.only == name }

// sizes are the numbers of stored entries the sweep measures.
var sizes = []int{1, 10, 100, 1000, 10000}

func run(cfg *config) error {
	fmt.Println("# Machine")
	for _, line := range machine() {
		fmt.Println("  " + line)
	}
	dirs, err := findModules()
	if err != nil {
		return err
	}
	if cfg.goCount > 0 {
		if err := goBenchmarks(dirs.repo, cfg.goCount); err != nil {
			return err
		}
	}

	lab, err := newLab(dirs)
	if err != nil {
		return err
	}
	defer lab.close()
	homes := map[int]*home{}
	for _, n := range sizes {
		h, err := lab.newHome(fmt.Sprintf("n%d", n), n)
		if err != nil {
			return fmt.Errorf("filling %d entries: %w", n, err)
		}
		homes[n] = h
	}
	one, many := homes[1], homes[10000]

	if cfg.part("processes") {
		if err := processes(cfg, lab, one); err != nil {
			return err
		}
	}
	if cfg.part("keyring") {
		if err := keyringGets(cfg, lab); err != nil {
			return err
		}
	}
	if cfg.part("store") {
		if err := stores(cfg, one); err != nil {
			return err
		}
	}
	if cfg.part("vault") {
		if err := vaultGets(cfg, one, many); err != nil {
			return err
		}
	}
	if cfg.part("sweep") {
		if err := sweepSizes(cfg, homes); err != nil {
			return err
		}
	}
	if cfg.part("memory") {
		if err := daemonMemory(homes); err != nil {
			return err
		}
	}
	if cfg.part("concurrent") {
		return concurrentGets(one)
	}
	return nil
}

func processes(cfg *config, lab *lab, one *home) error {
	fmt.Printf("\n# Whole processes, 1 entry, %d runs each, interleaved\n", cfg.runs)
	side, err := measure(cfg.runs, []*probe{
		one.patCached(), one.gitCache(), lab.empty(one), one.patVersion(),
		one.fillPat(), one.fillCache(), one.fillPatPath(),
		lab.floor(one), lab.fillFloor(one),
	})
	if err != nil {
		return err
	}
	side.print()
	fmt.Println()
	side.ratio("    cached get: pat / git-credential-cache", 0, 1, "")
	side.ratio("    floor: empty Go program / git-credential-cache", 2, 1, "")
	side.ratio("    floor: the socket exchange alone in Go / git-credential-cache", 7, 1, "")
	side.ratio("    pat get / empty Go program", 0, 2, "")
	side.ratio("(a) cached get, vault: pat / the socket exchange alone in Go", 0, 7, "goal <= 1.10x")
	side.ratio("    the full program's start-up (--version) / git-credential-cache", 3, 1, "")
	side.ratio("(c) git credential fill: helper by path / cache", 6, 5, "goal <= 1.10x")
	side.ratio("    floor: git credential fill, the Go floor helper by path / cache", 8, 5, "")
	side.ratio("    git credential fill: helper pat / cache", 4, 5, "")
	return nil
}

// keyringGets times a cached get from the OS keyring beside the Go floor:
// the daemon answers it as it does for the vault. It needs a Secret
// Service (run the bench under .ci/keyring-session.sh); without one it
// says so and measures nothing.
func keyringGets(cfg *config, lab *lab) error {
	fmt.Printf("\n# Cached get from the OS keyring, 1 entry, %d runs each, interleaved\n", cfg.runs)
	h, err := lab.newKeyringHome()
	if err != nil {
		fmt.Printf("  not measured: %v\n", err)
		return nil
	}
	r, err := measure(cfg.runs, []*probe{h.patCachedKeyring(), lab.floor(h), h.gitCache()})
	if err != nil {
		return err
	}
	r.print()
	fmt.Println()
	r.ratio("(a) cached get, keyring: pat / the socket exchange alone in Go", 0, 1, "goal <= 1.10x")
	r.ratio("    cached get, keyring: pat / git-credential-cache", 0, 2, "")
	return nil
}

// stores times git's store of a credential the helper does not hold yet,
// with the cache warm, beside git-credential-store's; then 16 approves at
// once.
func stores(cfg *config, one *home) error {
	fmt.Printf("\n# store of a new credential, cache warm, %d runs each, interleaved\n", cfg.runs/4)
	r, err := measure(cfg.runs/4, []*probe{one.patStore(), one.gitStoreStore()})
	if err != nil {
		return err
	}
	r.print()
	fmt.Println()
	r.ratio("(d) store of a new credential: pat / git-credential-store", 0, 1, "goal <= 10x")
	took, landed, err := one.parallelApproves(16)
	if err != nil {
		return err
	}
	fmt.Printf("  16 parallel git credential approve, cache warm: %s, %d of 16 landed (goal: under 1 s, all landed)\n", ms(took), landed)
	return nil
}

func vaultGets(cfg *config, one, many *home) error {
	fmt.Printf("\n# Vault get with the cache off (scrypt work factor %d, the key derivation made cheap) against git-credential-store, %d runs each, interleaved\n", lowWorkFactor, cfg.runs/2)
	vault, err := measure(cfg.runs/2, []*probe{one.patVault(), one.gitStore(), many.patVault(), many.gitStore()})
	if err != nil {
		return err
	}
	vault.print()
	fmt.Println()
	vault.ratio("(b) vault get / git-credential-store get, 1 entry", 0, 1, "")
	vault.ratio("(b) vault get / git-credential-store get, 10,000 entries", 2, 3, "")
	vault.ratio("(b) vault get, 10,000 / 1 entry, beyond the key derivation", 2, 0, "goal <= 1.2x")
	vault.ratio("    git-credential-store get, 10,000 / 1 entry", 3, 1, "")

	if cfg.kdfRuns > 0 {
		fmt.Printf("\n# Vault get with the cache off at the real work factor %d, %d runs each, interleaved\n", realWorkFactor, cfg.kdfRuns)
		kdf, err := measure(cfg.kdfRuns, []*probe{one.patVaultKDF(), many.patVaultKDF()})
		if err != nil {
			return err
		}
		kdf.print()
		fmt.Println()
		kdf.ratio("    vault get at the real work factor, 10,000 / 1 entry", 1, 0, "")
	}
	return nil
}

func sweepSizes(cfg *config, homes map[int]*home) error {
	fmt.Printf("\n# get against the number of entries, %d runs each, interleaved at each size\n", cfg.sweepRuns)
	sweep := map[string][]float64{}
	var names []string
	for _, n := range sizes {
		h := homes[n]
		r, err := measure(cfg.sweepRuns, []*probe{h.patCached(), h.patVault(), h.gitStore(), h.gitCache()})
		if err != nil {
			return err
		}
		fmt.Printf("  %6d entries:", n)
		for i, p := range r.probes {
			fmt.Printf("  %s %s", p.short, ms(r.median(i)))
			if len(names) < len(r.probes) {
				names = append(names, p.short)
			}
			sweep[p.short] = append(sweep[p.short], r.median(i).Seconds()*1000)
		}
		fmt.Println()
	}
	if err := plot(cfg.plot, sizes, names, sweep); err != nil {
		return err
	}
	fmt.Printf("  plot written to %s\n", cfg.plot)
	return nil
}

// daemonMemory is each daemon's resident memory once it has answered.
func daemonMemory(homes map[int]*home) error {
	fmt.Println("\n# Daemon memory (VmRSS, after lookups)")
	for _, n := range []int{1, 10000} {
		if _, err := measure(5, []*probe{homes[n].patCached(), homes[n].gitCache()}); err != nil {
			return err
		}
		pat, git, err := homes[n].daemonRSS()
		if err != nil {
			return err
		}
		fmt.Printf("  %6d entries: git-credential-pat cache daemon %s, git-credential-cache--daemon %s, ratio %.2fx (goal <= 1x at 10,000)\n",
			n, kib(pat), kib(git), float64(pat)/float64(git))
	}

	return nil
}

func concurrentGets(one *home) error {
	fmt.Println("\n# 256 concurrent lookups against one daemon (1 entry)")
	for _, p := range []*probe{one.patCached(), one.gitCache()} {
		failed, took, err := concurrent(p, 256)
		if err != nil {
			return err
		}
		fmt.Printf("  %-34s %3d of 256 failed, all done in %s (goal: none failed)\n", p.name, failed, ms(took))
	}
	return nil
}
