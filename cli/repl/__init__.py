"""The interactive REPL: a prompt_toolkit session over `search.Engine` (`bahth` / `bahth repl`)."""
