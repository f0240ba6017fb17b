"""The docs site of kgtool.look: the model read from the ontology and shapes, Jinja2
templates in both languages, the project's Markdown pages, and the builder
(:func:`~kgtool.look.site.build.build_site`)."""
