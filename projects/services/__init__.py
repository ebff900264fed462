"""Writes and domain actions of the projects app, one module per subject."""
