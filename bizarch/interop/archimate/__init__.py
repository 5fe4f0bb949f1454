"""The Open Group ArchiMate Model Exchange File Format 3.x and Archi's CSV format.

``model`` is the in-memory form both file formats are read into and written from; ``to_rdf`` and
``from_rdf`` translate it to and from bizarch's RDF through the mapping table ``mapping.yaml``.
"""
