"""Numbered SQL migrations, one file per stage's tables: 0001 core documents, 0002 embeddings, 0003 topics, 0004
signals and forecasts, 0005 catalog editions, 0006 web accounts and submissions, 0007 matchmaking vectors, 0017 topic names and the
labeller cache."""
