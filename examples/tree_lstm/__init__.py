"""Tree-LSTM examples: models in ``model``, training in ``train``; data in ``trees`` (trees, binarizations,
vocabulary, random trees), ``listops`` (generator and parser) and ``treebanks`` (SST and SICK readers)."""
