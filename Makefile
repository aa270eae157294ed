# soilreg — two commands: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := postgresql-15-postgis-3 libproj-dev libgdal-dev libclang-dev pkg-config gdal-bin wrk chromium
TEST_PG_DIR  := $(CURDIR)/target/test-pg
PYENV        := $(CURDIR)/target/pyenv
PY_PACKAGES  := owslib==0.35.0 schemathesis==4.32.5
# A free loopback port, so a developer's own clusters never collide with the test run.
ifndef TEST_PG_PORT
TEST_PG_PORT := $(shell python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endif
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps pyenv web e2e build release lint bench clean

## Install the system packages that are missing (apt-get, only when absent).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## OWSLib and schemathesis for the interoperability tests, in a venv under target/.
pyenv: $(PYENV)/bin/schemathesis
$(PYENV)/bin/schemathesis:
	python3 -m venv $(PYENV) || { $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(PYENV); }
	$(PYENV)/bin/pip install -q $(PY_PACKAGES)

## The map front end: MapLibre GL and Vite from the npm registry, built into web/dist.
web:
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build

release: deps
	cargo build --release --locked

## The service with the demo district, on an embedded PostGIS cluster unless DATABASE_URL is set.
run: release web
	./target/release/soilreg serve --demo

## The whole test suite on a throwaway PostGIS cluster, removed afterwards.
test: deps pyenv web
	cargo build --locked --all-targets
	rm -rf $(TEST_PG_DIR) $(CURDIR)/target/test-clusters
	./target/debug/soilreg --pg-dir $(TEST_PG_DIR) --pg-port $(TEST_PG_PORT) db start >/dev/null
	status=0; \
	SOILREG_INTEROP=1 TEST_PG_PORT=$(TEST_PG_PORT) TEST_ADMIN_URL=postgres://postgres@127.0.0.1:$(TEST_PG_PORT)/postgres \
	  cargo test --locked --all-targets || status=$$?; \
	[ $$status = 0 ] && { $(MAKE) --no-print-directory e2e TEST_PG_PORT=$(TEST_PG_PORT) || status=$$?; }; \
	./target/debug/soilreg --pg-dir $(TEST_PG_DIR) --pg-port $(TEST_PG_PORT) db stop || true; \
	rm -rf $(TEST_PG_DIR) $(CURDIR)/target/test-clusters; \
	exit $$status

## The browser test: the service with the demo district on the test cluster, driven by Chromium.
E2E_PORT := $(shell python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
e2e:
	psql -q "postgres://postgres@127.0.0.1:$(TEST_PG_PORT)/postgres" -c "DROP DATABASE IF EXISTS soilreg_e2e" -c "CREATE DATABASE soilreg_e2e"
	DATABASE_URL=postgres://postgres@127.0.0.1:$(TEST_PG_PORT)/soilreg_e2e ./target/debug/soilreg serve --demo \
	  --listen 127.0.0.1:$(E2E_PORT) > target/e2e-server.log 2>&1 & pid=$$!; \
	for i in $$(seq 300); do curl -sf http://127.0.0.1:$(E2E_PORT)/healthz >/dev/null && break; sleep 0.2; done; \
	status=0; node web/e2e/run.mjs http://127.0.0.1:$(E2E_PORT) $(CURDIR)/tests/artifacts/e2e || status=$$?; \
	kill $$pid; exit $$status

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets --locked -- -D warnings

bench: deps
	bench/parcels.sh

clean:
	rm -rf target var
