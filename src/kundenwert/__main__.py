from kundenwert.cli import main

main()
