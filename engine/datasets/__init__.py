"""Built-in datasets (seeded), inline data, and train/test splitting."""

from engine.datasets.base import Dataset, dataset_from_arrays, one_hot, plane_of, split
from engine.datasets.registry import DATASETS, DatasetInfo, get_info, make_dataset

__all__ = ["DATASETS", "Dataset", "DatasetInfo", "dataset_from_arrays", "get_info", "make_dataset",
           "one_hot", "plane_of",
           "split"]
