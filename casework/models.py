"""Imports every domain's models so SQLAlchemy metadata (and Alembic) sees all tables."""

from casework.alerts import models as alerts_models  # noqa: F401
from casework.audit import models as audit_models  # noqa: F401
from casework.auth import models as auth_models  # noqa: F401
from casework.cases import models as cases_models  # noqa: F401
from casework.confiscation import models as confiscation_models  # noqa: F401
from casework.orders import models as orders_models  # noqa: F401
from casework.reports import models as reports_models  # noqa: F401
from casework.units import models as units_models  # noqa: F401
