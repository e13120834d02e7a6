"""The ancillary-order register: SCPO, TRO, FRO, SHPO, STPO, director disqualification."""
