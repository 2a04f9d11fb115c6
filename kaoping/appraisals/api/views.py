"""Appraisals (考核), ratings (评分), entries (奖扣分) and results (考核结果) over the API."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from kaoping.api.views import ScopedViewSet
from kaoping.appraisals.models import Appraisal, OutcomeItem, Rating, Result, ScoreEntry
from kaoping.appraisals.selectors import (
    appraisal_list,
    appraisal_live_score,
    outcome_item_list,
    rating_list,
    result_list,
    score_entry_list,
)
from kaoping.appraisals.services.outcomes import outcome_item_handle
from kaoping.appraisals.services.ranking import member_grade_set
from kaoping.appraisals.services.ratings import (
    appraisal_sign,
    interview_note_add,
    rating_submit,
    score_entry_add,
    score_entry_approve,
)

from .filters import (
    AppraisalFilter,
    OutcomeItemFilter,
    RatingFilter,
    ResultFilter,
    ScoreEntryFilter,
)
from .serializers import (
    AppraisalSerializer,
    InterviewNoteSerializer,
    MemberGradeSerializer,
    OutcomeHandleSerializer,
    OutcomeItemSerializer,
    RatingSerializer,
    RatingSubmitSerializer,
    ResultDetailSerializer,
    ResultSerializer,
    ScoreEntrySerializer,
    SignSerializer,
)

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class AppraisalViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Appraisals (考核): one per subject and period. Sign the form, record the interview
    (面谈), propose bonuses and adjustments (奖扣分), set a team member's grade, see the live
    score with its explanation."""

    serializer_class = AppraisalSerializer
    filterset_class = AppraisalFilter
    ordering_fields = ["period__start", "unit__path", "id"]

    def get_queryset(self) -> QuerySet[Appraisal]:
        return (
            appraisal_list(viewer=self.viewer)
            .select_related("supervisor", "policy_version__document", "rater_signed_by")
            .order_by("-period__start", "unit__path", "id")
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def score(self, request: Request, pk: str) -> Response:
        """The live score (实时得分) with its line-by-line explanation; a closed appraisal
        answers its frozen current result."""
        appraisal = self.get_object()
        return Response(appraisal_live_score(viewer=request.user, pk=appraisal.pk))

    @extend_schema(request=SignSerializer, responses=AppraisalSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str) -> Response:
        """Sign the appraisal form: the employee (本人签字) or the rater (上级签字)."""
        as_subject = self.validated(SignSerializer)["as_subject"]
        appraisal = appraisal_sign(
            actor=self.actor, appraisal=self.get_object(), as_subject=as_subject
        )
        return self.answer(appraisal)

    @extend_schema(request=InterviewNoteSerializer, responses={201: InterviewNoteSerializer})
    @action(detail=True, methods=["post"], url_path="interview-notes")
    def interview_notes(self, request: Request, pk: str) -> Response:
        """Record the appraisal interview (考核面谈)."""
        text = self.validated(InterviewNoteSerializer)["text"]
        note = interview_note_add(actor=self.actor, appraisal=self.get_object(), text=text)
        data = InterviewNoteSerializer(note, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ScoreEntrySerializer, responses={201: ScoreEntrySerializer})
    @action(detail=True, methods=["post"])
    def entries(self, request: Request, pk: str) -> Response:
        """Propose a bonus (嘉奖加分) or adjustment (奖扣分) with its reason; it counts once a
        department head or manager approves it."""
        data = self.validated(ScoreEntrySerializer)
        entry = score_entry_add(actor=self.actor, appraisal=self.get_object(), **data)
        body = ScoreEntrySerializer(entry, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberGradeSerializer, responses=MemberGradeSerializer)
    @action(detail=True, methods=["post"], url_path="member-grades")
    def member_grades(self, request: Request, pk: str) -> Response:
        """The supervisor picks a team member's grade within what the team's grade allows."""
        data = self.validated(MemberGradeSerializer)
        grade = member_grade_set(actor=self.actor, appraisal=self.get_object(), **data)
        return Response(MemberGradeSerializer(grade, context=self.get_serializer_context()).data)


class RatingViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Ratings (评分): self-assessment (自评), the supervisor's (上级评) and the review chain.
    Every amendment is a new rating; the latest of a rater and item stands."""

    serializer_class = RatingSerializer
    filterset_class = RatingFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self) -> QuerySet[Rating]:
        return rating_list(viewer=self.viewer)

    @extend_schema(request=RatingSubmitSerializer, responses={201: RatingSerializer(many=True)})
    def create(self, request: Request) -> Response:
        """Submit one rater's scores for items, each checked against the policy's bands."""
        data = self.validated(RatingSubmitSerializer)
        ratings = rating_submit(actor=self.actor, **data)
        body = RatingSerializer(ratings, many=True, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


class ScoreEntryViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Bonus and adjustment entries (嘉奖加分, 奖扣分); a department head or manager other than
    the author approves one."""

    serializer_class = ScoreEntrySerializer
    filterset_class = ScoreEntryFilter
    ordering_fields = ["created_at", "id"]

    def get_queryset(self) -> QuerySet[ScoreEntry]:
        return score_entry_list(viewer=self.viewer)

    @extend_schema(request=None, responses=ScoreEntrySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        entry = score_entry_approve(actor=self.actor, entry=self.get_object())
        return self.answer(entry)


class ResultViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Frozen results (考核结果), read-only: the current revision of each by default
    (`all_revisions=true` adds those superseded by corrections); one result in full carries the
    engine's explanation (`data`)."""

    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    ordering_fields = ["total", "employee__number", "id"]

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        return ResultDetailSerializer if self.action == "retrieve" else ResultSerializer

    def get_queryset(self) -> QuerySet[Result]:
        every = self.request.query_params.get("all_revisions", "").lower() in {"true", "1"}
        current = self.action == "list" and not every
        return result_list(viewer=self.viewer, current=current).order_by(
            "period__start", "unit__path", "appraisal_id", "revision"
        )


class OutcomeItemViewSet(*_READ, ScopedViewSet):  # type: ignore[misc]
    """Outcome items of a close (处理事项: publish, sanction, reassign, dismissal …) that HR
    works through: each is marked done or cancelled once."""

    serializer_class = OutcomeItemSerializer
    filterset_class = OutcomeItemFilter
    ordering_fields = ["id", "action", "status"]

    def get_queryset(self) -> QuerySet[OutcomeItem]:
        return outcome_item_list(viewer=self.viewer).select_related("handled_by").order_by("id")

    @extend_schema(request=OutcomeHandleSerializer, responses=OutcomeItemSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request: Request, pk: str) -> Response:
        """Mark the item done (已处理) or cancelled (已撤销, with the reason)."""
        data = self.validated(OutcomeHandleSerializer)
        item = outcome_item_handle(
            actor=self.actor,
            item=self.get_object(),
            status=data["status"],
            note=data.get("note", ""),
        )
        return self.answer(item)
