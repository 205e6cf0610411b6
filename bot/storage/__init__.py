"""The only way to the database: models, sessions and migrations."""
