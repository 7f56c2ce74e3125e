"""Datasets a coordinator exports to CSV, Excel or JSON.

Each dataset is a named column list and a streamed query (clinic.store.datasets);
rows pass through a mapper that masks ID numbers and phones (unless the
coordinator asked for ``unmasked``), turns codes into words of the current
language, and never collects. Headers follow the language; JSON uses stable
English keys instead (it is read by programs, not people).

Every export is written to the audit log: who, when, which dataset, filters,
format and how many rows, and whether it was unmasked. Never the numbers
themselves.

Modules: :mod:`.dataset` (what a dataset is, the words of its rows), the
datasets themselves (:mod:`.visit_datasets`, :mod:`.register_datasets`,
:mod:`.activity_datasets`, listed by name in :mod:`.datasets`) and
:mod:`.delivery` (writing, audit).
"""

from clinic.core.exports.dataset import Column, Dataset
from clinic.core.exports.datasets import DATASETS, dataset
from clinic.core.exports.delivery import (
    ExportResult,
    count_rows,
    dataset_rows,
    deliver,
    export_dataset,
    export_target,
    exports_folder,
    record_export,
)

__all__ = [
    "DATASETS",
    "Column",
    "Dataset",
    "ExportResult",
    "count_rows",
    "dataset",
    "dataset_rows",
    "deliver",
    "export_dataset",
    "export_target",
    "exports_folder",
    "record_export",
]
