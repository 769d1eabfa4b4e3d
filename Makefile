# One command for everything CI checks: `make check`.
.PHONY: check test lint types bench

check: lint types test

test:
	python -m pytest -n 2

lint:
	ruff check leadctl tests bench
	ruff format --check leadctl tests bench

types:
	mypy leadctl

bench:
	python bench/run.py
