"""The report figures for external BI tools: the same tables the staff pages show.

Staff only. Each report has its own path (``reports/<report>/``) and takes the pages'
filters as query parameters; the answer is the report's tables (columns and rows) and
alerts. Bad filters are a 400 in the API's one error shape.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from credential_app.reports.filters import ReportFilterForm
from credential_app.reports.pages import PAGES
from credential_app.rest.schema import documented
from credential_app.rest.serializers import ErrorSerializer
from credential_app.rest.views import StaffActionView


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    numeric = serializers.BooleanField()


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(),
                                 help_text="One object per row, keyed by column key.")


class ReportSerializer(serializers.Serializer):
    report = serializers.CharField()
    title = serializers.CharField()
    filters = serializers.DictField(child=serializers.CharField())
    tables = TableSerializer(many=True)
    alerts = serializers.ListField(child=serializers.CharField())


FILTERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (UTC), included."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (UTC), included."),
    OpenApiParameter("course", str, description="Course id, e.g. course-v1:Org+Course+Run."),
    OpenApiParameter("credential", int, description="Credential definition id."),
    OpenApiParameter("cohort", int, description="Cohort id (an admin-managed group of "
                                                "learners)."),
    OpenApiParameter("by", str, enum=["credential", "course"],
                     description="Figures per credential (default) or per course."),
]
REFUSALS = {code: ErrorSerializer for code in (400, 401, 403)}


class ReportView(StaffActionView):
    report = None  # a slug of reports.pages.PAGES, set per path

    @documented(parameters=FILTERS, responses={200: ReportSerializer, **REFUSALS})
    def get(self, request):
        """One report's tables for the filters given (staff only)."""
        form = ReportFilterForm(request.query_params or None)
        if request.query_params and not form.is_valid():
            raise exceptions.ValidationError({field: list(errors)
                                              for field, errors in form.errors.items()})
        scope = form.scope()
        page = PAGES[self.report]
        result = page.build(scope)
        return Response({"report": page.slug, "title": str(page.title),
                         "filters": scope.as_query(),
                         "tables": [t.as_json() for t in result.tables],
                         "alerts": [str(a) for a in result.alerts]})


def report_views():
    """(slug, view) for every report page."""
    return [(slug, type(f"{slug.title().replace('-', '')}ReportView", (ReportView,),
                        {"report": slug, "__doc__": f"{page.title}"}).as_view())
            for slug, page in PAGES.items()]
