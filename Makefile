# One command for everything CI checks: `make check`.
.PHONY: check test test-fast lint types bench docs catalog

check: lint types test

test:
	python -m pytest -n 2

# everything but the long end-to-end checks marked `slow` (concurrency, crashes)
test-fast:
	python -m pytest -n 2 -m "not slow"

lint:
	ruff check leadctl tests bench
	ruff format --check leadctl tests bench

types:
	mypy leadctl

bench:
	python bench/run.py

# README's command table and docs/cli.md, from the app's own --help (tests/cli/test_docs.py checks)
docs:
	cog -r README.md docs/cli.md

# the Chinese catalog: extract, update, compile with Babel (docs/i18n.md; tests/unit/test_catalog.py checks)
catalog:
	bash tools/catalog.sh
