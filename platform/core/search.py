"""Substring search over Chinese text with an index, in core PostgreSQL (no pg_trgm, no ICU).

A text is indexed as its overlapping two-character pieces (bigrams) with their positions, in a tsvector
built by `public.jz_bigrams(text)` -- a plain SQL function (casework migration 0006) -- and kept by a
GENERATED column, so every write keeps it, bulk ones included. A search for two characters or more is
the phrase of its bigrams, each following the last (`public.jz_bigram_phrase(text)`): a text holds that
phrase exactly when it holds the search words, so the answer equals `icontains` (both sides are
upper-cased as Django's icontains does), and a GIN index finds the candidates. One character has no
bigram: callers fall back to icontains.

The lexemes are written as tsvector/tsquery literals, never through a text search parser, so what counts
as a word (which differs between the C locale of pgserver's cluster and Debian's UTF-8 ones) plays no part.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db.models import Func, Lookup
from django.db.models.functions import Upper

# Run once in a schema's migration (CREATE OR REPLACE: every county's replay runs it again, harmlessly).
# In public, so that county schemas cloned from the template refer to the same function.
FUNCTIONS_SQL = [
    r"""CREATE OR REPLACE FUNCTION public.jz_bigram_lexeme(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT '''' || replace(replace(t, E'\\', E'\\\\'), '''', '''''') || '''' $$""",
    r"""CREATE OR REPLACE FUNCTION public.jz_bigrams(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT coalesce(string_agg(public.jz_bigram_lexeme(substr(t, i, 2)) || ':' || i, ' '), '')::tsvector
      FROM generate_series(1, least(char_length(t) - 1, 16383)) AS i
    $$""",
    r"""CREATE OR REPLACE FUNCTION public.jz_bigram_phrase(t text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
      SELECT string_agg(public.jz_bigram_lexeme(substr(t, i, 2)), ' <-> ' ORDER BY i)::tsquery
      FROM generate_series(1, char_length(t) - 1) AS i
    $$""",
]


class BigramVectorField(SearchVectorField):
    """The tsvector of a text's bigrams; look it up with `contains_text`."""


class Bigrams(Func):
    """The bigram tsvector of an expression, upper-cased (for a GeneratedField of a BigramVectorField)."""

    function = "public.jz_bigrams"
    output_field = BigramVectorField()

    def __init__(self, expression, **extra):
        super().__init__(Upper(expression), **extra)


@BigramVectorField.register_lookup
class ContainsText(Lookup):
    """`search__contains_text="饮水"`: the indexed text contains the words (as icontains would say); for two
    characters or more (one character has no bigram: use icontains)."""

    lookup_name = "contains_text"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ public.jz_bigram_phrase(UPPER(({rhs})::text))", [*lhs_params, *rhs_params]


def text_search(qs, words: str, *, field: str, text: str):
    """`qs` narrowed to rows whose `text` contains `words` (icontains' answer), through the bigram index
    `field` when the words are two characters or more."""
    words = words.strip()
    if not words:
        return qs
    if len(words) < 2:
        return qs.filter(**{f"{text}__icontains": words})
    return qs.filter(**{f"{field}__contains_text": words})
