"""The PostgreSQL part of ``portal.search``: rank a bounded set of candidates.

The stock compiler joins every page to its index entry, filters on
``(title || body) @@ query`` and sorts *every* match by ``ts_rank``: a query that
matches half of 10,000 notices decompressed and ranked 5,000 tsvectors (each ~4 KB,
TOASTed) to show ten of them (p95 0.85-1.6 s). Here

* the match is a plain filter on the index entries, which the GIN expression index
  ``home_indexentry_title_body_gin`` (home migration 0003) answers;
* at most ``CANDIDATES`` matches — those of the newest objects (highest primary key) —
  are ranked with the backend's own rank expression (the same weights and
  ``title_norm``), and the page of ids is cut from them; the objects are then fetched
  by primary key;
* counts and facets read the matching objects' keys and the faceted field only, no
  scores; that one read also picks the candidates.

A site whose query matches fewer than ``CANDIDATES`` pages (every query on a street's
portal, and the relevance set in tests/search) gets the stock order (equal scores: the
newest index entry first, where the stock backend put the highest page id first). On a larger
match the ranked page is the best of the newest ``CANDIDATES`` matches, which for notices
is what residents look for; the total and the type tabs still count every match.
"""

from collections import Counter, OrderedDict

from django.db.models import BigIntegerField, F, IntegerField, Subquery, TextField
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

CANDIDATES = 200  # matches ranked per query, newest first


class RankedPostgresQueryCompiler(PostgresSearchQueryCompiler):
    # The allowed matches' primary keys, newest first, once a facet has read them: the
    # page of results that follows ranks the first CANDIDATES of them without matching
    # again (the results' slices share their compiler).
    newest_matches: list | None = None

    def can_rank_candidates(self) -> bool:
        """False where the stock path applies: field-restricted, fuzzy or match-all queries."""
        if self.fields is not None or isinstance(self.query, MatchAll | Fuzzy):
            return False
        return not (isinstance(self.query, Not) and isinstance(self.query.subquery, MatchAll))

    def matching_entries(self, config):
        """Index entries of this model's types that match the query: no scores, no join.

        Filtered on the same expression as the GIN index (``title || body``), so the
        index answers it.
        """
        search_query = self.build_tsquery(self.query, config=config)
        vector = CombinedExpression(F("title"), "||", F("body"))
        return IndexEntry.objects.annotate(_vector_=vector).filter(
            _vector_=search_query,
            content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
        )

    def entry_object_id(self):
        """The entry's object id as the model's primary key type. Integer keys are
        compared as integers, so the join to the allowed objects uses their primary key
        index instead of casting every allowed key to text (~70 ms at 10,000 pages)."""
        if self.has_integer_pk():
            # Only entries of this model's types reach the cast: the content type filter
            # is a condition on the entries' scan, evaluated before any join.
            return Cast("object_id", BigIntegerField())
        return F("object_id")

    def has_integer_pk(self) -> bool:
        pk = self.queryset.model._meta.pk
        return isinstance(pk.target_field if pk.is_relation else pk, IntegerField)

    def allowed_pks(self):
        if self.has_integer_pk():
            return self.queryset.order_by().values("pk")
        return self.queryset.order_by().annotate(_object_id=Cast("pk", TextField())).values("_object_id")

    def matching_objects(self, config):
        """The allowed objects that match (for counts and facets)."""
        entries = self.matching_entries(config).annotate(_oid=self.entry_object_id()).values("_oid")
        if self.has_integer_pk():
            return self.queryset.order_by().filter(pk__in=entries)
        return (
            self.queryset.order_by()
            .annotate(_object_id=Cast("pk", TextField()))
            .filter(_object_id__in=entries)
        )

    def ranked_objects(self, config, start, stop) -> list:
        """Objects for ``[start:stop]``: the candidates by relevance, then (deep pages
        only) the other matches, newest first — one consistent order across pages."""
        newest_first = (
            self.matching_entries(config)
            .annotate(_oid=self.entry_object_id())
            .filter(_oid__in=self.allowed_pks())
            # Newest objects first. Not the entry's id: the planner would walk its primary
            # key backwards and test the match row by row (TOAST reads); this order is
            # sorted from the GIN index's matches.
            .order_by("-_oid")
            .values_list("object_id", flat=True)
        )
        if self.newest_matches is not None:
            candidates = IndexEntry.objects.filter(
                content_type_id__in=get_descendants_content_types_pks(self.queryset.model),
                object_id__in=[str(pk) for pk in self.newest_matches[:CANDIDATES]],
            )
        else:
            candidates = IndexEntry.objects.filter(pk__in=Subquery(newest_first.values("pk")[:CANDIDATES]))
        rank = self._build_rank_expression([(F("title"), F("title_norm")), (F("body"), 1.0)], config)
        ranked = candidates.annotate(score=rank).order_by("-score", "-pk").values_list("object_id", flat=True)
        if stop is not None and stop <= CANDIDATES:
            object_ids = list(ranked[start:stop])
        else:
            object_ids = list(ranked)
            if len(object_ids) == CANDIDATES:
                if self.newest_matches is not None:
                    object_ids += [str(pk) for pk in self.newest_matches[CANDIDATES:stop]]
                else:
                    object_ids += list(newest_first[CANDIDATES:stop])
            object_ids = object_ids[start:]
        to_pk = self.queryset.model._meta.pk.to_python
        pks = [to_pk(object_id) for object_id in object_ids]
        objects = {obj.pk: obj for obj in self.queryset.filter(pk__in=pks)}
        return [objects[pk] for pk in pks if pk in objects]


class RankedPostgresResults(PostgresSearchResults):
    def _ranks_candidates(self) -> bool:
        compiler = self.query_compiler
        # Autocomplete (the admin's choosers) has its own compiler, without this path.
        return isinstance(compiler, RankedPostgresQueryCompiler) and compiler.can_rank_candidates()

    def _do_search(self):
        compiler = self.query_compiler
        if self._ranks_candidates() and compiler.order_by_relevance and self._score_field is None:
            return compiler.ranked_objects(compiler.get_config(self.backend), self.start, self.stop)
        return super()._do_search()

    def _matching_objects(self):
        compiler = self.query_compiler
        return compiler.matching_objects(compiler.get_config(self.backend))

    def _do_count(self):
        if not self._ranks_candidates():
            return super()._do_count()
        if self.query_compiler.newest_matches is not None:
            return len(self.query_compiler.newest_matches)
        return self._matching_objects().count()

    def facet(self, field_name):
        if not self._ranks_candidates():
            return super().facet(field_name)
        field = self.query_compiler._get_filterable_field(field_name)
        if field is None:
            return super().facet(field_name)  # raises the stock FilterFieldError
        # One read of the matches' keys and values serves the facet, the count and the
        # choice of candidates to rank (see newest_matches).
        rows = list(self._matching_objects().order_by("-pk").values_list("pk", field_name))
        self.query_compiler.newest_matches = [pk for pk, _ in rows]
        return OrderedDict(Counter(value for _, value in rows).most_common())


class RankedPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = RankedPostgresQueryCompiler
    results_class = RankedPostgresResults
