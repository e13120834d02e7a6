"""What realistic organised-crime cases look like: offences with their statutes per crime type,
courts per unit, investigating agencies and operation names. Plain data, no database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offence:
    offence: str
    statute: str
    section: str
    category: str  # OffenceCategory value (CPS principal offence category)
    custody_months: tuple[int, int]  # typical sentence range on conviction


CONSPIRACY = ("Criminal Law Act 1977", "s.1")
DRUGS = "drugs_offences"
OTHER = "all_other_offences"

OFFENCES: dict[str, tuple[Offence, ...]] = {
    "drugs": (
        Offence("Conspiracy to supply a controlled drug of Class A", *CONSPIRACY, DRUGS, (72, 216)),
        Offence("Being concerned in the supply of a controlled drug of Class A",
                "Misuse of Drugs Act 1971", "s.4(3)(b)", DRUGS, (48, 144)),
        Offence("Being concerned in the fraudulent evasion of the prohibition on importation of a "
                "controlled drug", "Customs and Excise Management Act 1979", "s.170(2)", DRUGS,
                (96, 240)),
        Offence("Possession of a controlled drug of Class B with intent to supply",
                "Misuse of Drugs Act 1971", "s.5(3)", DRUGS, (24, 72)),
    ),
    "firearms": (
        Offence("Possession of a prohibited firearm", "Firearms Act 1968", "s.5(1)(aba)",
                OTHER, (60, 120)),
        Offence("Possession of a firearm with intent to endanger life", "Firearms Act 1968", "s.16",
                "offences_against_the_person", (96, 192)),
        Offence("Conspiracy to transfer prohibited weapons", *CONSPIRACY, OTHER, (84, 180)),
    ),
    "immigration": (
        Offence("Assisting unlawful immigration to a member State", "Immigration Act 1971", "s.25",
                OTHER, (36, 120)),
        Offence("Conspiracy to facilitate a breach of immigration law", *CONSPIRACY, OTHER, (48, 144)),
    ),
    "trafficking": (
        Offence("Human trafficking", "Modern Slavery Act 2015", "s.2", OTHER, (60, 180)),
        Offence("Holding a person in slavery or servitude", "Modern Slavery Act 2015", "s.1",
                OTHER, (48, 150)),
    ),
    "cse": (
        Offence("Arranging or facilitating the commission of a child sex offence",
                "Sexual Offences Act 2003", "s.14", "sexual_offences", (36, 120)),
        Offence("Causing or inciting child sexual exploitation", "Sexual Offences Act 2003", "s.48",
                "sexual_offences", (48, 144)),
    ),
    "cyber": (
        Offence("Unauthorised access to computer material", "Computer Misuse Act 1990", "s.1",
                OTHER, (12, 36)),
        Offence("Unauthorised acts with intent to impair operation of a computer",
                "Computer Misuse Act 1990", "s.3", OTHER, (24, 84)),
        Offence("Making or supplying articles for use in fraud", "Fraud Act 2006", "s.7",
                "fraud_and_forgery", (18, 60)),
    ),
    "money_laundering": (
        Offence("Concealing criminal property", "Proceeds of Crime Act 2002", "s.327",
                OTHER, (24, 96)),
        Offence("Entering into a money laundering arrangement", "Proceeds of Crime Act 2002", "s.328",
                OTHER, (24, 84)),
        Offence("Conspiracy to convert criminal property", *CONSPIRACY, OTHER, (36, 120)),
    ),
    "fraud": (
        Offence("Fraud by false representation", "Fraud Act 2006", "s.1", "fraud_and_forgery", (18, 96)),
        Offence("Fraud by abuse of position", "Fraud Act 2006", "s.4", "fraud_and_forgery", (24, 84)),
        Offence("Conspiracy to defraud", "Criminal Justice Act 1987", "s.12", "fraud_and_forgery",
                (36, 120)),
    ),
    "bribery_corruption": (
        Offence("Bribing another person", "Bribery Act 2010", "s.1", OTHER, (24, 84)),
        Offence("Bribery of a foreign public official", "Bribery Act 2010", "s.6", OTHER, (30, 96)),
    ),
    "acquisitive": (
        Offence("Conspiracy to commit burglary", *CONSPIRACY, "burglary", (36, 108)),
        Offence("Handling stolen goods", "Theft Act 1968", "s.22", "theft_and_handling", (12, 60)),
        Offence("Robbery", "Theft Act 1968", "s.8", "robbery", (48, 144)),
    ),
}

#: Crime types each kind of unit mostly prosecutes (weights).
CRIME_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "ocd": (("drugs", 6), ("firearms", 2), ("immigration", 2), ("trafficking", 2),
            ("money_laundering", 3), ("cyber", 1), ("cse", 1)),
    "sfd": (("fraud", 6), ("money_laundering", 3), ("bribery_corruption", 2), ("cyber", 1)),
    "intl": (("drugs", 3), ("trafficking", 2), ("immigration", 2), ("bribery_corruption", 1)),
    "area": (("drugs", 6), ("firearms", 2), ("acquisitive", 2), ("trafficking", 1),
             ("money_laundering", 2), ("fraud", 1), ("cse", 1)),
}

#: (Crown Court, magistrates' court) pairs by unit; central divisions sit in London.
COURTS: dict[str, tuple[tuple[str, str], ...]] = {
    "london": (("Southwark Crown Court", "Westminster Magistrates' Court"),
               ("Woolwich Crown Court", "Bromley Magistrates' Court"),
               ("Snaresbrook Crown Court", "Thames Magistrates' Court"),
               ("Central Criminal Court", "City of London Magistrates' Court"),
               ("Kingston-upon-Thames Crown Court", "Wimbledon Magistrates' Court")),
    "north_west": (("Manchester Crown Court (Minshull Street)", "Manchester and Salford Magistrates' Court"),
                   ("Preston Crown Court", "Preston Magistrates' Court"),
                   ("Bolton Crown Court", "Bolton Magistrates' Court")),
    "mersey_cheshire": (("Liverpool Crown Court", "Liverpool and Knowsley Magistrates' Court"),
                        ("Chester Crown Court", "Chester Magistrates' Court")),
    "west_midlands": (("Birmingham Crown Court", "Birmingham Magistrates' Court"),
                      ("Wolverhampton Crown Court", "Wolverhampton Magistrates' Court")),
    "yorkshire_humberside": (("Leeds Crown Court", "Leeds Magistrates' Court"),
                             ("Sheffield Crown Court", "Sheffield Magistrates' Court"),
                             ("Hull Crown Court", "Hull Magistrates' Court")),
}

#: Investigating agencies (casework.cases.rules.Agency codes) and their weights per unit.
AGENCIES: dict[str, tuple[tuple[str, int], ...]] = {
    "ocd": (("nca", 5), ("rocu", 3), ("police", 2), ("immigration_enforcement", 1)),
    "sfd": (("police", 3), ("hmrc", 3), ("sfo", 1), ("nca", 1)),
    "intl": (("nca", 3), ("immigration_enforcement", 2)),
    "area": (("police", 6), ("rocu", 3), ("nca", 1), ("hmrc", 1)),
}

#: Operation names (single words, as police forces choose them).
OPERATIONS = (
    "Kestrel", "Harrier", "Bluebell", "Granite", "Tamarisk", "Venetic", "Lancet", "Orchid",
    "Pennant", "Thistle", "Hawthorn", "Marlin", "Juniper", "Cobalt", "Saffron", "Halyard",
    "Brindle", "Corvid", "Fennel", "Gantry", "Larch", "Mistral", "Osprey", "Quarry", "Redshank",
    "Sextant", "Tundra", "Umber", "Vireo", "Wharf", "Yarrow", "Zephyr", "Anvil", "Bracken",
    "Cairn", "Dunlin", "Egret", "Flint", "Gorse", "Heron", "Ibex", "Jackdaw", "Kingfisher",
    "Lapwing", "Merlin", "Nightjar", "Oriel", "Plover", "Rook", "Skylark", "Teal", "Wren",
)

#: CPS URN force codes (the first two digits of a URN) used for the demo's units.
FORCE_CODES = {
    "ocd": "01", "sfd": "48", "intl": "01", "london_north": "01", "london_south": "01",
    "north_west": "06", "mersey_cheshire": "05", "west_midlands": "20", "yorkshire_humberside": "13",
}


def courts_for(unit_code: str) -> tuple[tuple[str, str], ...]:
    return COURTS.get(unit_code, COURTS["london"])


def agencies_for(unit_code: str) -> tuple[tuple[str, int], ...]:
    return AGENCIES.get(unit_code, AGENCIES["area"])


def crime_mix_for(unit_code: str) -> tuple[tuple[str, int], ...]:
    return CRIME_MIX.get(unit_code, CRIME_MIX["area"])
