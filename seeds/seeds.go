// Package seeds holds the default articles, embedded into the binary. They
// are the content qabot serves when no content directory is configured.
package seeds

import "embed"

// FS holds the seed articles (*.txt, *.md, and NAME.en.txt translations) at
// its root, in the content format index.LoadDir reads.
//
//go:embed *.txt
var FS embed.FS
