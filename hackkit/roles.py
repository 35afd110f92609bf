"""The account roles, in a module of their own so that the command line can offer them
without loading the database models."""

ROLES = ("participant", "judge", "organizer")
