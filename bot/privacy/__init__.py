"""Privacy: notice, consents, seeing and deleting one's data (domains register providers), retention."""
