"""Flask extensions, created unbound and initialised in the factory."""

from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from surveys.db import db

csrf = CSRFProtect()
login_manager = LoginManager()

__all__ = ["csrf", "db", "login_manager"]
