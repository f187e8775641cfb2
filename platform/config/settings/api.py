"""Django REST framework and the OpenAPI schema."""

REST_FRAMEWORK = {
    # People's sessions, or an integration's token (one county, one role). Sessions first: the first class
    # decides how an anonymous request is refused (403, as the permission matrix expects; not a 401).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication",
                                       "api.authentication.CountyTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",  # documents the 400/403/404 of api.errors
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.StrictFilterBackend"],
    # The services' Django ValidationError / PermissionDenied / Http404 become Chinese 400 / 403 / 404.
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "家站 Jiazhan API",
    "DESCRIPTION": "代表之家、代表联络站平台接口（每个县一个租户，按主机名区分）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests get their own components: an upload is then a binary in multipart, not a string (read-only
    # fields leave the request, write-only ones the response).
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `kind` or `status`: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "TownshipKindEnum": "organisation.models.places.Township.Kind",
        "VillageKindEnum": "organisation.models.places.Village.Kind",
        "RedivisionLevelEnum": "organisation.models.places.Redivision.Level",
        "VenueKindEnum": "organisation.models.venues.Venue.Kind",
        "VenueStatusEnum": "organisation.models.venues.Venue.Status",
        "HandlingUnitKindEnum": "organisation.models.units.HandlingUnit.Kind",
        "MandateStatusEnum": "core.levels.MandateStatus",
        # The `actions` fields: each object's own codes.
        "CaseActionEnum": "casework.actions.CaseAction",
        "SuggestionActionEnum": "casework.actions.SuggestionAction",
        "DutyRecordActionEnum": "duties.actions.DutyRecordAction",
        "EscalationActionEnum": "tenants.actions.EscalationAction",
    },
}
