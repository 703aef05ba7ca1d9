"""Reasons for rejected rows and import messages, German and English."""

from __future__ import annotations

from kundenwert.i18n import Catalogue

REASONS: Catalogue = {
    "field_count": {
        "de": "Zeile hat {found} statt {expected} Felder (Trennzeichen oder Anführungszeichen?)",
        "en": "row has {found} fields instead of {expected} (delimiter or quotes?)",
    },
    "missing": {"de": "{field}: Pflichtfeld ist leer", "en": "{field}: required value is empty"},
    "missing_computed": {
        "de": "{field}: berechneter Wert ist leer (Felder leer oder keine Zahl?), siehe {setting}",
        "en": "{field}: computed value is empty (fields empty or not numbers?), see {setting}",
    },
    "invalid_decimal": {
        "de": "{field}: kein gültiger Betrag: '{value}'",
        "en": "{field}: not a valid amount: '{value}'",
    },
    "invalid_number": {
        "de": "{field}: keine gültige Zahl: '{value}'",
        "en": "{field}: not a valid number: '{value}'",
    },
    "invalid_integer": {
        "de": "{field}: keine ganze Zahl: '{value}'",
        "en": "{field}: not a whole number: '{value}'",
    },
    "invalid_date": {
        "de": "{field}: kein gültiges Datum (z. B. 31.12.2025): '{value}'",
        "en": "{field}: not a valid date (e.g. 2025-12-31): '{value}'",
    },
    "invalid_timestamp": {
        "de": "{field}: kein gültiger Zeitpunkt (z. B. 31.12.2025 14:30): '{value}'",
        "en": "{field}: not a valid date and time (e.g. 2025-12-31 14:30): '{value}'",
    },
    "invalid_boolean": {
        "de": "{field}: kein Ja/Nein-Wert: '{value}'",
        "en": "{field}: not a yes/no value: '{value}'",
    },
    "invalid_string": {
        "de": "{field}: kein gültiger Text: '{value}'",
        "en": "{field}: not valid text: '{value}'",
    },
    "date_out_of_range": {
        "de": "{field}: Datum außerhalb 1900–2099: '{value}'",
        "en": "{field}: date outside 1900–2099: '{value}'",
    },
    "below_minimum": {
        "de": "{field}: Wert {value} ist kleiner als {minimum}",
        "en": "{field}: value {value} is less than {minimum}",
    },
    "above_maximum": {
        "de": "{field}: Wert {value} ist größer als {maximum}",
        "en": "{field}: value {value} is greater than {maximum}",
    },
    "not_allowed": {
        "de": "{field}: unbekannter Wert '{value}'; erlaubt: {choices}",
        "en": "{field}: unknown value '{value}'; allowed: {choices}",
    },
    "unknown_reference": {
        "de": "{field}: '{value}' fehlt in {table}",
        "en": "{field}: '{value}' does not exist in {table}",
    },
    "duplicate_key": {
        "de": "{field}: Schlüssel '{value}' doppelt in der Datei; gespeichert wurde Zeile {first}",
        "en": "{field}: key '{value}' occurs twice in the file; row {first} was stored",
    },
    "erased_contact": {
        "de": "{field}: diese Person wurde gelöscht (DSGVO Art. 17) und wird nicht wieder "
        "aufgenommen; löschen Sie sie auch im CRM",
        "en": "{field}: this person was erased (GDPR article 17) and is not taken in again; "
        "erase them in the CRM too",
    },
    "responded_before_requested": {
        "de": "responded_at: Reaktion '{value}' liegt vor der Anfrage",
        "en": "responded_at: response '{value}' is before the request",
    },
}

TEXT: Catalogue = {
    "missing_columns": {
        "de": "{file}: Pflichtspalte(n) fehlen für {table}: {columns}. "
        "Spalten der Datei: {headers}.",
        "en": "{file}: required column(s) missing for {table}: {columns}. Columns in the file: "
        "{headers}.",
    },
    "mapping_hint": {
        "de": "Ordnen Sie die Spalten in kundenwert.toml zu, zum Beispiel:\n{toml}",
        "en": "Map the columns in kundenwert.toml, for example:\n{toml}",
    },
    "mapping_hint_none": {
        "de": "Ordnen Sie die Spalten in kundenwert.toml unter [import.tables.{table}.columns] zu "
        '(unser Name = "Überschrift in Ihrer Datei"); docs/data-format.md nennt alle Spalten.',
        "en": "Map the columns in kundenwert.toml under [import.tables.{table}.columns] "
        '(our name = "header in your file"); docs/data-format.md lists every column.',
    },
    "mapped_header_absent": {
        "de": "{file}: kundenwert.toml ordnet {column} der Spalte '{header}' zu, die Datei hat "
        "keine solche Spalte. Spalten der Datei: {headers}.",
        "en": "{file}: kundenwert.toml maps {column} to '{header}', but the file has no such "
        "column. Columns in the file: {headers}.",
    },
    "derived_header_absent": {
        "de": "{file}: {setting} liest die Spalte '{header}', die Datei hat keine solche "
        "Spalte. Spalten der Datei: {headers}.",
        "en": "{file}: {setting} reads the column '{header}', but the file has no such column. "
        "Columns in the file: {headers}.",
    },
    "derived_hint": {
        "de": "Korrigieren Sie den Spaltennamen in [import.tables.{table}] der kundenwert.toml "
        "(Namen mit Leerzeichen oder Großbuchstaben in doppelten Anführungszeichen).",
        "en": "Correct the column name in [import.tables.{table}] of kundenwert.toml (names "
        "with blanks or capitals in double quotes).",
    },
    "derived_invalid": {
        "de": "{file}: {setting} lässt sich auf diese Datei nicht anwenden: {error}",
        "en": "{file}: {setting} cannot be applied to this file: {error}",
    },
    "derived_invalid_hint": {
        "de": 'In CSV- und Excel-Dateien ist jedes Feld Text: rechnen Sie mit number("Spalte").',
        "en": 'In CSV and Excel files every field is text: compute with number("column").',
    },
    "unknown_table": {
        "de": "{file}: zu welcher Tabelle gehört die Datei? Erwartet wird ein Dateiname wie "
        "customers.csv oder invoices.xlsx.",
        "en": "{file}: which table does this file belong to? Expected a name like customers.csv "
        "or invoices.xlsx.",
    },
    "unknown_table_hint": {
        "de": "Benennen Sie die Datei nach ihrer Tabelle ({tables}), geben Sie --table an oder "
        "setzen Sie `file` unter [import.tables.<tabelle>] in kundenwert.toml.",
        "en": "Name the file after its table ({tables}), pass --table, or set `file` under "
        "[import.tables.<table>] in kundenwert.toml.",
    },
    "no_files": {
        "de": "{path}: keine importierbaren Dateien gefunden.",
        "en": "{path}: no importable files found.",
    },
    "no_files_hint": {
        "de": "Erwartet werden Dateien wie customers.csv, invoices.xlsx oder activities.parquet.",
        "en": "Expected files such as customers.csv, invoices.xlsx or activities.parquet.",
    },
}
