"""Texts and their keys: taxonomy, data model, corpus, facts, validation, authoring."""
