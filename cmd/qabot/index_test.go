package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIndexBuildAndStatus(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	os.MkdirAll(content, 0o755)
	os.WriteFile(filepath.Join(content, "a.txt"), []byte("ارتفعت أسعار النفط في الأسواق العالمية. وقال المحللون إن الطلب يزداد.\n"), 0o644)
	cfgPath := filepath.Join(dir, "qabot.toml")
	os.WriteFile(cfgPath, []byte("[content]\ndir = \""+content+"\"\n[index]\ndir = \""+filepath.Join(dir, "index")+"\"\n"), 0o644)

	run := func(args ...string) (string, error) {
		var out, errs bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs}
		err := m.Run(context.Background(), args)
		return out.String() + errs.String(), err
	}
	out, err := run("index", "build", "--config", cfgPath)
	if err != nil || !strings.Contains(out, "index:       built") || !strings.Contains(out, "sentences:   2") {
		t.Fatalf("first build: %v\n%s", err, out)
	}
	out, err = run("index", "build", "--config", cfgPath)
	if err != nil || !strings.Contains(out, "reused") {
		t.Fatalf("second build: %v\n%s", err, out)
	}
	out, err = run("index", "status", "--config", cfgPath)
	if err != nil || !strings.Contains(out, "state:       usable") || !strings.Contains(out, "matches") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(content, "b.txt"), []byte("خبر جديد.\n"), 0o644)
	out, err = run("index", "status", "--config", cfgPath)
	if err != nil || !strings.Contains(out, "CHANGED") {
		t.Fatalf("status after a change: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(dir, "index", "CURRENT"), []byte("garbage"), 0o644)
	if out, err = run("index", "status", "--config", cfgPath); err == nil || !strings.Contains(out, "UNUSABLE") {
		t.Fatalf("status of a broken index: %v\n%s", err, out)
	}
	if _, err := run("index", "frobnicate"); err != errUsage {
		t.Errorf("unknown subcommand: %v", err)
	}
}
