"""The respondent's face: questionnaires reached by personal link (/r/) or open link (/s/)."""

from app.public.views import blueprint

__all__ = ["blueprint"]
