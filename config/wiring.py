"""Who reacts to what: every event type and every projection, listed by hand; and what crosses
the layers upwards (reactions, ports), so that no lower app imports a higher one.

To add an event: define it in its app's events.py and list it here. To add a read model: write
a Projection and list it here. A grep for an event's name shows all its consumers.
"""

from actors.events import ACTOR_EVENTS, PLACE_EVENTS
from actors.projection import ActorProjection, PlaceProjection
from incidents.editions import EditionRecords
from incidents.events import CLAIM_EVENTS, FLAG_EVENTS, INCIDENT_EVENTS
from incidents.projection import IncidentProjection
from incidents.review.projection import ReviewFlagProjection
from incidents.services import incidents_reattribute
from ingestion import selectors as ingestion_selectors

EVENT_TYPES = (*INCIDENT_EVENTS, *CLAIM_EVENTS, *FLAG_EVENTS, *ACTOR_EVENTS, *PLACE_EVENTS)

# (stored type name, schema version it upgrades from, function) — none yet.
UPCASTERS: tuple = ()

# Use cases a lower app runs in its own transaction for an upper one (ledger.wiring.reactions):
# merging actors re-attributes the merged actor's incidents, one event per incident.
REACTIONS = {"actor_merged": (incidents_reattribute,)}

# Ports (ledger.wiring.provided): incidents read editions, entries and the gazetteer, which
# ingestion keeps, through incidents.editions.EditionRecords.
EDITION_RECORDS: EditionRecords = ingestion_selectors

PROJECTIONS = (
    ActorProjection(),
    PlaceProjection(),
    IncidentProjection(),
    ReviewFlagProjection(),
)
