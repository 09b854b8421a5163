"""The explorer: one self-contained HTML page to play with the optimizers."""
