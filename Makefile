# Everything goes through dev.py so that a machine with only Python can run it.
.PHONY: demo test lint bench fuzz

demo:
	python3 dev.py demo

test:
	python3 dev.py test

lint:
	python3 dev.py lint

bench:
	python3 dev.py bench

# The full schemathesis run against the published OpenAPI (TEARLINE_FUZZ_EXAMPLES=300).
fuzz:
	python3 dev.py fuzz
