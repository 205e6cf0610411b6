"""Domain services shared by the bot, the actions, the web app and the CLI."""
