"""What the queueing app adds to the shell: navigation, home panels, demo data."""
