"""bahth's bottom layer: Arabic analysis and the indexer. Knows nothing of search or the CLI."""
