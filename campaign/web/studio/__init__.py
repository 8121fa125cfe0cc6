"""The campaigners' area at /studio. Every route needs a login; `role_required` narrows it further.

Modules register their routes on the one blueprint `bp` (see views.py): petitions, targets,
signatures, deliveries, impact, accounts, audit, abuse.
"""
