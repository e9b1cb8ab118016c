import factory
from django.contrib.auth import get_user_model

from casestudies.framework import STEP_KEYS
from casestudies.models import CaseStudy


def make_guide(concepts: dict[str, list[tuple[str, list[str]]]] | None = None) -> dict:
    """A minimal valid guide; `concepts` overrides the key concepts of chosen steps."""
    concepts = concepts or {}
    return {
        "clarifying_questions": [{"question": "How many users?", "answer": "Ten million."}],
        "steps": {
            key: {
                "hints": [f"hint for {key}"],
                "key_concepts": [
                    {"name": name, "aliases": aliases}
                    for name, aliases in concepts.get(key, [(f"{key} concept", [f"{key}-alias"])])
                ],
                "strong_answer": f"A strong {key} answer.",
            }
            for key in STEP_KEYS
        },
        "pitfalls": [{"title": "A pitfall", "why": "It matters."}],
        "follow_ups": ["What if traffic doubles?"],
    }


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"case-{n}")
    title = factory.Sequence(lambda n: f"Case {n}")
    domain = "recommendation"
    difficulty = "medium"
    prompt = "Design a system that recommends things."
    guide = factory.LazyFunction(make_guide)
