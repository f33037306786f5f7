"""bahth's query API: parse, rank, highlight, suggest, evaluate."""
