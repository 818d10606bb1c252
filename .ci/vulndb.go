//go:build ignore

// Command vulndb prints the database govulncheck should read, for
// `govulncheck -db "$(go run .ci/vulndb.go -cache DIR)"`.
//
// It prints https://vuln.go.dev when that answers. Where only the Go module
// proxy is reachable, it downloads the newest golang.org/x/vulndb module (the
// source repository of that same database, with one OSV file per entry in
// data/osv), writes it out under DIR in the v1 layout govulncheck reads
// (index/db.json, index/modules.json, index/vulns.json, ID/<id>.json; see
// https://go.dev/security/vuln/database#api) and prints its file:// URL.
// A database already built for the newest version is reused.
// When neither source answers it prints nothing, says why on stderr and
// exits 0 (go run reports every other exit status as 1), so that a caller
// can tell a missing database from a failure.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const (
	onlineDB     = "https://vuln.go.dev"
	vulndbModule = "golang.org/x/vulndb"
)

func main() {
	cache := flag.String("cache", ".tools/vulndb", "folder for databases built from the module proxy")
	offline := flag.Bool("offline", false, "do not try "+onlineDB)
	flag.Parse()

	if !*offline {
		err := reachable(onlineDB + "/index/modules.json.gz")
		if err == nil {
			fmt.Println(onlineDB)
			return
		}
		fmt.Fprintf(os.Stderr, "vulndb: %s is unreachable (%v); using the database of the %s module instead\n", onlineDB, err, vulndbModule)
	}
	dir, err := fromModuleProxy(*cache)
	if err != nil {
		built := newestBuilt(*cache)
		if built == "" {
			fmt.Fprintf(os.Stderr, "vulndb: no vulnerability database: %v\n", err)
			return
		}
		fmt.Fprintf(os.Stderr, "vulndb: %v; using the database built earlier from %s@%s, which may miss the newest entries\n", err, vulndbModule, filepath.Base(built))
		dir = built
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "vulndb: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("file://" + filepath.ToSlash(abs))
}

func reachable(url string) error {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Head(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HEAD %s: %s", url, resp.Status)
	}
	return nil
}

// download is what `go mod download -json` prints about a module.
type download struct {
	Version string
	Info    string
	Dir     string
	Error   string
}

// fromModuleProxy returns the folder of a v1 database built from the newest
// golang.org/x/vulndb module.
func fromModuleProxy(cache string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", vulndbModule+"@latest")
	// Outside any module, so that nothing is added to this one's go.mod.
	cmd.Dir = os.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var d download
	if jerr := json.Unmarshal(out, &d); jerr == nil && d.Error != "" {
		return "", fmt.Errorf("the Go module proxy did not serve %s: %s", vulndbModule, d.Error)
	}
	if err != nil {
		return "", fmt.Errorf("go mod download %s@latest: %v: %s", vulndbModule, err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(out, &d); err != nil {
		return "", fmt.Errorf("reading go mod download's answer: %w", err)
	}

	dir := filepath.Join(cache, d.Version)
	if _, err := os.Stat(filepath.Join(dir, "index", "modules.json")); err == nil {
		return dir, nil
	}
	committed, err := commitTime(d.Info)
	if err != nil {
		return "", err
	}
	// Build beside the final folder and rename, so that an interrupted
	// build is never taken for a finished one.
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(cache, "building-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	n, err := build(filepath.Join(d.Dir, "data", "osv"), tmp, committed)
	if err != nil {
		return "", fmt.Errorf("building the database from %s@%s: %w", vulndbModule, d.Version, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	removeOlder(cache, d.Version)
	fmt.Fprintf(os.Stderr, "vulndb: built %s with %d entries from %s@%s\n", dir, n, vulndbModule, d.Version)
	return dir, nil
}

func commitTime(infoFile string) (time.Time, error) {
	b, err := os.ReadFile(infoFile)
	if err != nil {
		return time.Time{}, err
	}
	var info struct{ Time time.Time }
	if err := json.Unmarshal(b, &info); err != nil {
		return time.Time{}, fmt.Errorf("reading %s: %w", infoFile, err)
	}
	return info.Time, nil
}

// entry holds the parts of an OSV entry the indexes are made of.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases"`
	// An OSV entry names a module as its affected package.
	Affected []struct {
		Module struct {
			Path string `json:"name"`
		} `json:"package"`
	} `json:"affected"`
}

// vulnMeta is one line of index/vulns.json.
type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	// Fixed is left out: it is optional, and without it govulncheck reads
	// each entry of a module and checks its version ranges itself.
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

// build writes the v1 database for the OSV files in osvDir into out and
// returns how many entries it holds.
func build(osvDir, out string, committed time.Time) (int, error) {
	files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no OSV files in %s", osvDir)
	}
	if err := os.MkdirAll(filepath.Join(out, "ID"), 0o755); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(out, "index"), 0o755); err != nil {
		return 0, err
	}

	// The repository's entries carry no modification time (it is set when
	// the database is published), so the commit's time stands in for it.
	modified := committed
	modules := map[string]*moduleMeta{}
	var vulns []vulnMeta
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		if e.ID+".json" != filepath.Base(f) {
			return 0, fmt.Errorf("%s holds entry %q", f, e.ID)
		}
		if e.Modified.After(modified) {
			modified = e.Modified
		}
		if e.Modified.IsZero() {
			e.Modified = committed
		}
		for _, a := range e.Affected {
			m := modules[a.Module.Path]
			if m == nil {
				m = &moduleMeta{Path: a.Module.Path}
				modules[a.Module.Path] = m
			}
			if n := len(m.Vulns); n == 0 || m.Vulns[n-1].ID != e.ID {
				m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified})
			}
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		if err := os.WriteFile(filepath.Join(out, "ID", filepath.Base(f)), b, 0o644); err != nil {
			return 0, err
		}
	}

	var moduleList []*moduleMeta
	for _, m := range modules {
		moduleList = append(moduleList, m)
	}
	sort.Slice(moduleList, func(i, j int) bool { return moduleList[i].Path < moduleList[j].Path })
	for name, v := range map[string]any{
		"db.json": struct {
			Modified time.Time `json:"modified"`
		}{modified},
		"modules.json": moduleList,
		"vulns.json":   vulns,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return 0, err
		}
	}
	return len(vulns), nil
}

// newestBuilt returns the folder of the newest database built earlier, or "".
// Module versions here are pseudo-versions, which sort by their time.
func newestBuilt(cache string) string {
	dirs, _ := filepath.Glob(filepath.Join(cache, "v*", "index", "modules.json"))
	if len(dirs) == 0 {
		return ""
	}
	sort.Strings(dirs)
	return filepath.Dir(filepath.Dir(dirs[len(dirs)-1]))
}

// removeOlder deletes databases built from other versions of the module.
func removeOlder(cache, keep string) {
	old, _ := filepath.Glob(filepath.Join(cache, "v*"))
	for _, dir := range old {
		if filepath.Base(dir) != keep {
			if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
				fmt.Fprintf(os.Stderr, "vulndb: could not remove %s: %v\n", dir, err)
			}
		}
	}
}
