"""Exact assertions that kill mutants of the policy rules and the gate (see docs/MUTATION.md)."""
