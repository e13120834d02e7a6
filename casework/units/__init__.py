"""Units (CPS Areas and central casework divisions) and other reference data."""
