"""The model every capability shares: findings, errors, the manifest, limits, escaping."""
