"""The API's shared edges: input parsing, errors, paging, negotiation, compression, ETags."""
