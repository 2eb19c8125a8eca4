"""Staff pages of the measures app, one module per area (weaknesses, measures, progress,
constraints, memos). Each view: access lookup → form → one domain call → Thai message → redirect."""
