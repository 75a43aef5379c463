package main

import (
	"context"
	"io/fs"
	"log/slog"
	"maps"
	"path/filepath"
	"time"
)

// fileStamp is what the watcher compares of one file.
type fileStamp struct {
	size  int64
	mtime int64 // Unix nanoseconds
}

// snapshotDir lists the regular files under dir with their sizes and
// modification times. Unreadable entries are left out.
func snapshotDir(dir string) map[string]fileStamp {
	snap := map[string]fileStamp{}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil {
			snap[path] = fileStamp{size: info.Size(), mtime: info.ModTime().UnixNano()}
		}
		return nil
	})
	return snap
}

// watchDir polls dir every tick until ctx is done and calls changed once
// the directory's file list, sizes or modification times changed and then
// stayed the same for one more tick (so a copy of many files is one
// reload). No new dependency: polling is enough for a directory of articles.
func watchDir(ctx context.Context, dir string, tick time.Duration, log *slog.Logger, changed func()) {
	prev := snapshotDir(dir)
	pending := false
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur := snapshotDir(dir)
		if !maps.Equal(cur, prev) {
			log.Debug("content directory changed; waiting for it to settle", "dir", dir, "files", len(cur))
			prev, pending = cur, true
			continue
		}
		if pending {
			pending = false
			log.Info("content directory changed; reloading", "dir", dir)
			changed()
		}
	}
}
