# The README's commands. `make test` is what CI runs (.ci/run).
GO ?= go

.PHONY: build test chat bench eval fuzz lint

build:
	$(GO) build -o qabot ./cmd/qabot

test:
	$(GO) test -race -count=1 ./...

chat:
	$(GO) run ./cmd/qabot chat

# vet, gofmt and staticcheck (fetched through the Go proxy at a pinned version)
lint:
	$(GO) vet ./...
	test -z "$$(gofmt -l .)"
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

eval: build
	./qabot eval --set qa/testdata/seed-ar.jsonl
	./qabot eval --set qa/testdata/seed-en.jsonl
	./qabot eval --xquad ../shared/xquad-dev/xquad-dev.ar.json
	./qabot eval --xquad ../shared/xquad-dev/xquad-dev.en.json --contexts ../shared/xquad-dev/xquad-dev.ar.json

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzSplitSentences -fuzztime 30s ./index/
	$(GO) test -run '^$$' -fuzz FuzzParseArticle -fuzztime 30s ./index/
	$(GO) test -run '^$$' -fuzz FuzzAsk -fuzztime 30s ./qa/
	$(GO) test -run '^$$' -fuzz FuzzRoot -fuzztime 30s ./index/arabic/
