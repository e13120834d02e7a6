"""Monthly and quarterly performance reports: conviction rate, confiscation, ancillary orders."""
