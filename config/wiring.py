"""Who reacts to what: every event type and every projection, listed by hand.

To add an event: define it in its app's events.py and list it here. To add a read model: write
a Projection and list it here. A grep for an event's name shows all its consumers.
"""

from actors.events import ACTOR_EVENTS, PLACE_EVENTS
from actors.projection import ActorProjection, PlaceProjection
from incidents.events import CLAIM_EVENTS, FLAG_EVENTS, INCIDENT_EVENTS
from incidents.projection import IncidentProjection
from incidents.review.projection import ReviewFlagProjection

EVENT_TYPES = (*INCIDENT_EVENTS, *CLAIM_EVENTS, *FLAG_EVENTS, *ACTOR_EVENTS, *PLACE_EVENTS)

# (stored type name, schema version it upgrades from, function) — none yet.
UPCASTERS: tuple = ()

PROJECTIONS = (
    ActorProjection(),
    PlaceProjection(),
    IncidentProjection(),
    ReviewFlagProjection(),
)
