"""Every dataset a coordinator can export, by name."""

from __future__ import annotations

from clinic.core.errors import FieldError
from clinic.core.exports.activity_datasets import REPORT, TALKS, VOLUNTEER_HOURS
from clinic.core.exports.dataset import Dataset
from clinic.core.exports.register_datasets import COVERAGE, HOUSEHOLDS, PERSONS
from clinic.core.exports.visit_datasets import FOLLOW_UPS, HANDOUTS, VISITS
from clinic.i18n import _

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        REPORT,
        VISITS,
        HANDOUTS,
        PERSONS,
        HOUSEHOLDS,
        COVERAGE,
        VOLUNTEER_HOURS,
        FOLLOW_UPS,
        TALKS,
    )
}


def dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        raise FieldError(
            _("Unknown dataset {name}; use one of: {choices}.").format(
                name=name, choices=", ".join(DATASETS)
            )
        ) from None
