"""Information requests: the bodies to ask, a drafted request and where to file it (issue 17)."""
