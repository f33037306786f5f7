"""The `bahth` command and the REPL: thin, over `search` and `index`."""
