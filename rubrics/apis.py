from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casestudies.framework import INTERVIEW_MINUTES, STEPS
from config.pagination import PageNumberPagination, paginated_response

from .models import Criterion, Rubric


class CriterionOutput(serializers.ModelSerializer):
    anchors = serializers.DictField(child=serializers.CharField(), help_text="level -> anchor")
    listen_for = serializers.ListField(
        child=serializers.CharField(), help_text="short cues for the interviewer while listening"
    )

    class Meta:
        model = Criterion
        fields = ["key", "title", "step", "weight", "description", "anchors", "listen_for"]


class RubricOutput(serializers.ModelSerializer):
    levels = serializers.DictField(child=serializers.CharField(), help_text="level -> label")

    class Meta:
        model = Rubric
        fields = ["id", "slug", "version", "name", "description", "levels"]


class RubricDetailOutput(RubricOutput):
    criteria = CriterionOutput(many=True, read_only=True)
    gates = serializers.SerializerMethodField(help_text="must-pass criterion keys")

    class Meta(RubricOutput.Meta):
        fields = [*RubricOutput.Meta.fields, "criteria", "gates"]

    def get_gates(self, rubric) -> list[str]:
        return list((rubric.scoring or {}).get("gates", []))


class RubricListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(responses=RubricOutput(many=True))
    def get(self, request):
        return paginated_response(
            queryset=Rubric.objects.order_by("slug", "-version"),
            serializer_class=RubricOutput,
            request=request,
            view=self,
        )


class RubricDetailApi(APIView):
    @extend_schema(responses=RubricDetailOutput)
    def get(self, request, rubric_id: int):
        rubric = Rubric.objects.prefetch_related("criteria").filter(pk=rubric_id).first()
        if rubric is None:
            return Response({"detail": "No such rubric."}, status=404)
        return Response(RubricDetailOutput(rubric).data)


class StepOutput(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    minutes = serializers.IntegerField()
    strong_answer = serializers.CharField()


class FrameworkApi(APIView):
    permission_classes = [AllowAny]

    class Output(serializers.Serializer):
        total_minutes = serializers.IntegerField()
        steps = StepOutput(many=True)

    @extend_schema(responses=Output)
    def get(self, request):
        return Response(self.Output({"total_minutes": INTERVIEW_MINUTES, "steps": STEPS}).data)
