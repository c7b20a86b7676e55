"""Worker task for rounds: open and close them when their dates come."""

from __future__ import annotations

import logging

from surveys.worker import periodic

log = logging.getLogger(__name__)


@periodic(minute="*/5")
def apply_round_dates() -> None:
    """Open and close rounds whose dates have come."""
    from surveys.services.rounds import apply_round_dates as apply

    changed = apply()
    if changed:
        log.info("rounds opened or closed: %s", ", ".join(r.slug for r in changed))
