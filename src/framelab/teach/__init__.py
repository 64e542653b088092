"""Teaching: the tagger widget, lesson helpers and plots that notebooks call."""
