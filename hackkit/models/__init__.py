"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from hackkit.models.base import Base
from hackkit.models.dataset import Dataset, DatasetVersion
from hackkit.models.event import Event
from hackkit.models.token import ApiToken
from hackkit.models.user import ROLES, User

__all__ = ["Base", "Dataset", "DatasetVersion", "Event", "ApiToken", "ROLES", "User"]
