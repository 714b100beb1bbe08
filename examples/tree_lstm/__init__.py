"""Tree-LSTM examples: the data side (trees, ListOps, SST, SICK, random trees) lives in ``trees``."""
