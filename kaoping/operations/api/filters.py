"""Filters of the operations lists: period, unit subtree, employee, dates, and each type's own."""

from __future__ import annotations

from kaoping.api.filters import RecordFilterSet
from kaoping.operations.models import (
    CallStatistic,
    Complaint,
    FeeCollection,
    Incident,
    OwnerVisit,
    SurveyResponse,
    WorkOrder,
    WorkPointEntry,
)


class ComplaintFilter(RecordFilterSet):
    date_field = Complaint.date_field

    class Meta:
        model = Complaint
        fields = ["category", "source", "valid", "major", "external_id"]


class IncidentFilter(RecordFilterSet):
    date_field = Incident.date_field
    employee_lookup = None

    class Meta:
        model = Incident
        fields = ["kind", "external_id"]


class CallStatisticFilter(RecordFilterSet):
    date_field = CallStatistic.date_field
    employee_lookup = None

    class Meta:
        model = CallStatistic
        fields = ["external_id"]


class WorkOrderFilter(RecordFilterSet):
    date_field = WorkOrder.date_field

    class Meta:
        model = WorkOrder
        fields = ["kind", "external_id"]


class FeeCollectionFilter(RecordFilterSet):
    date_field = FeeCollection.date_field

    class Meta:
        model = FeeCollection
        fields = ["building", "external_id"]


class OwnerVisitFilter(RecordFilterSet):
    date_field = OwnerVisit.date_field

    class Meta:
        model = OwnerVisit
        fields = ["callback", "external_id"]


class SurveyResponseFilter(RecordFilterSet):
    date_field = SurveyResponse.date_field

    class Meta:
        model = SurveyResponse
        fields = ["level", "external_id"]


class WorkPointEntryFilter(RecordFilterSet):
    date_field = WorkPointEntry.date_field

    class Meta:
        model = WorkPointEntry
        fields = ["kind", "external_id"]
