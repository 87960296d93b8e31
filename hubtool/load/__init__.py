"""Reading input: strict JSON with a position for every JSON pointer."""
