"""upstream: the provider's OpenAPI spec; the contract check and scaffold."""
