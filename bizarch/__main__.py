"""``python -m bizarch`` runs the command line."""

from bizarch.cli import main

main()
