"""A theme label is never a person's name.

Labels are made from the words of the answers, so a theme can come out as "Yolanda
xenakis". Before any automatic label is stored, the names of the programme's contacts and
of the officers are dropped from it (an officer's own edit is theirs to choose).
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from surveys.models import Theme


@event.listens_for(Session, "before_flush")
def _keep_names_out_of_theme_labels(session: Session, _context, _instances) -> None:
    from analysis.redact import label_without_names
    from surveys.services.summaries import redaction_names

    for theme in (*session.new, *session.dirty):
        if not isinstance(theme, Theme) or theme.label_edited or not theme.label:
            continue
        if theme not in session.new and not inspect(theme).attrs.label.history.has_changes():
            continue
        if theme.programme_id is None:
            continue
        with session.no_autoflush:
            names = redaction_names(theme.programme_id, [theme.label])
        if names:
            theme.label = label_without_names(theme.label, names)
