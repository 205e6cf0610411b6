"""Channel-neutral conversation core: safety net, Rasa relay, reply objects."""
