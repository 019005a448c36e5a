"""The parser's pure core: report edition bytes in, frozen dataclasses out. No Django here."""

from .api import PARSER_VERSION, parse_edition, parse_text, to_contract
from .gazetteer import Gazetteer, default_gazetteer
from .lexicon import ActorLexicon
from .model import ParsedEdition, ParseError

__all__ = [
    "PARSER_VERSION",
    "ActorLexicon",
    "Gazetteer",
    "ParseError",
    "ParsedEdition",
    "default_gazetteer",
    "parse_edition",
    "parse_text",
    "to_contract",
]
