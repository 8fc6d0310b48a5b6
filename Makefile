# Every command the project has. The two that matter most (README): `make run` and `make test`.
#
#   make install           create/update .venv and the Debian packages the app needs (scripts/setup.sh)
#   make run               migrate, seed demo data, serve http://127.0.0.1:8000/ (scripts/run.sh)
#   make test              everything CI checks: lint, migrations, check --deploy, pytest on SQLite and
#                          PostgreSQL (scripts/test.sh)
#   make test-sqlite       just pytest on SQLite        } ARGS="-k scientist -x" passes options to pytest
#   make test-pg           just pytest on PostgreSQL    }
#   make lint | fmt | migrations-check | seed
#   make bench             page benchmark (bench/README.md): seeds and measures SQLite 10k, PostgreSQL 10k and
#                          100k (the 100k seed takes minutes; later runs reuse the databases); writes
#                          bench/results.md. make bench-quick: the 10k ones only. BENCH_ARGS="--reseed" etc.
#   make load              load test (bench/README.md): gunicorn + PostgreSQL at N = 100,000, 50 staff and 5
#                          leaders for 3 minutes driven by locust (the `bench` extra); writes bench/results.md,
#                          fails when a target is missed. LOAD_ARGS="--run-time 60 --no-write" etc.
#   make crawl             walk the running app (start `make run` first) in Chromium at 375 px with the
#                          demo liaison-office login; screenshots and crawl.json go to crawl-shots/.
#                          Override: make crawl CRAWL_BASE=http://127.0.0.1:8000 CRAWL_USER=... CRAWL_PASSWORD=...

VENV := .venv/bin
PYTHON := $(VENV)/python
ARGS ?=
BENCH_ARGS ?=
LOAD_ARGS ?=
SQLITE_URL := sqlite:///$(CURDIR)/db.sqlite3
PG_URL := postgres://postgres@127.0.0.1:5432/kexie
# The ORM and Playwright's event loop share the test process (docs/design.md): allowed for pytest only.
PYTEST := DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTHON) -m pytest

CRAWL_BASE ?= http://127.0.0.1:8000
# The demo liaison-office login that `manage.py seed_demo` prints (README: every demo password is kexie2026).
CRAWL_USER ?= liuxiaodong
CRAWL_PASSWORD ?= kexie2026
CRAWL_OUT ?= crawl-shots

.PHONY: install run test test-sqlite test-pg lint fmt migrations-check seed crawl bench bench-quick load

install:
	scripts/setup.sh

run:
	scripts/run.sh

test:
	scripts/test.sh

test-sqlite:
	DATABASE_URL=$(SQLITE_URL) $(PYTEST) $(ARGS)

test-pg:
	scripts/pg.sh
	DATABASE_URL=$(PG_URL) $(PYTEST) $(ARGS)

lint:
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

fmt:
	$(VENV)/ruff check --fix .
	$(VENV)/ruff format .

migrations-check:
	$(PYTHON) manage.py makemigrations --check --dry-run

seed:
	$(PYTHON) manage.py seed_demo

crawl:
	$(PYTHON) scripts/crawl.py --base $(CRAWL_BASE) --user $(CRAWL_USER) \
		--password $(CRAWL_PASSWORD) --out $(CRAWL_OUT)

bench:
	$(PYTHON) bench/run.py $(BENCH_ARGS)

bench-quick:
	$(PYTHON) bench/run.py --quick $(BENCH_ARGS)

load:
	$(PYTHON) -c 'import locust' 2>/dev/null || $(VENV)/pip install -q -e ".[dev,bench]"
	$(PYTHON) bench/load.py $(LOAD_ARGS)
