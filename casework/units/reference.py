"""Reference data created by the first migration: CPS Areas, central divisions, crime types.

Source: CPS structure (14 geographical Areas plus central casework divisions), DOMAIN.md 3.3.
"""

AREAS = [
    ("cymru_wales", "CPS Cymru-Wales"),
    ("east_midlands", "CPS East Midlands"),
    ("east_of_england", "CPS East of England"),
    ("london_north", "CPS London North"),
    ("london_south", "CPS London South"),
    ("mersey_cheshire", "CPS Mersey-Cheshire"),
    ("north_east", "CPS North East"),
    ("north_west", "CPS North West"),
    ("south_east", "CPS South East"),
    ("south_west", "CPS South West"),
    ("thames_chiltern", "CPS Thames and Chiltern"),
    ("wessex", "CPS Wessex"),
    ("west_midlands", "CPS West Midlands"),
    ("yorkshire_humberside", "CPS Yorkshire and Humberside"),
]

DIVISIONS = [
    ("ocd", "Organised Crime Division"),
    ("sfd", "Specialist Fraud Division"),
    ("intl", "International Division"),
    ("pocd", "Proceeds of Crime Division"),
    ("scctd", "Special Crime and Counter Terrorism Division"),
]

CRIME_TYPES = [
    ("drugs", "Drugs supply and importation"),
    ("firearms", "Firearms"),
    ("immigration", "Organised immigration crime"),
    ("trafficking", "Modern slavery and human trafficking"),
    ("cse", "Child sexual exploitation and abuse"),
    ("cyber", "Cyber crime"),
    ("money_laundering", "Money laundering"),
    ("fraud", "Fraud"),
    ("bribery_corruption", "Bribery and corruption"),
    ("acquisitive", "Organised acquisitive crime"),
    ("other", "Other organised crime"),
]
