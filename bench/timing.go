package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// probe is one command to time, and what its answer must hold.
type probe struct {
	name, short string
	argv        []string
	env         []string
	home        *home
	want        string // a line the answer must hold; "" for any answer
	// stdin, when set, makes each run's request (a store of a new
	// credential each time); else the home's request is sent.
	stdin func() string
}

// once runs the probe as a whole process and returns how long it took.
// Its standard streams are files, so no goroutine of this program copies
// between it and the process while the clock runs. The answer must hold
// want and standard error must stay empty.
func (p *probe) once(out, errs *os.File) (time.Duration, error) {
	request := p.home.request
	if p.stdin != nil {
		request = filepath.Join(filepath.Dir(out.Name()), "stdin")
		if err := os.WriteFile(request, []byte(p.stdin()), 0o600); err != nil {
			return 0, err
		}
	}
	in, err := os.Open(request)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	for _, f := range []*os.File{out, errs} {
		f.Truncate(0)
		f.Seek(0, 0)
	}
	c := exec.Command(p.argv[0], p.argv[1:]...)
	c.Env, c.Dir, c.Stdin, c.Stdout, c.Stderr = p.env, p.home.dir, in, out, errs
	start := time.Now()
	err = c.Run()
	took := time.Since(start)
	got, _ := os.ReadFile(out.Name())
	stderr, _ := os.ReadFile(errs.Name())
	switch {
	case err != nil:
		return 0, fmt.Errorf("%s: %w: %s", p.name, err, stderr)
	case len(stderr) > 0:
		return 0, fmt.Errorf("%s wrote to standard error: %q", p.name, stderr)
	case !strings.Contains(string(got), p.want):
		return 0, fmt.Errorf("%s answered %q; want a line %q", p.name, got, strings.TrimSpace(p.want))
	}
	return took, nil
}

// result holds every timed run of each probe.
type result struct {
	probes []*probe
	times  [][]time.Duration
	failed []int // runs that failed or answered wrongly, not timed
	errs   []error
}

// measure runs each probe runs times, interleaved (A B C A B C …, the
// order rotated every round so none always runs first), after a tenth as
// many rounds of warm-up that are not counted.
func measure(runs int, probes []*probe) (*result, error) {
	r := &result{probes: probes, times: make([][]time.Duration, len(probes)), failed: make([]int, len(probes)), errs: make([]error, len(probes))}
	dir, err := os.MkdirTemp("", "gcpbench-out")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		return nil, err
	}
	defer out.Close()
	errs, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		return nil, err
	}
	defer errs.Close()
	warm := max(1, runs/10)
	for round := range warm + runs {
		for j := range probes {
			i := (round + j) % len(probes)
			took, err := probes[i].once(out, errs)
			if err != nil {
				// A failure is counted and reported, not timed; a probe
				// that fails more than half its runs is not measured.
				r.failed[i]++
				r.errs[i] = err
				if r.failed[i] > (warm+runs)/2 {
					return nil, fmt.Errorf("%d runs failed, the last: %w", r.failed[i], err)
				}
				continue
			}
			if round >= warm {
				r.times[i] = append(r.times[i], took)
			}
		}
	}
	for i := range r.times {
		slices.Sort(r.times[i])
	}
	return r, nil
}

func (r *result) median(i int) time.Duration {
	t := r.times[i]
	if len(t)%2 == 1 {
		return t[len(t)/2]
	}
	return (t[len(t)/2-1] + t[len(t)/2]) / 2
}

func (r *result) print() {
	for i, p := range r.probes {
		t := r.times[i]
		fmt.Printf("  %-56s median %9s   p10 %9s   p90 %9s\n", p.name, ms(r.median(i)), ms(t[len(t)/10]), ms(t[len(t)*9/10]))
		if r.failed[i] > 0 {
			fmt.Printf("    %d runs FAILED, the last: %v\n", r.failed[i], r.errs[i])
		}
	}
}

func (r *result) ratio(label string, a, b int, goal string) {
	fmt.Printf("  %-62s %6.3fx", label, float64(r.median(a))/float64(r.median(b)))
	if goal != "" {
		fmt.Printf("  (%s)", goal)
	}
	fmt.Println()
}

// concurrent starts n copies of p at once and counts those that failed or
// answered wrongly.
func concurrent(p *probe, n int) (failed int, took time.Duration, err error) {
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	errs := make([]bytes.Buffer, n)
	for i := range cmds {
		c := exec.Command(p.argv[0], p.argv[1:]...)
		c.Env, c.Dir = p.env, p.home.dir
		c.Stdin = strings.NewReader("protocol=https\nhost=github.com\n")
		c.Stdout, c.Stderr = &outs[i], &errs[i]
		cmds[i] = c
	}
	var wg sync.WaitGroup
	results := make([]error, n)
	start := time.Now()
	for i, c := range cmds {
		if err := c.Start(); err != nil {
			return 0, 0, fmt.Errorf("starting %s: %w", p.name, err)
		}
		wg.Go(func() { results[i] = c.Wait() })
	}
	wg.Wait()
	took = time.Since(start)
	for i, err := range results {
		if err != nil || errs[i].Len() > 0 || !strings.Contains(outs[i].String(), p.want) {
			failed++
		}
	}
	return failed, took, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f ms", d.Seconds()*1000) }

func kib(k int) string { return fmt.Sprintf("%.1f MiB", float64(k)/1024) }
