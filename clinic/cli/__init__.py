"""click commands: parse, call clinic.core, print. No rules here."""
