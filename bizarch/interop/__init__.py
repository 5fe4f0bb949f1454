"""Interoperability with architects' tools: ArchiMate exchange files, Archi CSV, spreadsheets.

Every importer parses untrusted bytes behind the guards in :mod:`bizarch.interop.safety`, builds the
complete set of quads in memory and hands it to the store in one atomic ``add_quads`` call, so a
failed import leaves the store unchanged. The services in :mod:`bizarch.interop.service` are what
the CLI and the web layer call.
"""
