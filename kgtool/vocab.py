"""Namespaces of the standard vocabularies and of spacecoop, shared by every module.

Plain strings, no imports, so that any module may use them without cost.

>>> RDF_TYPE
'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
"""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
XSD_STRING = XSD + "string"

SPACECOOP = "https://w3id.org/spacecoop/"
SC, ID = SPACECOOP + "ontology/", SPACECOOP + "id/"
