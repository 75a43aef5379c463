package index

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"sort"
	"strconv"
	"sync"
)

// ContentHash returns the hex sha256 that identifies the content of fsys as
// LoadDir reads it: the path and bytes of every file LoadDir would read
// (articles and their translations), in path order, under FormatVersion.
// It reads the files but parses nothing, so it is cheap enough to run at
// every start. Files LoadDir skips (other extensions, hidden names, files
// over MaxArticleBytes) are not part of it; a file that cannot be read is
// left out (LoadDir reports it). An error means the root cannot be walked.
func ContentHash(fsys fs.FS) (string, error) {
	sums := map[string][sha256.Size]byte{}
	err := walkArticleFiles(fsys, func(p string, data []byte, problem string) {
		if problem == "" {
			sums[p] = sha256.Sum256(data)
		}
	})
	if err != nil {
		return "", err
	}
	return combineSums(sums), nil
}

// LoadDirHashed is LoadDir that also returns the ContentHash of exactly the
// bytes it parsed, so a snapshot is labelled with the content it holds even
// when files change while they are read.
func LoadDirHashed(fsys fs.FS) ([]*Article, []LoadError, string) {
	h := &hashingFS{FS: fsys, sums: map[string][sha256.Size]byte{}}
	arts, errs := LoadDir(h)
	return arts, errs, combineSums(h.sums)
}

// hashingFS records the sha256 of every file read through it.
type hashingFS struct {
	fs.FS
	mu   sync.Mutex
	sums map[string][sha256.Size]byte
}

// ReadFile implements fs.ReadFileFS.
func (h *hashingFS) ReadFile(name string) ([]byte, error) {
	data, err := fs.ReadFile(h.FS, name)
	if err == nil {
		sum := sha256.Sum256(data)
		h.mu.Lock()
		h.sums[name] = sum
		h.mu.Unlock()
	}
	return data, err
}

func combineSums(sums map[string][sha256.Size]byte) string {
	paths := make([]string, 0, len(sums))
	for p := range sums {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha256.New()
	h.Write([]byte("qabot content, index format " + strconv.Itoa(FormatVersion) + "\n"))
	for _, p := range paths {
		sum := sums[p]
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}
