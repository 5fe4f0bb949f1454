"""The read-only SPARQL 1.1 Protocol service behind ``/sparql``: guards, bounded execution,
result serialisation and the service description. The web layer only maps HTTP onto it."""
