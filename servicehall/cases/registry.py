"""What the cases app adds to the shell: navigation, home panels, demo data."""
