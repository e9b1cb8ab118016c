from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.pagination import PageNumberPagination, paginated_response

from .guide import DIFFICULTIES, DOMAINS
from .models import CaseStudy
from .schema import GuideField
from .selectors import case_study_facets, case_study_list, guide_visible_to


class CaseStudyOutput(serializers.ModelSerializer):
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = CaseStudy
        fields = ["slug", "title", "domain", "difficulty", "tags", "prompt"]


class CaseStudyListApi(APIView):
    pagination_class = PageNumberPagination

    class Filter(serializers.Serializer):
        domain = serializers.ChoiceField(choices=DOMAINS, required=False)
        difficulty = serializers.ChoiceField(choices=DIFFICULTIES, required=False)
        tag = serializers.SlugField(max_length=50, required=False)
        search = serializers.CharField(max_length=100, required=False)
        page = serializers.IntegerField(min_value=1, required=False)
        page_size = serializers.IntegerField(
            min_value=1, max_value=PageNumberPagination.max_page_size, required=False
        )

    @extend_schema(parameters=[Filter], responses=CaseStudyOutput(many=True))
    def get(self, request):
        filters = self.Filter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = {k: v for k, v in filters.validated_data.items() if k not in ("page", "page_size")}
        return paginated_response(
            queryset=case_study_list(**params),
            serializer_class=CaseStudyOutput,
            request=request,
            view=self,
        )


class CaseStudyFacetsApi(APIView):
    """The library's filter choices, so the page never hard-codes domains or misses a tag."""

    class Output(serializers.Serializer):
        class Domain(serializers.Serializer):
            value = serializers.ChoiceField(choices=DOMAINS)
            label = serializers.CharField()
            count = serializers.IntegerField()

        class TagCount(serializers.Serializer):
            name = serializers.CharField()
            count = serializers.IntegerField()

        domains = Domain(many=True)
        tags = TagCount(many=True)

    @extend_schema(responses=Output)
    def get(self, request):
        return Response(self.Output(case_study_facets()).data)


class CaseStudyDetailApi(APIView):
    class Output(CaseStudyOutput):
        class Meta(CaseStudyOutput.Meta):
            fields = [*CaseStudyOutput.Meta.fields, "interviewer_guide"]

        interviewer_guide = GuideField(source="guide", required=False)

    @extend_schema(responses=Output)
    def get(self, request, slug: str):
        case = CaseStudy.objects.prefetch_related("tags").filter(slug=slug).first()
        if case is None:
            return Response({"detail": "No such case study."}, status=404)
        data = self.Output(case).data
        if not guide_visible_to(user=request.user, case_study=case):
            data.pop("interviewer_guide")
        return Response(data)
