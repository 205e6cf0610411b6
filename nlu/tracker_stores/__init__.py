"""Tracker stores that run inside the Rasa server (Python 3.10)."""
