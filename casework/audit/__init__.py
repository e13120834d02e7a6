"""The append-only audit log (DESIGN.md convention 9; DPA 2018 s.62)."""
