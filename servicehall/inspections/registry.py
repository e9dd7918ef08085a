"""What the inspections app adds to the shell: navigation, home panels, demo data."""
