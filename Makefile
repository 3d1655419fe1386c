# Thin aliases; README.md explains them. `make run` and `make test` do all
# the set-up a fresh clone needs (npm ci, the frontend build, the binary).

GO_TEST_FLAGS ?=
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = 1

.PHONY: run test build frontend check lint types bench soak clean

# The stamp is npm's own record of the installed tree: it is newer than
# package-lock.json exactly when node_modules is up to date.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

build: frontend
	go build -o bin/doska ./server

# Doska stops with make: Ctrl-C reaches both; make passes SIGTERM on; and
# --stop-with-parent has the kernel stop Doska if make is killed outright.
# exec keeps make Doska's direct parent.
run: build
	exec ./bin/doska --stop-with-parent

# The habits CI holds: formatting, a tidy go.mod, vet, the linters
# (.golangci.yml, frontend/eslint.config.js) and the type checks.
check: frontend/node_modules/.package-lock.json
	@unformatted=$$(gofmt -l models server migrations bench frontend/embed.go); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	go mod tidy -diff
	go vet ./...
	$(MAKE) lint
	cd frontend && npm run check && npm run lint && npm run format:check

# golangci-lint, pinned in tools/go.mod and built from the Go module proxy
# on first use (a few minutes, then cached).
lint:
	go tool -modfile=tools/go.mod golangci-lint run ./...

# The wire types: docs/openapi.json from the Go types, then the web app's
# TypeScript types from it. `make check` and `go test ./server/api` fail
# until this is run after a Go wire type changed.
types: frontend/node_modules/.package-lock.json
	go generate ./server/api
	cd frontend && npm run types

test: check
	go test $(GO_TEST_FLAGS) ./...
	cd frontend && npm run test
	$(MAKE) build
	cd frontend && npm run budget
	@command -v $${CHROMIUM_PATH:-/usr/bin/chromium} >/dev/null || { echo "Chromium not found: apt-get install chromium (or set CHROMIUM_PATH); .ci/run does it"; exit 1; }
	cd frontend && CI=1 npm run e2e

# Load figures against the real binary and a durable PostgreSQL (about 5 min);
# results in bench/results/latest.json and a dated copy.
bench: build
	go run ./bench
	go test -run '^$$' -bench . -benchmem ./models ./server/live ./server/api

# Crash safety and backups (about 3 min; docs/ARCHITECTURE.md#backup-and-restore):
# the server killed with SIGKILL every 20 s under writers that resend with
# idempotency keys, then a backup taken under load and restored; a broken
# check fails the target.
soak: build
	go run ./bench -only crash,backup -out bench/results/soak

clean:
	rm -rf bin frontend/dist/app frontend/node_modules
