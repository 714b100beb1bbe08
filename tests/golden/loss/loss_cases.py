"""Loss cases checked against real MXNet 1.9.1 (shared by make_golden_loss.py and tests/gluon/test_loss.py).

Each case: ``(case id, loss class name, constructor kwargs, input specs, grad)``. An
input spec is ``None`` (an absent optional input, passed as None) or
``(shape, dtype, kind)`` with kind ``"randn"``, ``"rand"`` (uniform [0, 1)), ``"pos"``
(uniform [0.5, 2)), ``"prob"`` (uniform [0.05, 0.95)), ``"sign"`` (-1/1), ``"binary"``
(0/1), ``"dist"`` (positive, summing to 1 along the last axis), ``("int", low, high)``
(integer values), or ``("fixed", values)`` (a literal array). ``grad`` lists the inputs
whose gradients are compared (of ``sum(out * head)`` with a random head); with none,
the forward runs unrecorded.
"""

CTC_LABEL = [[1, 0, -1, -1], [2, 1, 1, -1], [0, 1, 0, 2]]

CASES = [
    ("l2", "L2Loss", {}, [((4, 3), "float32", "randn"), ((4, 3), "float32", "randn")], [0]),
    ("l2_weight_sw_reshape", "L2Loss", {"weight": 0.7},
     [((4, 3), "float32", "randn"), ((12,), "float32", "randn"), ((4, 1), "float32", "pos")], [0]),
    ("l2_batch_axis1", "L2Loss", {"batch_axis": 1}, [((3, 4, 2), "float32", "randn"), ((3, 4, 2), "float32", "randn")],
     [0]),
    ("l2_float64", "L2Loss", {}, [((3, 2), "float64", "randn"), ((3, 2), "float64", "randn")], [0]),
    ("l1", "L1Loss", {}, [((4, 5), "float32", "randn"), ((4, 5), "float32", "randn")], [0]),
    ("l1_weight_sw_3d", "L1Loss", {"weight": 2.0},
     [((2, 3, 4), "float32", "randn"), ((2, 3, 4), "float32", "randn"), ((2, 1, 4), "float32", "pos")], [0]),
    ("sbce_logits", "SigmoidBCELoss", {}, [((4, 3), "float32", "randn"), ((4, 3), "float32", "binary")], [0]),
    ("sbce_from_sigmoid", "SigmoidBinaryCrossEntropyLoss", {"from_sigmoid": True},
     [((4, 3), "float32", "prob"), ((4, 3), "float32", "rand")], [0]),
    ("sbce_pos_weight", "SigmoidBCELoss", {},
     [((4, 3), "float32", "randn"), ((4, 3), "float32", "binary"), None, ((1, 3), "float32", "pos")], [0]),
    ("sbce_sigmoid_pos_weight_sw", "SigmoidBCELoss", {"from_sigmoid": True, "weight": 0.5},
     [((4, 3), "float32", "prob"), ((4, 3), "float32", "binary"), ((4, 1), "float32", "pos"),
      ((1, 3), "float32", "pos")], [0]),
    ("sbce_batch_axis1", "SigmoidBCELoss", {"batch_axis": 1},
     [((3, 5), "float32", "randn"), ((3, 5), "float32", "rand")], [0]),
    ("sce_sparse", "SoftmaxCELoss", {}, [((4, 5), "float32", "randn"), ((4,), "float32", ("int", 0, 5))], [0]),
    ("sce_sparse_int32", "SoftmaxCELoss", {}, [((3, 4), "float32", "randn"), ((3,), "int32", ("int", 0, 4))], [0]),
    ("sce_axis1_3d_sw", "SoftmaxCrossEntropyLoss", {"axis": 1},
     [((2, 4, 3), "float32", "randn"), ((2, 3), "float32", ("int", 0, 4)), ((2, 1, 1), "float32", "pos")], [0]),
    ("sce_dense", "SoftmaxCELoss", {"sparse_label": False},
     [((4, 5), "float32", "randn"), ((4, 5), "float32", "dist")], [0]),
    ("sce_from_logits", "SoftmaxCELoss", {"from_logits": True, "weight": 0.5},
     [((4, 5), "float32", "randn"), ((4,), "float32", ("int", 0, 5))], [0]),
    ("sce_batch_axis1", "SoftmaxCELoss", {"batch_axis": 1},
     [((3, 4, 5), "float32", "randn"), ((3, 4), "float32", ("int", 0, 5))], [0]),
    ("sce_float64", "SoftmaxCELoss", {}, [((3, 4), "float64", "randn"), ((3,), "float64", ("int", 0, 4))], [0]),
    ("kl_logits", "KLDivLoss", {}, [((3, 4), "float32", "randn"), ((3, 4), "float32", "dist")], [0]),
    ("kl_softmax_axis1", "KLDivLoss", {"from_logits": False, "axis": 1},
     [((3, 4, 2), "float32", "randn"), ((3, 4, 2), "float32", "rand")], [0]),
    ("kl_batch_axis1_sw", "KLDivLoss", {"batch_axis": 1, "weight": 2.0},
     [((3, 4), "float32", "randn"), ((3, 4), "float32", "rand"), ((1, 4), "float32", "pos")], [0]),
    ("huber", "HuberLoss", {"rho": 0.7}, [((4, 5), "float32", "randn"), ((4, 5), "float32", "randn")], [0]),
    ("huber_sw", "HuberLoss", {}, [((4, 5), "float32", "randn"), ((4, 5), "float32", "randn"),
                                  ((4, 1), "float32", "pos")], [0]),
    ("hinge", "HingeLoss", {"margin": 1.5}, [((4, 5), "float32", "randn"), ((4, 5), "float32", "sign")], [0]),
    ("sqhinge_sw", "SquaredHingeLoss", {}, [((4, 5), "float32", "randn"), ((4, 5), "float32", "sign"),
                                           ((4, 1), "float32", "pos")], [0]),
    ("logistic_signed", "LogisticLoss", {}, [((4, 5), "float32", "randn"), ((4, 5), "float32", "sign")], [0]),
    ("logistic_binary_ba1", "LogisticLoss", {"label_format": "binary", "batch_axis": 1},
     [((3, 4), "float32", "randn"), ((3, 4), "float32", "binary")], [0]),
    ("triplet", "TripletLoss", {"margin": 0.5},
     [((4, 3), "float32", "randn"), ((4, 3), "float32", "randn"), ((4, 3), "float32", "randn")], [0, 1, 2]),
    ("triplet_ba1_weight", "TripletLoss", {"batch_axis": 1, "weight": 2.0},
     [((3, 4, 2), "float32", "randn"), ((3, 4, 2), "float32", "randn"), ((3, 4, 2), "float32", "randn")], [0]),
    ("poisson_logits", "PoissonNLLLoss", {}, [((4, 3), "float32", "randn"), ((4, 3), "float32", ("int", 0, 5))],
     [0]),
    ("poisson_full", "PoissonNLLLoss", {"from_logits": False, "compute_full": True},
     [((4, 3), "float32", "pos"), ((4, 3), "float32", ("int", 1, 6))], []),  # MXNet cannot record it
    ("poisson_sw", "PoissonNLLLoss", {"weight": 0.5},
     [((4, 3), "float32", "randn"), ((4, 3), "float32", ("int", 0, 5)), ((4, 1), "float32", "pos")], [0]),
    ("cosine", "CosineEmbeddingLoss", {},
     [((4, 5), "float32", "randn"), ((4, 5), "float32", "randn"), ((4,), "float32", "sign")], [0, 1]),
    ("cosine_margin_sw", "CosineEmbeddingLoss", {"margin": 0.2, "weight": 1.5},
     [((4, 5), "float32", "randn"), ((4, 5), "float32", "randn"), ((4,), "float32", "sign"),
      ((4, 1), "float32", "pos")], [0]),
    ("sdml", "SDMLLoss", {}, [((4, 3), "float32", "randn"), ((4, 3), "float32", "randn")], [0, 1]),
    ("sdml_smooth", "SDMLLoss", {"smoothing_parameter": 0.1},
     [((3, 5), "float32", "randn"), ((3, 5), "float32", "randn")], [0]),
    ("ctc_ntc", "CTCLoss", {}, [((3, 6, 5), "float32", "randn"), ((3, 4), "float32", ("fixed", CTC_LABEL))], [0]),
    ("ctc_tnc_tn", "CTCLoss", {"layout": "TNC", "label_layout": "TN"},
     [((6, 3, 5), "float32", "randn"), ((4, 3), "float32", ("fixed", [list(r) for r in zip(*CTC_LABEL)]))], [0]),
    ("ctc_lengths", "CTCLoss", {},
     [((3, 6, 5), "float32", "randn"), ((3, 4), "float32", ("fixed", CTC_LABEL)),
      ((3,), "float32", ("fixed", [6, 5, 4])), ((3,), "float32", ("fixed", [2, 3, 2]))], [0]),
    ("ctc_label_lengths_only", "CTCLoss", {},
     [((3, 6, 5), "float32", "randn"), ((3, 4), "float32", ("fixed", CTC_LABEL)), None,
      ((3,), "float32", ("fixed", [1, 3, 3]))], [0]),
    ("ctc_weight_sw", "CTCLoss", {"weight": 0.5},
     [((3, 6, 5), "float32", "randn"), ((3, 4), "float32", ("fixed", CTC_LABEL)), None, None,
      ((3,), "float32", "pos")], [0]),
]


def make_input(rng, spec, np):
    """The NumPy array for one input spec (``np`` is passed so both interpreters share this file)."""
    shape, dtype, kind = spec
    if kind == "randn":
        a = rng.standard_normal(shape)
    elif kind == "rand":
        a = rng.uniform(0, 1, shape)
    elif kind == "pos":
        a = rng.uniform(0.5, 2.0, shape)
    elif kind == "prob":
        a = rng.uniform(0.05, 0.95, shape)
    elif kind == "sign":
        a = rng.randint(0, 2, size=shape) * 2 - 1
    elif kind == "binary":
        a = rng.randint(0, 2, size=shape)
    elif kind == "dist":
        a = rng.uniform(0.1, 1.0, shape)
        a = a / a.sum(axis=-1, keepdims=True)
    elif kind[0] == "int":
        a = rng.randint(kind[1], kind[2], size=shape)
    else:
        a = np.array(kind[1])
    assert a.shape == tuple(shape), (spec, a.shape)
    return a.astype(dtype)
