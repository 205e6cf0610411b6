"""Citizens' proposals: intake, review, groups, commitments, statistics; ``participa review``."""
