"""drafts: import a manifest as action drafts, the store, the lifecycle, render."""
