package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohortbot/cohort/store"
)

// syncBuffer is a bytes.Buffer safe for the bot's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCohort runs the command in process with the given input and environment.
func runCohort(t *testing.T, ctx context.Context, stdin io.Reader, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut syncBuffer
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code = run(ctx, args, env{stdin: stdin, stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errOut.String()
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cohort.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConsole_PipedHelp(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, "data_dir: "+dir+"\nlog: {level: warn}\n")
	code, out, errOut := runCohort(t, context.Background(), strings.NewReader("/help\n"), nil, "-config", cfg)
	if code != 0 || !strings.Contains(out, "cohort> ") || !strings.Contains(out, "/help — Show the commands you can use") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestConsole_ChineseFromLANG(t *testing.T) {
	cfg := writeConfig(t, "data_dir: "+t.TempDir()+"\n")
	_, out, _ := runCohort(t, context.Background(), strings.NewReader("/help\n"), map[string]string{"LANG": "zh_CN.UTF-8"}, "-config", cfg)
	if !strings.Contains(out, "查看你可以使用的命令") {
		t.Fatalf("stdout:\n%s", out)
	}
}

func TestConsole_BadInputNeverCrashes(t *testing.T) {
	cfg := writeConfig(t, "data_dir: "+t.TempDir()+"\n")
	input := strings.Join([]string{
		"", "   ", strings.Repeat("x", 10000), "/help " + strings.Repeat("y", 10000), `/start "unbalanced`,
		"/nosuch", "/as", "/as " + strings.Repeat("n", 100), "/press forged:data", "/vote 1", "/dm", "\xff\xfe", "/help",
	}, "\n") + "\n"
	code, out, errOut := runCohort(t, context.Background(), strings.NewReader(input), nil, "-config", cfg)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"too long", "quote is not closed", "Unknown command /nosuch", "no poll to vote in", "/help — "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckConfig_Example(t *testing.T) {
	code, out, errOut := runCohort(t, context.Background(), nil, nil, "check-config", "-config", "../../config.example.yaml")
	if code != 0 || !strings.Contains(out, "configuration OK") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
}

func TestCheckConfig_MisspelledKey(t *testing.T) {
	cfg := writeConfig(t, "data_dir: x\ntelegarm:\n  token: abc\n")
	code, _, errOut := runCohort(t, context.Background(), nil, nil, "-config", cfg, "check-config")
	if code == 0 || !strings.Contains(errOut, "telegarm") || !strings.Contains(errOut, "[2:") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	cfg := writeConfig(t, "log: {level: loud}\n")
	code, _, errOut := runCohort(t, context.Background(), nil, map[string]string{"COHORT_CONFIG": cfg}, "check-config")
	if code == 0 || !strings.Contains(errOut, "log.level") {
		t.Fatalf("COHORT_CONFIG not read: exit %d %s", code, errOut)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := runCohort(t, context.Background(), nil, nil, "version"); code != 0 || !strings.HasPrefix(out, "cohort ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errOut := runCohort(t, context.Background(), nil, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "usage") {
		t.Fatalf("unknown command: %d %q", code, errOut)
	}
}

// TestBackup_WhileRunning takes an online backup through the admin socket
// while the bot holds the database, and checks the copy opens.
func TestBackup_WhileRunning(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, "data_dir: "+dir+"\nconsole: {enabled: true}\n")
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		code, _, _ := runCohort(t, ctx, pr, nil, "-config", cfg)
		done <- code
	}()
	if _, err := io.WriteString(pw, "hello\n/help\n"); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, socketName)
	for {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	file := filepath.Join(t.TempDir(), "copy.db")
	code, out, errOut := runCohort(t, context.Background(), nil, nil, "-config", cfg, "backup", file)
	if code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	pw.Close()
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("bot exit %d", code)
	}
	copyDir := t.TempDir()
	if err := os.Rename(file, filepath.Join(copyDir, store.FileName)); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(copyDir, store.Options{})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	defer st.Close()
	if v, err := st.Version(); err != nil || v != store.SchemaVersion() {
		t.Fatalf("backup schema version %d %v", v, err)
	}
}

// TestSecondProcess_FailsFast runs the real binary twice on one data_dir:
// the second exits non-zero within 2 s and names the lock.
func TestSecondProcess_FailsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "cohort")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	first := exec.Command(bin)
	first.Dir = dir
	first.Env = append(os.Environ(), "COHORT_CONFIG=")
	stdin, err := first.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); _ = first.Wait() }()
	for {
		if _, err := os.Stat(filepath.Join(dir, "cohort-data", socketName)); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	second := exec.Command(bin)
	second.Dir = dir
	second.Env = first.Env
	start := time.Now()
	out, err := second.CombinedOutput()
	took := time.Since(start)
	if err == nil {
		t.Fatalf("second process succeeded: %s", out)
	}
	if !strings.Contains(string(out), "database is in use") {
		t.Fatalf("second process output does not name the lock: %s", out)
	}
	if took > 2*time.Second {
		t.Fatalf("second process took %s to fail", took)
	}
}
