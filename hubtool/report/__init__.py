"""Reporters: a Report, a diff result or a draft outcome as text, JSON, SARIF, ..."""
