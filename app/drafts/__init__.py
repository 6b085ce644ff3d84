"""Regulation drafts: structure, co-editing, history, suggestions, the public-input register, exports."""
