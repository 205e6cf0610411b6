"""Rasa around the bot: server supervisor, training, NLU build, tracker scrubbing.

Standard library only at import time: the Rasa image imports ``bot.rasa.tracker_scrub``.
"""
