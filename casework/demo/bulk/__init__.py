"""Bulk demo data: the ``national-10y`` and ``stress-10x`` profiles.

The ``small`` profile goes through the services one record at a time; these profiles are far too
big for that, so they are generated in memory from one seeded ``random.Random`` and written in
large batches (``COPY`` on PostgreSQL, ``executemany`` on SQLite) with ids assigned here. The
rules the services apply (stages, order durations, default terms, alert keys) are applied by
calling the same pure rule functions.
"""
