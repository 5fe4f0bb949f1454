"""In-memory form of an ArchiMate model, between the file formats and RDF.

Both the exchange-format reader/writer and the Archi CSV reader/writer speak this form; ``to_rdf``
and ``from_rdf`` translate it. Keeping the file formats apart from the RDF mapping means each file
format is a small module and the mapping is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
"""Namespace of the exchange format (versions 3.0 and 3.1 share it)."""

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
DC = "http://purl.org/dc/elements/1.1/"

ELEMENT_TYPES = (
    "BusinessActor",
    "BusinessRole",
    "BusinessCollaboration",
    "BusinessInterface",
    "BusinessProcess",
    "BusinessFunction",
    "BusinessInteraction",
    "BusinessEvent",
    "BusinessService",
    "BusinessObject",
    "Contract",
    "Representation",
    "Product",
    "ApplicationComponent",
    "ApplicationCollaboration",
    "ApplicationInterface",
    "ApplicationFunction",
    "ApplicationInteraction",
    "ApplicationProcess",
    "ApplicationEvent",
    "ApplicationService",
    "DataObject",
    "Node",
    "Device",
    "SystemSoftware",
    "TechnologyCollaboration",
    "TechnologyInterface",
    "Path",
    "CommunicationNetwork",
    "TechnologyFunction",
    "TechnologyProcess",
    "TechnologyInteraction",
    "TechnologyEvent",
    "TechnologyService",
    "Artifact",
    "Equipment",
    "Facility",
    "DistributionNetwork",
    "Material",
    "Stakeholder",
    "Driver",
    "Assessment",
    "Goal",
    "Outcome",
    "Principle",
    "Requirement",
    "Constraint",
    "Meaning",
    "Value",
    "Resource",
    "Capability",
    "CourseOfAction",
    "ValueStream",
    "WorkPackage",
    "Deliverable",
    "ImplementationEvent",
    "Plateau",
    "Gap",
    "Grouping",
    "Location",
    "AndJunction",
    "OrJunction",
)
"""Element types of the exchange format (its ElementTypeEnum plus composites and junctions)."""

RELATIONSHIP_TYPES = (
    "Composition",
    "Aggregation",
    "Assignment",
    "Realization",
    "Serving",
    "Access",
    "Influence",
    "Triggering",
    "Flow",
    "Specialization",
    "Association",
)
ACCESS_TYPES = ("Access", "Read", "Write", "ReadWrite")
PROPERTY_DATA_TYPES = ("string", "boolean", "currency", "date", "time", "number")


@dataclass(frozen=True)
class LangText:
    """A text with its optional ``xml:lang`` tag."""

    text: str
    lang: str | None = None


@dataclass
class Property:
    """A value of a property definition (one text per language)."""

    definition: str
    values: list[LangText] = field(default_factory=list)


@dataclass
class PropertyDefinition:
    identifier: str
    names: list[LangText] = field(default_factory=list)
    data_type: str = "string"

    @property
    def name(self) -> str:
        return self.names[0].text if self.names else ""


@dataclass
class Concept:
    """What elements and relationships share."""

    identifier: str
    type: str
    names: list[LangText] = field(default_factory=list)
    documentation: list[LangText] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names[0].text if self.names else ""


@dataclass
class Element(Concept):
    pass


@dataclass
class Relationship(Concept):
    source: str = ""
    target: str = ""
    access_type: str | None = None
    influence_strength: str | None = None
    is_directed: bool | None = None


@dataclass
class Folder:
    """An organisation folder; ``items`` are identifier refs or sub-folders, in order."""

    labels: list[LangText] = field(default_factory=list)
    documentation: list[LangText] = field(default_factory=list)
    items: list[str | Folder] = field(default_factory=list)


@dataclass
class View:
    """A diagram, kept as its exchange-format XML; ``refs`` are the concepts it draws."""

    identifier: str
    names: list[LangText]
    xml: str
    refs: list[str] = field(default_factory=list)
    view_refs: list[str] = field(default_factory=list)


@dataclass
class ExchangeModel:
    identifier: str
    names: list[LangText] = field(default_factory=list)
    documentation: list[LangText] = field(default_factory=list)
    properties: list[Property] = field(default_factory=list)
    version: str | None = None
    metadata_xml: str | None = None
    elements: list[Element] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    property_definitions: list[PropertyDefinition] = field(default_factory=list)
    organization: Folder | None = None
    views: list[View] = field(default_factory=list)

    def definition_names(self) -> dict[str, str]:
        """Property definition identifier -> name."""
        return {d.identifier: d.name for d in self.property_definitions}
