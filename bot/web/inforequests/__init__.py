"""Web pages of the information requests (bot/web holds its maximum of modules, so a subpackage)."""
