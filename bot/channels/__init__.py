"""Channels render the core's replies: Telegram (PTB) and the terminal."""
