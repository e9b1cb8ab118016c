from drf_spectacular.openapi import AutoSchema as BaseAutoSchema


class AutoSchema(BaseAutoSchema):
    """Names nested serializers after their view (`LoginApi.Input` -> `LoginInput`), so every
    view can keep the plain `Input` / `Output` names without clashing in the schema and in the
    TypeScript client generated from it."""

    def _get_serializer_name(self, serializer, direction, bypass_extensions=False):
        name = super()._get_serializer_name(serializer, direction, bypass_extensions)
        qualname = type(serializer).__qualname__
        if "." in qualname and not getattr(getattr(serializer, "Meta", None), "ref_name", None):
            owner = qualname.split(".")[-2].removesuffix("Api")
            name = owner + name
        return name
