"""The SQLite part of ``portal.search``; imported only on SQLite, because
modelsearch's SQLite module needs the FTS index model that exists only there."""

from django.db.models import TextField
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks


class RankedSQLiteQueryCompiler(SQLiteSearchQueryCompiler):
    def ranked_objects(self, config, start, stop) -> list | None:
        """Objects in relevance order for ``[start:stop]``; None where the stock path applies."""
        query = normalize(self.query)
        if isinstance(query, MatchAll | Not):
            return None
        match = MatchExpression(
            self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config)
        )
        allowed = self.queryset.order_by().annotate(_object_id=Cast("pk", TextField())).values("_object_id")
        ranked = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model),
                index_entry__object_id__in=allowed,
            )
            .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
            .order_by("score", "-index_entry__object_id")  # bm25: lower is better
            .values_list("index_entry__object_id", flat=True)
        )
        to_pk = self.queryset.model._meta.pk.to_python
        pks = [to_pk(object_id) for object_id in ranked[start:stop]]
        objects = {obj.pk: obj for obj in self.queryset.filter(pk__in=pks)}
        return [objects[pk] for pk in pks if pk in objects]


class RankedSQLiteResults(SQLiteSearchResults):
    def _do_search(self):
        compiler = self.query_compiler
        # Autocomplete (the admin's snippet and chooser search) has its own compiler,
        # without the ranked path: it takes the stock one.
        if (
            isinstance(compiler, RankedSQLiteQueryCompiler)
            and compiler.order_by_relevance
            and self._score_field is None
        ):
            ranked = compiler.ranked_objects(compiler.get_config(self.backend), self.start, self.stop)
            if ranked is not None:
                return ranked
        return super()._do_search()

    def _do_count(self):
        # Counting needs no scores; the stock path would compute one per row.
        compiler = self.query_compiler
        if not isinstance(compiler, RankedSQLiteQueryCompiler):
            return super()._do_count()
        relevance, compiler.order_by_relevance = compiler.order_by_relevance, False
        try:
            return compiler.search(compiler.get_config(self.backend), None, None).count()
        finally:
            compiler.order_by_relevance = relevance


class RankedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = RankedSQLiteQueryCompiler
    results_class = RankedSQLiteResults
