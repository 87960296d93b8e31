"""ci: the hub repository's gate on pull requests (validate + diff, base-branch policy)."""
