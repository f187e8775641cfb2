"""Settings, split by concern; every value that differs between machines comes from the environment."""

from .api import *  # noqa: F401,F403
from .core import *  # noqa: F401,F403
from .oidc import *  # noqa: F401,F403
from .services import *  # noqa: F401,F403
from .tenancy import *  # noqa: F401,F403

# The provincial identity provider's backend joins the list only when OpenID Connect is configured.
if OIDC_ENABLED:  # noqa: F405
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, OIDC_BACKEND]  # noqa: F405
