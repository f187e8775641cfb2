"""django-tenants' backend, minus the `SET search_path` round trip on every request.

Stock django-tenants forgets the applied search_path whenever a tenant is selected, so each request
pays a `SET` (and the domain lookup pays another for the public schema). Its TENANT_LIMIT_SET_CALLS
switch skips the `SET` whenever *any* path was set before, which can read another county's schema.
Here the connection remembers the exact path the server session holds, and issues `SET` only when
the wanted path differs. The memory is dropped whenever the server may have discarded the setting:
on connect and close, and on rollback and savepoint rollback (a `SET` is transactional in
PostgreSQL) -- the base class already clears it there.
"""

from django_tenants.postgresql_backend import base

from tenants.db.schema import DatabaseSchemaEditor


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
    _is_citus: bool | None = None

    @property
    def is_citus(self) -> bool:
        """Whether this database is a Citus coordinator (the extension is installed); asked once a connection."""
        if self._is_citus is None:
            with self.cursor() as cursor:
                cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
                self._is_citus = bool(cursor.fetchone()[0])
        return self._is_citus

    def set_tenant(self, tenant, include_public=True):
        applied = self.search_path_set_schemas
        self.tenant = tenant
        self.schema_name = tenant.schema_name
        self.include_public_schema = include_public
        self.set_settings_schema(self.schema_name)
        # Content types live in the public schema only, so their cache stays valid across counties.
        self.search_path_set_schemas = applied

    def connect(self):
        self.search_path_set_schemas = None
        self._is_citus = None
        super().connect()

    def _handle_search_path(self, cursor=None):
        if (
            not self._setting_search_path
            and self.search_path_set_schemas is not None
            and self.schema_name
            and self.search_path_set_schemas == self._get_cursor_search_paths()
        ):
            return
        super()._handle_search_path(cursor)

    def forget_search_path(self) -> None:
        """Call after running a raw `SET search_path` outside this wrapper."""
        self.search_path_set_schemas = None
