"""The schema editor of `tenants.db`: Django's, with what a Citus coordinator needs of DDL.

Citus refuses `ALTER TABLE … ADD COLUMN … CHECK (…)` (every constraint on a distributed table must be
named): on Citus a new column's check (PositiveIntegerField and the like) is added as a second statement,
named as PostgreSQL itself names an inline one, so both paths end with the same constraint. Elsewhere
nothing changes.
"""

from django.db.backends.postgresql.schema import DatabaseSchemaEditor as PostgresSchemaEditor

MAX_NAME = 63  # PostgreSQL's NAMEDATALEN - 1


class DatabaseSchemaEditor(PostgresSchemaEditor):
    def add_field(self, model, field):
        check = field.db_parameters(connection=self.connection)["check"]
        if not check or not self.connection.is_citus:
            return super().add_field(model, field)
        inline = self.sql_check_constraint
        self.sql_check_constraint = ""  # "" % params is "": the column goes without its check ...
        try:
            super().add_field(model, field)
        finally:
            self.sql_check_constraint = inline
        name = f"{model._meta.db_table}_{field.column}_check"  # ... which follows under PostgreSQL's name
        if len(name) > MAX_NAME:
            name = self._create_index_name(model._meta.db_table, [field.column], suffix="_check")
        self.execute(self._create_check_sql(model, name, check))
