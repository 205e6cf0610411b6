"""Participa: an open-government bot (the state it serves is in content/place.yml).

Keep this module free of imports: the Rasa environment (Python 3.10) imports
``bot.textnorm`` and must not pull in the application's dependencies.
"""

__version__ = "0.1.0"
