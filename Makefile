# Everything goes through dev.py so that a machine with only Python can run it.
.PHONY: demo test lint bench

demo:
	python3 dev.py demo

test:
	python3 dev.py test

lint:
	python3 dev.py lint

bench:
	python3 dev.py bench
