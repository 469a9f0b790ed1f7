"""Readers for corpus files and the spaCy components that extract methods, datasets and phase structures."""
