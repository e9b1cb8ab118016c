from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination


class PageNumberPagination(BasePageNumberPagination):
    """`{count, next, previous, results}`; clients may ask for up to 100 rows a page."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def paginated_response(*, queryset, serializer_class, request, view, context=None):
    """Paginate `queryset` with the view's `pagination_class` and serialize one page, as
    APIView-based list endpoints need (declaring pagination_class also documents the page
    shape in the schema)."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    data = serializer_class(page, many=True, context=context or {}).data
    return paginator.get_paginated_response(data)
