"""IRIs of the standard vocabularies that several modules need, with no heavy imports.

>>> XSD_STRING.endswith("#string")
True
"""

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
