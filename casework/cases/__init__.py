"""Cases, defendants, charges, hearings, outcomes and sentences."""
