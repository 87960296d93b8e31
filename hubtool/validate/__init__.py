"""validate: the pipeline (load, schema, policy rules), configuration and waivers."""
