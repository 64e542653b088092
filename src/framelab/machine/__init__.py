"""Machine help: suggestions for a text and their evaluation against the keys."""
