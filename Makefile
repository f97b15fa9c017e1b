# The two commands a fresh machine needs. Each installs what it needs first.
.PHONY: book test
book:  ## build the HTML book, every lab executed on the local models
	bash scripts/book.sh
test:  ## lint and run every test
	bash scripts/test.sh
