from mtcheck.align import align


def kinds(beads):
    return [b.kind for b in beads]


def test_split_reference_sentence_gives_1_2():
    mt = ["The minister opened the bridge on Monday, and thousands of residents crossed it on foot.",
          "Traffic will start next week."]
    ref = ["The minister opened the bridge on Monday.", "Thousands of residents crossed it on foot.",
           "Traffic will start next week."]
    beads = align(mt, ref)
    assert kinds(beads) == ["1-2", "1-1"]
    assert beads[0].ref == (0, 1)


def test_merged_reference_sentence_gives_2_1():
    mt = ["The company was founded in 1998.", "It makes solar panels in Jiangsu.",
          "Sales rose by a third last year."]
    ref = ["Founded in 1998, the company makes solar panels in Jiangsu.", "Sales rose by a third last year."]
    assert kinds(align(mt, ref)) == ["2-1", "1-1"]


def test_residue_and_duplicates_stay_unaligned():
    mt = ["laitimes", "College opens", "College opens", "The college opened in June with 300 students.", "Read on"]
    ref = ["College opens", "The college opened in June with 300 students."]
    beads = align(mt, ref)
    assert kinds(beads) == ["1-0", "1-0", "1-1", "1-1", "1-0"]


def test_reference_only_sentence_is_0_1():
    mt = ["Prices rose sharply in March.", "Officials blamed the weather."]
    ref = ["Prices rose sharply in March.", "Analysts had expected a smaller increase after February.",
           "Officials blamed the weather."]
    assert kinds(align(mt, ref)) == ["1-1", "0-1", "1-1"]


def test_every_index_covered_once_and_in_order():
    mt = [f"sentence number {i} about topic {i % 5}" for i in range(60)]
    ref = [t for i, t in enumerate(mt) if i % 7] + ["extra tail sentence"]
    beads = align(mt, ref)
    assert [i for b in beads for i in b.mt] == list(range(len(mt)))
    assert [j for b in beads for j in b.ref] == list(range(len(ref)))


def test_empty_sides():
    assert kinds(align([], ["a"])) == ["0-1"]
    assert kinds(align(["a", "b"], [])) == ["1-0", "1-0"]
