"""Loading and checking ``content/``: FAQ, chat texts, hotlines, municipalities (domains add checks)."""
