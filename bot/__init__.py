"""Participa: the open-government bot of Estado de México.

Keep this module free of imports: the Rasa environment (Python 3.10) imports
``bot.textnorm`` and must not pull in the application's dependencies.
"""

__version__ = "0.1.0"
