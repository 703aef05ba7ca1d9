"""The small embedded lists the demo company is drawn from.

Everything here must be representable in Windows-1252, because ``customers.csv`` is written in
that encoding (as Excel on a German Windows does). A test checks it.
"""

from __future__ import annotations

BUSINESS_UNITS = ("Werkzeugmaschinen", "Messtechnik", "Service & Teile")
#: Share of customers whose home business unit is each of the above.
BUSINESS_UNIT_SHARES = (0.50, 0.32, 0.18)

INDUSTRIES = (
    "Automobilzulieferer",
    "Maschinenbau",
    "Medizintechnik",
    "Luft- und Raumfahrt",
    "Elektrotechnik",
    "Metallverarbeitung",
    "Kunststofftechnik",
    "Energietechnik",
    "Werkzeug- und Formenbau",
    "Feinmechanik und Optik",
    "Lohnfertigung",
    "Hochschule und Forschung",
)
INDUSTRY_SHARES = (0.18, 0.17, 0.07, 0.04, 0.08, 0.14, 0.06, 0.05, 0.07, 0.04, 0.08, 0.02)

# (country, postal code, city, weight). Real postal codes of the city centres.
PLACES: tuple[tuple[str, str, str, float], ...] = (
    ("DE", "01067", "Dresden", 3),
    ("DE", "04109", "Leipzig", 3),
    ("DE", "07743", "Jena", 2),
    ("DE", "09111", "Chemnitz", 3),
    ("DE", "10115", "Berlin", 6),
    ("DE", "14467", "Potsdam", 1),
    ("DE", "18055", "Rostock", 1),
    ("DE", "20095", "Hamburg", 5),
    ("DE", "24103", "Kiel", 1),
    ("DE", "28195", "Bremen", 2),
    ("DE", "30159", "Hannover", 4),
    ("DE", "33602", "Bielefeld", 4),
    ("DE", "34117", "Kassel", 2),
    ("DE", "38100", "Braunschweig", 3),
    ("DE", "40213", "Düsseldorf", 4),
    ("DE", "42103", "Wuppertal", 3),
    ("DE", "42651", "Solingen", 2),
    ("DE", "44135", "Dortmund", 4),
    ("DE", "45127", "Essen", 4),
    ("DE", "46045", "Oberhausen", 1),
    ("DE", "48143", "Münster", 2),
    ("DE", "49074", "Osnabrück", 2),
    ("DE", "50667", "Köln", 5),
    ("DE", "52062", "Aachen", 2),
    ("DE", "57072", "Siegen", 3),
    ("DE", "58095", "Hagen", 2),
    ("DE", "59065", "Hamm", 1),
    ("DE", "60311", "Frankfurt am Main", 4),
    ("DE", "63065", "Offenbach am Main", 2),
    ("DE", "64283", "Darmstadt", 2),
    ("DE", "66111", "Saarbrücken", 2),
    ("DE", "67059", "Ludwigshafen am Rhein", 2),
    ("DE", "68159", "Mannheim", 3),
    ("DE", "69117", "Heidelberg", 2),
    ("DE", "70173", "Stuttgart", 7),
    ("DE", "71032", "Böblingen", 3),
    ("DE", "71638", "Ludwigsburg", 3),
    ("DE", "72070", "Tübingen", 2),
    ("DE", "72764", "Reutlingen", 3),
    ("DE", "73430", "Aalen", 3),
    ("DE", "73728", "Esslingen am Neckar", 3),
    ("DE", "74072", "Heilbronn", 3),
    ("DE", "75175", "Pforzheim", 3),
    ("DE", "76133", "Karlsruhe", 3),
    ("DE", "78050", "Villingen-Schwenningen", 3),
    ("DE", "78532", "Tuttlingen", 3),
    ("DE", "79098", "Freiburg im Breisgau", 2),
    ("DE", "80331", "München", 6),
    ("DE", "83022", "Rosenheim", 2),
    ("DE", "84028", "Landshut", 2),
    ("DE", "85049", "Ingolstadt", 3),
    ("DE", "86150", "Augsburg", 3),
    ("DE", "87435", "Kempten (Allgäu)", 2),
    ("DE", "88212", "Ravensburg", 2),
    ("DE", "89073", "Ulm", 3),
    ("DE", "90402", "Nürnberg", 5),
    ("DE", "91052", "Erlangen", 3),
    ("DE", "93047", "Regensburg", 3),
    ("DE", "95444", "Bayreuth", 1),
    ("DE", "97070", "Würzburg", 2),
    ("DE", "98527", "Suhl", 1),
    ("DE", "99084", "Erfurt", 2),
    ("AT", "1010", "Wien", 4),
    ("AT", "4020", "Linz", 3),
    ("AT", "5020", "Salzburg", 1.5),
    ("AT", "6020", "Innsbruck", 1),
    ("AT", "8010", "Graz", 2.5),
    ("AT", "6850", "Dornbirn", 1),
    ("AT", "9020", "Klagenfurt am Wörthersee", 1),
    ("CH", "8001", "Zürich", 3),
    ("CH", "4051", "Basel", 2),
    ("CH", "3011", "Bern", 1),
    ("CH", "9000", "St. Gallen", 1.5),
    ("CH", "6003", "Luzern", 1),
    ("CH", "8400", "Winterthur", 1.5),
    ("CH", "2502", "Biel/Bienne", 1),
)

SURNAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
    "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann",
    "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid",
    "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
    "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
    "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
    "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
    "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
    "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn",
    "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt",
    "Sauer", "Arnold", "Wolff", "Pfeiffer",
)  # fmt: skip

FIRST_NAMES = (
    "Andreas", "Anna", "Bernd", "Birgit", "Christian", "Claudia", "Daniel", "Doris",
    "Frank", "Gabriele", "Jürgen", "Katrin", "Klaus", "Martina", "Michael", "Monika",
    "Markus", "Nicole", "Peter", "Petra", "Ralf", "Sabine", "Stefan", "Susanne",
    "Thomas", "Ute", "Uwe", "Jörg", "Sören", "Jens",
)  # fmt: skip

#: Trade words for company names ("Müller Präzisionstechnik GmbH").
TRADES = (
    "Präzisionstechnik", "Maschinenbau", "Metallbau", "Feinwerktechnik", "Zerspanungstechnik",
    "Drehteile", "Formenbau", "Werkzeugbau", "Antriebstechnik", "Medizintechnik",
    "Gerätebau", "Fahrzeugteile", "Kunststofftechnik", "Industrietechnik", "Blechbearbeitung",
    "Hydraulik", "Elektronik", "Anlagenbau", "Fertigungstechnik", "Oberflächentechnik",
    "Lohnfertigung", "Messgeräte", "Getriebebau", "Stahlbau",
)  # fmt: skip
LEGAL_FORMS = ("GmbH", "GmbH & Co. KG", "KG", "AG", "e.K.", "OHG", "GmbH", "GmbH & Co. KG")
#: Legal forms used in Austria and Switzerland instead of the German ones.
LEGAL_FORMS_AT = ("GmbH", "GesmbH", "KG", "AG")
LEGAL_FORMS_CH = ("AG", "GmbH", "SA", "AG")

SERVICE_TECHNICIANS = (
    "Tobias Kern", "Lukas Brenner", "Sebastian Hölzl", "Florian Maurer", "Dominik Rapp",
    "Matthias Eder", "Kevin Strauß", "Patrick Ott", "Marco Stöckl", "Benedikt Kraft",
    "Jan Reiter", "Timo Schäfer", "Erik Lindner", "Felix Gruber", "Niklas Bühler",
    "Oliver Späth",
)  # fmt: skip
SUPPORT_STAFF = (
    "Service-Hotline", "Lena Hartl", "Julia Brückner", "Sarah Kübler", "Tanja Rössler",
    "Melanie Fink",
)  # fmt: skip

# (category, product code, model or article text, list price in EUR) per business unit.
MACHINES = (
    ("Werkzeugmaschinen", "BZ500", "Bearbeitungszentrum BZ 500", 185_000.0),
    ("Werkzeugmaschinen", "BZ800", "Bearbeitungszentrum BZ 800", 320_000.0),
    ("Werkzeugmaschinen", "BZ1250", "5-Achs-Bearbeitungszentrum BZ 1250", 590_000.0),
    ("Werkzeugmaschinen", "DZ300", "Drehzentrum DZ 300", 140_000.0),
    ("Werkzeugmaschinen", "DZ650", "Dreh-Fräszentrum DZ 650", 260_000.0),
    ("Messtechnik", "KMG700", "Koordinatenmessgerät KMG 700", 95_000.0),
    ("Messtechnik", "KMG1200", "Koordinatenmessgerät KMG 1200", 165_000.0),
    ("Messtechnik", "OPT3D", "Optischer 3D-Scanner OPT 3D", 68_000.0),
    ("Messtechnik", "FMG200", "Formmessgerät FMG 200", 54_000.0),
)
#: Typical unit price per category; a line is this times a log-normal factor.
CATEGORY_PRODUCTS = {
    "service": (
        ("S-WART", 1_450.0), ("S-REP", 980.0), ("S-KAL", 720.0), ("S-INB", 2_600.0),
        ("S-FAHRT", 180.0), ("S-SCHUL", 1_900.0), ("S-FERN", 240.0),
    ),
    "parts": (
        ("T-SPINDEL", 4_800.0), ("T-KUGELG", 1_350.0), ("T-TASTER", 890.0), ("T-DICHT", 95.0),
        ("T-FILTER", 140.0), ("T-PLATINE", 1_150.0), ("T-MOTOR", 1_900.0), ("T-LAGER", 310.0),
    ),
    "consumables": (
        ("V-KSS", 210.0), ("V-OEL", 160.0), ("V-TASTK", 85.0), ("V-SCHMIER", 45.0),
        ("V-WSP", 320.0), ("V-REIN", 60.0),
    ),
    "other": (("X-FRACHT", 95.0), ("X-VERP", 40.0), ("X-DOKU", 150.0), ("X-SOFT", 1_200.0)),
}  # fmt: skip
#: Gross margin (margin I) per category: cost of goods = amount * (1 - margin).
CATEGORY_MARGINS = {
    "machine": 0.27,
    "service": 0.52,
    "parts": 0.48,
    "consumables": 0.34,
    "other": 0.18,
}

