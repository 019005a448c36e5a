"""What every app's edges share and no app owns: the API's conventions and the roles.

Below every app: it imports Django and DRF, never ledger, actors, incidents or ingestion
(import-linter checks it, `make lint`).
"""
