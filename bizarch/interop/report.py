"""What an import did, for the CLI, the web page and tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class ImportReport:
    """Counts of what was read and written, and warnings about what was kept but not mapped."""

    source: str
    format: str
    graph: str = ""
    elements: int = 0
    relationships: int = 0
    views: int = 0
    properties: int = 0
    quads: int = 0
    mapped_triples: int = 0
    by_class: Counter[str] = field(default_factory=Counter)
    unmapped_types: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    validated: bool = False

    def summary(self) -> str:
        """One paragraph for the command line."""
        if self.format in ("xlsx", "csv"):
            rows = ", ".join(f"{sheet} {n}" for sheet, n in self.by_class.items()) or "no rows"
            lines = [f"Imported {self.source} into {self.graph}: {rows}; {self.quads} quads."]
            lines.extend(f"Warning: {w}" for w in self.warnings)
            return "\n".join(lines)
        lines = [
            f"Imported {self.source} ({self.format}) into {self.graph}: {self.elements} elements, "
            f"{self.relationships} relationships, {self.views} views, {self.properties} property "
            f"values; {self.mapped_triples} bizarch relationships derived; {self.quads} quads."
        ]
        if self.unmapped_types:
            kept = ", ".join(f"{t} ({n})" for t, n in sorted(self.unmapped_types.items()))
            lines.append(f"Kept with their ArchiMate type (no bizarch class): {kept}.")
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)
