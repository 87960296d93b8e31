"""diff: compare two manifests, classify each change, gate the SemVer bump."""
