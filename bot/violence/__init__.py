"""Violence against women: the directory of attention centres and the nearest-centre search."""
