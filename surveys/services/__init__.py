"""Every business rule and every write. Faces call these and commit at their edge."""
