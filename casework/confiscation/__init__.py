"""POCA 2002 Part 2: restraint, the confiscation timetable, orders, payments and enforcement."""
