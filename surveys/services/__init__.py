"""Every business rule and every write. Faces call these and commit at their edge."""

from surveys.services import theme_labels  # noqa: F401  (keeps names out of theme labels)
