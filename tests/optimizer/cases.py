"""Optimizer cases checked against real MXNet 1.9.1 (shared by make_golden.py and the tests).

Each case: (name, optimizer registry name, constructor kwargs, options). Options:
``params`` (which of the shared weights to train), ``dtype`` (weight dtype),
``lr_mult``/``wd_mult`` (set_lr_mult/set_wd_mult by index), ``scheduler`` (class name,
kwargs), ``call`` ('single': one updater call per weight; 'list': one call with all).
"""

SHAPES = [(3, 4), (5,), (2, 3)]
STEPS = 5
FULL = {"wd": 0.01, "rescale_grad": 0.5, "clip_gradient": 0.3}

CASES = [
    ("sgd", "sgd", {"learning_rate": 0.1}, {}),
    ("sgd_wd", "sgd", {"learning_rate": 0.1, **FULL}, {}),
    ("sgd_mom", "sgd", {"learning_rate": 0.1, "momentum": 0.9, **FULL}, {}),
    ("sgd_mom_noclip", "sgd", {"learning_rate": 0.05, "momentum": 0.8, "wd": 0.02, "rescale_grad": 0.7},
     {"lr_mult": {0: 0.5}, "wd_mult": {1: 0.0}}),
    ("sgd_mom_list", "sgd", {"learning_rate": 0.1, "momentum": 0.9, **FULL}, {"call": "list"}),
    ("sgd_sched", "sgd", {"momentum": 0.9, "wd": 0.01},
     {"scheduler": ("FactorScheduler", {"step": 2, "factor": 0.5, "base_lr": 0.1})}),
    ("sgd_mp", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "multi_precision": True, **FULL}, {"dtype": "float16"}),
    ("ccsgd", "ccsgd", {"learning_rate": 0.1, "momentum": 0.5}, {}),
    ("nag", "nag", {"learning_rate": 0.1, "momentum": 0.9, **FULL}, {}),
    ("nag_noclip", "nag", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01}, {}),
    ("nag_nomom", "nag", {"learning_rate": 0.1, **FULL}, {}),
    ("nag_mp", "nag", {"learning_rate": 0.1, "momentum": 0.9, "multi_precision": True, "wd": 0.01},
     {"dtype": "float16"}),
    ("signum", "signum", {"learning_rate": 0.01, "momentum": 0.9, "wd_lh": 0.01, **FULL}, {}),
    ("signum_noclip", "signum", {"learning_rate": 0.01, "momentum": 0.9, "wd": 0.01}, {}),
    ("signsgd", "signum", {"learning_rate": 0.01, "momentum": 0.0, "wd": 0.01}, {}),
    ("ftml", "ftml", {"learning_rate": 0.01, **FULL}, {}),
    ("lars", "lars", {"learning_rate": 0.1, "momentum": 0.9, "eta": 0.01, **FULL},
     {"idx2name": {0: "fc_weight", 1: "fc_bias", 2: "conv_weight"}}),
    ("lars_sched", "lars", {"momentum": 0.9, "eta": 0.01, "wd": 0.01},
     {"scheduler": ("FactorScheduler", {"step": 2, "factor": 0.5, "base_lr": 0.1}), "call": "list"}),
    ("lbsgd", "lbsgd", {"learning_rate": 0.1, "momentum": 0.9, "wd": 0.01}, {}),
    ("lamb", "lamb", {"learning_rate": 0.01, **FULL}, {}),
    ("lamb_bounds", "lamb", {"learning_rate": 0.01, "wd": 0.01, "bias_correction": False, "lower_bound": 0.1,
                             "upper_bound": 1.5}, {}),
    ("lamb_list", "lamb", {"learning_rate": 0.01, **FULL}, {"call": "list"}),
    ("dcasgd", "dcasgd", {"learning_rate": 0.1, "lamda": 0.5, **FULL}, {}),
    ("adam", "adam", {"learning_rate": 0.01, **FULL}, {}),
    ("adam_plain", "adam", {"learning_rate": 0.01}, {"lr_mult": {2: 2.0}}),
    ("adam_mp", "adam", {"learning_rate": 0.01, "multi_precision": True, **FULL}, {"dtype": "float16"}),
    ("adamw", "adamw", {"learning_rate": 0.01, **FULL}, {}),
    ("adamw_nobias", "adamw", {"learning_rate": 0.01, "correct_bias": False, "wd": 0.1}, {}),
    ("adagrad", "adagrad", {"learning_rate": 0.1, **FULL}, {}),
    ("rmsprop", "rmsprop", {"learning_rate": 0.01, "clip_weights": 0.9, **FULL}, {}),
    ("rmsprop_centered", "rmsprop", {"learning_rate": 0.01, "centered": True, "wd": 0.01, "rescale_grad": 0.5}, {}),
    ("adadelta", "adadelta", {**FULL}, {}),
    ("ftrl", "ftrl", {"learning_rate": 0.1, "lamda1": 0.01, **FULL}, {}),
    ("adamax", "adamax", {"learning_rate": 0.01, **FULL}, {}),
    ("nadam", "nadam", {"learning_rate": 0.01, **FULL}, {}),
    ("test", "test", {"rescale_grad": 0.5}, {}),
    ("groupadagrad", "groupadagrad", {"learning_rate": 0.1, "rescale_grad": 0.5, "clip_gradient": 0.3},
     {"params": [0, 2]}),
]

SCHEDULERS = [
    ("factor", "FactorScheduler", {"step": 3, "factor": 0.5, "base_lr": 1.0}),
    ("factor_stop", "FactorScheduler", {"step": 2, "factor": 0.1, "stop_factor_lr": 1e-3, "base_lr": 1.0}),
    ("factor_warm", "FactorScheduler", {"step": 4, "factor": 0.9, "base_lr": 0.5, "warmup_steps": 5,
                                        "warmup_begin_lr": 0.1}),
    ("multifactor", "MultiFactorScheduler", {"step": [3, 7, 12], "factor": 0.3, "base_lr": 2.0}),
    ("multifactor_warm", "MultiFactorScheduler", {"step": [6, 9], "factor": 0.5, "base_lr": 1.0, "warmup_steps": 4,
                                                  "warmup_begin_lr": 0.2, "warmup_mode": "constant"}),
    ("poly", "PolyScheduler", {"max_update": 20, "base_lr": 1.0, "pwr": 2}),
    ("poly_final", "PolyScheduler", {"max_update": 15, "base_lr": 0.5, "pwr": 3, "final_lr": 0.01,
                                     "warmup_steps": 5, "warmup_begin_lr": 0.1}),
    ("cosine", "CosineScheduler", {"max_update": 20, "base_lr": 1.0}),
    ("cosine_final", "CosineScheduler", {"max_update": 16, "base_lr": 0.3, "final_lr": 0.05, "warmup_steps": 6}),
]
SCHEDULER_UPDATES = list(range(0, 26))
