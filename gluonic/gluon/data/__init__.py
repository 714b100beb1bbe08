"""``gluon.data``: datasets, samplers, batchify functions and the DataLoader (MXNet 1.9's API).

Example
-------
>>> from gluonic import gluon
>>> ds = gluon.data.ArrayDataset(np.ones((10, 3), dtype='float32'), np.arange(10))
>>> loader = gluon.data.DataLoader(ds, batch_size=4, shuffle=True, last_batch='discard')
>>> [x.shape for x, y in loader]
[(4, 3), (4, 3)]
"""
from . import batchify, dataloader, dataset, sampler, vision
from ._errors import DataAssertionError, DataLoaderTimeoutError, DataLoaderWorkerError
from .dataloader import DataLoader
from .dataset import ArrayDataset, Dataset, SimpleDataset
from .record_dataset import RecordFileDataset
from .sampler import BatchSampler, FilterSampler, IntervalSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset", "RecordFileDataset", "Sampler", "SequentialSampler", "RandomSampler",
           "FilterSampler", "BatchSampler", "IntervalSampler", "DataLoader", "DataLoaderWorkerError",
           "DataLoaderTimeoutError", "DataAssertionError", "batchify", "dataloader", "dataset", "sampler",
           "vision"]
