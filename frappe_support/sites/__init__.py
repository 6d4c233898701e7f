"""Customer sites: `probe` (versions and health, asked of the site) and `heartbeat` (a connector gone silent)."""
