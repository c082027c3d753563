package cohort_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/cohortbot/cohort"

// TestDependencyRules enforces the package layering of the design with
// `go list -deps`: the core imports no adapter, store or platform library;
// features import the core only; adapters never import the store or features.
func TestDependencyRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	platformLibs := []string{"github.com/bwmarrin/discordgo", "github.com/go-telegram/bot", "go.etcd.io/bbolt"}
	for _, pkg := range strings.Fields(string(out)) {
		rel := strings.TrimPrefix(strings.TrimPrefix(pkg, module), "/")
		deps := listDeps(t, pkg)
		forbid := func(why string, prefixes ...string) {
			for _, d := range deps {
				for _, p := range prefixes {
					if d == p || strings.HasPrefix(d, p+"/") {
						t.Errorf("%s imports %s: %s", rel, d, why)
					}
				}
			}
		}
		switch {
		case rel == "bot" || rel == "bot/bottest":
			forbid("the core imports no adapter, store or platform library",
				append([]string{module + "/adapters", module + "/store", module + "/config"}, platformLibs...)...)
			for _, d := range deps {
				if strings.HasPrefix(d, module+"/bot/") && d != module+"/bot/bottest" {
					t.Errorf("%s imports feature %s", rel, d)
				}
			}
		case strings.HasPrefix(rel, "bot/"):
			feature := strings.SplitN(rel, "/", 3)[1]
			forbid("features import the core only", append([]string{module + "/adapters", module + "/store", module + "/config"}, platformLibs...)...)
			for _, d := range deps {
				if strings.HasPrefix(d, module+"/bot/") && d != module+"/bot/bottest" && !strings.HasPrefix(d, module+"/bot/"+feature) {
					t.Errorf("%s imports another feature: %s", rel, d)
				}
			}
		case rel == "ops":
			forbid("the operations endpoint imports the core and prometheus only",
				append([]string{module + "/adapters", module + "/store", module + "/config"}, platformLibs...)...)
			for _, d := range deps {
				if strings.HasPrefix(d, module+"/bot/") {
					t.Errorf("%s imports feature %s", rel, d)
				}
			}
		case strings.HasPrefix(rel, "adapters/"):
			forbid("adapters import the core and their platform library only", module+"/store", module+"/config")
			for _, d := range deps {
				if strings.HasPrefix(d, module+"/bot/") && d != module+"/bot/bottest" {
					t.Errorf("%s imports feature %s", rel, d)
				}
				if strings.HasPrefix(d, module+"/adapters/") && !strings.HasPrefix(d, module+"/"+strings.Join(strings.SplitN(rel, "/", 3)[:2], "/")) {
					t.Errorf("%s imports another adapter: %s", rel, d)
				}
			}
		}
		if !strings.HasPrefix(rel, "store") && !strings.HasPrefix(rel, "cmd/") && rel != "loadtest" {
			forbid("only the store uses bbolt", "go.etcd.io/bbolt")
		}
	}
}

func listDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}
