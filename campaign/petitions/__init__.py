"""Petitions: writing, publishing and closing them (the studio calls these)."""
