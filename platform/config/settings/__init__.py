"""Settings, split by concern; every value that differs between machines comes from the environment."""

from .api import *  # noqa: F401,F403
from .core import *  # noqa: F401,F403
from .services import *  # noqa: F401,F403
from .tenancy import *  # noqa: F401,F403
