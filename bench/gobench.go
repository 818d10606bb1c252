package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
)

// goBenchmarks runs the Go benchmarks of the packages in repo count times
// each and prints the median of every figure they report.
func goBenchmarks(repo string, count int) error {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", strconv.Itoa(count), "./credential", "./store", "./store/vault", "./store/cache/...", "./internal/forge/github"}
	fmt.Printf("\n# Go benchmarks: go %s (medians of %d)\n", strings.Join(args, " "), count)
	c := exec.Command("go", args...)
	c.Dir, c.Env, c.Stderr = repo, append(os.Environ(), "CGO_ENABLED=0"), os.Stderr
	out, err := c.Output()
	if err != nil {
		os.Stdout.Write(out)
		return fmt.Errorf("go test -bench: %w", err)
	}
	// name → unit → values, in the order first seen.
	type figures struct {
		units  []string
		values map[string][]float64
	}
	var names []string
	all := map[string]*figures{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		b := all[f[0]]
		if b == nil {
			b = &figures{values: map[string][]float64{}}
			all[f[0]] = b
			names = append(names, f[0])
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			unit := f[i+1]
			if _, ok := b.values[unit]; !ok {
				b.units = append(b.units, unit)
			}
			b.values[unit] = append(b.values[unit], v)
		}
	}
	if len(names) == 0 {
		return fmt.Errorf("go test -bench printed no benchmark:\n%s", out)
	}
	for _, name := range names {
		b := all[name]
		fmt.Printf("  %-40s", name)
		for _, unit := range b.units {
			v := slices.Clone(b.values[unit])
			slices.Sort(v)
			m, prec := v[len(v)/2], 0
			if m < 100 {
				prec = 2
			}
			fmt.Printf("  %14.*f %s", prec, m, unit)
		}
		fmt.Println()
	}
	return nil
}