ACTIVITY_TEXTS = {
    "visit": (
        "Besuch beim Kunden, Jahresgespräch", "Besuch: Vorstellung neuer Maschinengeneration",
        "Besuch mit Anwendungstechnik", "Vor-Ort-Termin Fertigungsplanung",
        "Besuch zur Angebotsbesprechung",
    ),
    "call": (
        "Telefonat Rückfrage Angebot", "Anruf wegen Liefertermin", "Telefonat Kundenbetreuung",
        "Rückruf zu Preisanfrage", "Anruf: Frage zur Bedienung",
    ),
    "ticket": (
        "Störung Spindel, Fernanalyse", "Fehlermeldung Steuerung", "Messabweichung gemeldet",
        "Software-Update erbeten", "Frage zu Ersatzteil", "Achse fährt nicht in Referenz",
    ),
    "service": (
        "Wartung nach Plan", "Reparatur vor Ort", "Kalibrierung mit Protokoll",
        "Inbetriebnahme", "Austausch Verschleißteile",
    ),
    "goodwill": (
        "Kulanzreparatur außerhalb der Gewährleistung", "Kostenlose Nachschulung",
        "Kulanz: Ersatzteil ohne Berechnung", "Kostenloser Zusatzeinsatz Techniker",
        "Kulanz nach Reklamation",
    ),
    "event": (
        "Hausmesse", "Anwendertreffen", "Kundenseminar Messtechnik", "Werksbesichtigung",
    ),
    "newsletter": ("Newsletter Quartal", "Mailing Serviceaktion", "Kundenmagazin Print"),
    "other": ("Angebot erstellt", "Muster gefertigt", "Reklamation bearbeitet"),
}  # fmt: skip

RATING_COMMENTS = (
    "Einschätzung aus dem Jahresgespräch", "Neuer Einkaufsleiter, abwarten",
    "Wettbewerber sehr aktiv", "Investitionsplanung für nächstes Jahr angekündigt",
    "Sehr gute Beziehung zur Geschäftsführung", "Budget gekürzt", "Referenzbesuch möglich",
    "Werk wird erweitert",
)  # fmt: skip

SURVEY_WHY_CHOSEN = (
    "Präzision der Maschinen", "Guter Service vor Ort", "Empfehlung eines Geschäftspartners",
    "Kurze Lieferzeit", "Preis-Leistungs-Verhältnis", "Persönliche Betreuung",
    "Kompetente Anwendungsberatung", "Nähe zum Standort",
)  # fmt: skip
SURVEY_HESITATION = (
    "Hoher Anschaffungspreis", "Unbekannter Hersteller", "Sorge um Ersatzteilversorgung",
    "Lange Lieferzeit", "Keine", "Umstellung der Programmierung", "Bisheriger Lieferant",
)  # fmt: skip
SURVEY_WOULD_MISS = (
    "Die schnelle Hotline", "Den festen Ansprechpartner", "Die jährliche Wartung",
    "Die Schulungen", "Die Ersatzteilverfügbarkeit", "Die Fernwartung", "Nichts Bestimmtes",
)  # fmt: skip
SURVEY_RECOMMEND_TO = (
    "Anderen Zulieferern", "Kollegen im Verband", "Unserer Schwesterfirma",
    "Lohnfertigern in der Region", "Niemandem", "Kunden aus der Medizintechnik",
)  # fmt: skip
SURVEY_COMMENTS = (
    "Weiter so!", "Reaktionszeit im Service verbessern", "Preise sind zuletzt stark gestiegen",
    "Techniker sehr kompetent", "Rechnungen bitte elektronisch", "Mehr Schulungsangebote",
    "Ersatzteile zu teuer",
)  # fmt: skip
