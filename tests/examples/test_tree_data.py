"""The Tree-LSTM examples' data side: trees, ListOps, SST, SICK, Vocab, random trees."""
from __future__ import annotations

import statistics
from collections import Counter

import pytest

from examples.tree_lstm.listops import (
    evaluate,
    generate_listops,
    listops_expression,
    parse_listops,
    read_listops_tsv,
    write_listops_tsv,
)
from examples.tree_lstm.treebanks import SickPair, parse_ptb, parse_sst, read_sick, read_sst
from examples.tree_lstm.trees import (
    Tree,
    Vocab,
    balanced,
    left_branching,
    random_trees,
    right_branching,
    tokenize,
)

# ------------------------------------------------------------------------------ reference evaluator


def _reference(tokens: list[str], i: int = 0) -> tuple[int, int]:
    """Recursive-descent ListOps evaluator (median = lower median): (value, index after the item)."""
    tok = tokens[i]
    if tok.isdigit():
        return int(tok), i + 1
    args, i = [], i + 1
    while tokens[i] != "]":
        value, i = _reference(tokens, i)
        args.append(value)
    fn = {"[MAX": max, "[MIN": min, "[SM": lambda a: sum(a) % 10,
          "[MED": lambda a: sorted(a)[(len(a) - 1) // 2]}[tok]
    return fn(args), i + 1


def reference_value(expression: str) -> int:
    tokens = expression.split()
    value, end = _reference(tokens)
    assert end == len(tokens)
    return value


# -------------------------------------------------------------------------------------------- Tree


def test_tree_stats():
    t = parse_ptb("(3 (2 It) (4 (2 's) (3 (2 a) (3 lark))))")
    assert (t.size(), t.depth()) == (7, 4)
    assert t.words() == ["It", "'s", "a", "lark"]
    assert [leaf.label for leaf in t.leaves()] == [2, 2, 2, 3]
    post = t.nodes_postorder()
    assert post[-1] is t and len(post) == 7
    assert [n.word for n in post] == ["It", "'s", "a", "lark", None, None, None]
    assert [n.label for n in post if n.word is None] == [3, 4, 3]
    leaf = Tree(1, "x")
    assert leaf.is_leaf and (leaf.size(), leaf.depth(), leaf.words()) == (1, 1, ["x"])


def test_tree_ptb_round_trip_and_equality():
    line = "(3 (2 It) (4 (2 's) (3 (2 a) (3 lark))))"
    t = parse_ptb(line)
    assert t.to_ptb() == line
    assert parse_ptb(t.to_ptb()) == t
    assert t != parse_ptb("(3 (2 It) (4 (2 's) (3 (2 a) (3 larks))))")
    assert "It" in repr(t)


def test_deep_tree_has_no_recursion_limit():
    tokens = [str(i) for i in range(2000)]
    t = right_branching(tokens)
    assert (t.size(), t.depth(), len(t.nodes_postorder())) == (3999, 2000, 3999)
    assert t.words() == tokens
    assert t.map_words(str.upper) == t  # digits: upper-casing changes nothing
    assert len(t.to_ptb()) > 0


def test_binarizations():
    toks = ["a", "b", "c", "d", "e"]
    r, left, b = right_branching(toks, label=4), left_branching(toks), balanced(toks)
    for t in (r, left, b):
        assert t.words() == toks and t.size() == 9
        assert all(len(n.children) in (0, 2) for n in t.nodes_postorder())
    assert (r.depth(), left.depth(), b.depth()) == (5, 5, 4)
    assert r.label == 4 and r.children[0].word == "a" and left.children[1].word == "e"
    assert right_branching(["x"]) == Tree(None, "x")
    with pytest.raises(ValueError, match="zero tokens"):
        balanced([])


# ----------------------------------------------------------------------------------------- ListOps


def test_listops_examples():
    assert evaluate("[MAX 2 9 [MIN 4 7 ] 0 ]") == 9
    assert evaluate("[SM 5 [MED 1 8 3 ] 9 ]") == 7
    assert evaluate("[MED 2 9 ]") == 2
    assert evaluate("[MED 2 9 ]", median="numpy") == 5
    assert evaluate("[MED 1 2 3 4 ]", median="numpy") == 2
    assert evaluate("7") == 7
    # the published files spell out a binarization with parentheses; they are ignored
    assert evaluate("( ( ( [MAX 2 ) 9 ) ( ( ( [MIN 4 ) 7 ) ] ) ) ]") == 9


def test_listops_tree_layout():
    t = parse_listops("[MAX 2 9 [MIN 4 7 ] 0 ]")
    assert (t.label, t.word, t.size(), t.depth()) == (9, None, 9, 3)
    assert [c.word for c in t.children] == ["[MAX", "2", "9", None, "0"]
    assert t.children[0].label is None and t.children[1].label == 2
    inner = t.children[3]
    assert (inner.label, [c.word for c in inner.children]) == (4, ["[MIN", "4", "7"])
    assert t.words() == ["[MAX", "2", "9", "[MIN", "4", "7", "0"]


@pytest.mark.parametrize("bad, where", [
    ("[MAX 2 9", "not closed"),
    ("[MAX 2 ] ]", "without an open list"),
    ("[MAX ]", "at least one argument"),
    ("[MAX 2 12 ]", "unknown token.*at token 2"),
    ("[FOO 1 ]", "unknown token.*at token 0"),
    ("[MAX 1 ] 3", "after the end"),
    ("", "empty"),
])
def test_listops_errors(bad, where):
    with pytest.raises(ValueError, match=where):
        parse_listops(bad)


def test_generate_listops_deterministic():
    a = generate_listops(50, seed=7)
    assert a == generate_listops(50, seed=7)
    assert a != generate_listops(50, seed=8)
    assert len(a) == 50 and all(isinstance(e, str) and 0 <= v <= 9 for e, v in a)


def test_generate_listops_round_trip_and_sizes():
    examples = generate_listops(400, min_nodes=6, max_nodes=30, max_args=4, max_depth=7, seed=1)
    for expression, value in examples:
        tree = parse_listops(expression)
        assert value == evaluate(expression) == reference_value(expression) == tree.label
        assert listops_expression(tree) == expression
        assert 6 <= tree.size() <= 30 and tree.depth() <= 7 + 1
        for node in tree.nodes_postorder():  # every list node is labelled with its own value
            if node.word is None:
                assert node.label == reference_value(listops_expression(node))
                assert 3 <= len(node.children) <= 5  # operator token + 2..4 arguments


def test_generate_listops_distribution():
    examples = generate_listops(1000, seed=0)
    values = Counter(v for _, v in examples)
    assert max(values.values()) / len(examples) < 0.4 and len(values) == 10
    trees = [parse_listops(e) for e, _ in examples]
    sizes = [t.size() for t in trees]
    depths = Counter(t.depth() for t in trees)
    assert min(sizes) >= 5 and max(sizes) <= 40 and 15 <= statistics.mean(sizes) <= 30
    shallow = sum(c for d, c in depths.items() if d <= 3) / len(trees)
    deep = sum(c for d, c in depths.items() if d >= 8) / len(trees)
    assert shallow > 0.2 and deep > 0.05, depths


def test_generate_listops_bad_arguments():
    with pytest.raises(ValueError, match="max_args"):
        generate_listops(1, max_args=1)
    with pytest.raises(ValueError, match="between 50 and 60"):
        generate_listops(1, min_nodes=50, max_nodes=60, max_args=2, max_depth=2)
    assert generate_listops(0) == []


def test_listops_tsv_round_trip(tmp_path):
    examples = generate_listops(20, seed=2)
    for header in (False, True):
        path = tmp_path / f"listops_{header}.tsv"
        write_listops_tsv(path, examples, header=header)
        assert read_listops_tsv(path) == examples
    # header with the columns the other way round, and a blank line
    path = tmp_path / "swapped.tsv"
    path.write_text("Target\tSource\n9\t[MAX 2 9 ]\n\n3\t[MIN 3 5 ]\n")
    assert read_listops_tsv(path) == [("[MAX 2 9 ]", 9), ("[MIN 3 5 ]", 3)]
    path.write_text("9\t[MAX 2 9 ]\nx\t[MIN 3 5 ]\n")
    with pytest.raises(ValueError, match="line 2"):
        read_listops_tsv(path)
    with pytest.raises(FileNotFoundError, match="nowhere.tsv"):
        read_listops_tsv(tmp_path / "nowhere.tsv")


# --------------------------------------------------------------------------------------------- SST

SST_LINES = """\
(3 (2 It) (4 (2 's) (3 (2 a) (3 lark))))
(2 (2 Just) (2 fine))

(0 (1 Bad) (0 (2 and) (0 dull)))
"""


def test_parse_sst_fine_grained():
    trees = parse_sst(SST_LINES)
    assert len(trees) == 3
    assert [t.label for t in trees] == [3, 2, 0]
    assert trees[2].words() == ["Bad", "and", "dull"]
    assert all(n.label in range(5) for t in trees for n in t.nodes_postorder())


def test_parse_sst_binary():
    trees = parse_sst(SST_LINES, binary=True)
    assert [t.label for t in trees] == [1, 0]  # the neutral sentence is dropped
    assert [n.label for n in trees[0].nodes_postorder()] == [None, None, None, 1, 1, 1, 1]
    assert [n.label for n in trees[1].nodes_postorder()] == [0, None, 0, 0, 0]


@pytest.mark.parametrize("bad, message", [
    ("(3 (2 It) (4 (2 's)", "unclosed"),
    ("(3 (2 It)))", "unbalanced"),
    ("(x (2 It))", "not a number"),
    ("(3 (2 It now))", "after the word"),
    ("(3 (2 It)) (2 b)", "after the end"),
    ("(3 It (2 b))", "after the word"),
    ("hello", "found the word"),
])
def test_parse_sst_malformed_names_line(bad, message):
    with pytest.raises(ValueError, match=f"line 2: .*{message}"):
        parse_sst(["(2 (2 ok) (2 fine))", bad])


def test_parse_ptb_label_modes():
    parse = "(ROOT (S (NP (DT A) (NN man)) (VP (VBZ sings))))"
    t = parse_ptb(parse, labels="ignore")
    assert t.words() == ["A", "man", "sings"] and all(n.label is None for n in t.nodes_postorder())
    assert parse_ptb("(0.5 (1 a) (_ b))", labels="number").label == 0.5
    assert parse_ptb("(0.5 (1 a) (_ b))", labels="number").children[1].label is None


def test_read_sst(tmp_path):
    path = tmp_path / "train.txt"
    path.write_text(SST_LINES)
    assert read_sst(path) == parse_sst(SST_LINES)
    with pytest.raises(FileNotFoundError, match="trainDevTestTrees_PTB"):
        read_sst(tmp_path / "missing.txt")


# -------------------------------------------------------------------------------------------- SICK

SICK_SEMEVAL = """\
pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment
1\tA group of kids is playing in a yard\tA group of boys in a yard is playing\t4.5\tNEUTRAL
2\tThe man isn't playing a guitar.\tA man is playing a guitar\t3.6\tCONTRADICTION
"""

SICK_FULL = """\
pair_ID\tsentence_A\tsentence_B\tentailment_label\trelatedness_score\tentailment_AB\tSemEval_set
1\tA dog runs\tA dog is running\tENTAILMENT\t4.9\tA_entails_B\tTRAIN
2\tA cat sleeps\tA man cooks\tNEUTRAL\t1.2\tA_neutral_B\tTEST
"""


def test_read_sick_semeval_format(tmp_path):
    path = tmp_path / "SICK_train.txt"
    path.write_text(SICK_SEMEVAL)
    pairs = read_sick(path)
    assert pairs[0] == SickPair("1", "A group of kids is playing in a yard", "A group of boys in a yard is playing",
                                4.5, "NEUTRAL", None)
    assert (pairs[1].relatedness, pairs[1].entailment) == (3.6, "CONTRADICTION")
    tokens = tokenize(pairs[1].sentence_a)
    assert tokens == ["the", "man", "is", "n't", "playing", "a", "guitar", "."]
    tree = right_branching(tokens, label=pairs[1].relatedness)
    assert tree.words() == tokens and tree.label == 3.6
    with pytest.raises(ValueError, match="SemEval_set"):
        read_sick(path, split="TRAIN")


def test_read_sick_full_format_and_errors(tmp_path):
    path = tmp_path / "SICK.txt"
    path.write_text(SICK_FULL)
    pairs = read_sick(path)
    assert [(p.pair_id, p.entailment, p.relatedness, p.split) for p in pairs] == [
        ("1", "ENTAILMENT", 4.9, "TRAIN"), ("2", "NEUTRAL", 1.2, "TEST")]
    assert [p.pair_id for p in read_sick(path, split="test")] == ["2"]
    path.write_text(SICK_FULL.replace("relatedness_score", "score"))
    with pytest.raises(ValueError, match="relatedness_score"):
        read_sick(path)
    path.write_text(SICK_FULL + "3\tonly two\tcolumns\n")
    with pytest.raises(ValueError, match="line 4"):
        read_sick(path)
    with pytest.raises(FileNotFoundError, match="SICK"):
        read_sick(tmp_path / "nope.txt")


def test_tokenize():
    assert tokenize("A man's hat, isn't it?") == ["a", "man", "'s", "hat", ",", "is", "n't", "it", "?"]
    assert tokenize("Two Dogs", lower=False) == ["Two", "Dogs"]


# ------------------------------------------------------------------------------------------- Vocab


def test_vocab():
    trees = parse_sst(SST_LINES)
    vocab = Vocab.from_trees(trees)
    assert vocab.idx_to_token[:2] == ["<pad>", "<unk>"] and (vocab.pad_id, vocab.unk_id) == (0, 1)
    assert len(vocab) == 2 + 9 and "lark" in vocab and "zebra" not in vocab
    assert vocab["zebra"] == 1 and vocab.to_tokens(vocab[["It", "zebra"]]) == ["It", "<unk>"]
    encoded = vocab.encode(trees[0])
    assert encoded.words() == vocab[trees[0].words()] and encoded.size() == trees[0].size()
    assert trees[0].words()[0] == "It"  # encode copies
    counted = Vocab(["b", "a", "b", "c", "a", "b"], min_freq=2)
    assert counted.idx_to_token == ["<pad>", "<unk>", "b", "a"]
    assert Vocab(["b", "a", "b"], max_size=3).idx_to_token == ["<pad>", "<unk>", "b"]
    listops_vocab = Vocab.from_trees(parse_listops(e) for e, _ in generate_listops(200))
    assert len(listops_vocab) == 2 + 10 + 4
    with pytest.raises(TypeError, match="string tokens"):
        Vocab.from_trees(random_trees(1))


# ------------------------------------------------------------------------------------ random trees


def test_random_trees_deterministic_and_sized():
    a = random_trees(300, seed=3)
    assert a == random_trees(300, seed=3) and a != random_trees(300, seed=4)
    sizes = [t.size() for t in a]
    assert all(s % 2 == 1 and 5 <= s <= 39 for s in sizes)
    assert len(set(sizes)) == 18  # 5, 7, ..., 39 all occur
    for t in a:
        assert all(len(n.children) in (0, 2) for n in t.nodes_postorder())
        assert all(isinstance(w, int) and 2 <= w < 5000 for w in t.words())
        assert all(n.label in range(5) for n in t.nodes_postorder())
    depths = [t.depth() for t in a]
    assert min(depths) <= 4 and max(depths) >= 18  # balanced and chain-shaped trees both occur


def test_random_trees_shapes():
    for shape, depth in (("left", lambda n: n), ("right", lambda n: n), ("balanced", lambda n: (n - 1).bit_length() + 1)):
        for t in random_trees(20, min_nodes=3, max_nodes=31, shape=shape, num_classes=None, seed=5):
            n = len(t.leaves())
            assert t.depth() == depth(n) and t.label is None
    words = Counter(w for t in random_trees(200, vocab_size=50) for w in t.words())
    assert words.most_common(1)[0][0] == 2  # Zipf-like: the lowest id is the most frequent
    with pytest.raises(ValueError, match="shape"):
        random_trees(1, shape="zigzag")
    with pytest.raises(ValueError, match="odd"):
        random_trees(1, min_nodes=6, max_nodes=6)
