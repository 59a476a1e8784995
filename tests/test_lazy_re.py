"""reviewer.lazy_re: a lazily compiled pattern behaves as the ``re.Pattern`` it stands for."""

from __future__ import annotations

import copy
import pickle
import re

from reviewer.lazy_re import LazyPattern, compile_all, lazy

TEXT = "预算数100万元，执行数95.5万元，执行率95.5%；得分 9 分。"


def test_lazy_pattern_answers_as_the_compiled_one():
    src, flags = r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|%|分)", re.I
    lp, rp = lazy(src, flags), re.compile(src, flags)
    assert lp.pattern == rp.pattern  # known before compiling
    assert lp._compiled is None
    assert lp.search(TEXT).span() == rp.search(TEXT).span()
    assert lp._compiled is rp or isinstance(lp._compiled, re.Pattern)
    assert lp.match(TEXT) is None and rp.match(TEXT) is None
    assert lp.fullmatch("100万元").groupdict() == rp.fullmatch("100万元").groupdict()
    assert [m.span() for m in lp.finditer(TEXT)] == [m.span() for m in rp.finditer(TEXT)]
    assert lp.findall(TEXT) == rp.findall(TEXT)
    assert lp.sub(r"<\g<num>>", TEXT) == rp.sub(r"<\g<num>>", TEXT)
    assert lp.subn("#", TEXT) == rp.subn("#", TEXT)
    assert lp.split(TEXT) == rp.split(TEXT)
    assert (lp.flags, lp.groups, lp.groupindex) == (rp.flags, rp.groups, rp.groupindex)
    assert lp.compiled() == rp and isinstance(lp.compiled(), re.Pattern)
    assert re.sub(lp.compiled(), "", TEXT) == re.sub(rp, "", TEXT)


def test_methods_are_the_compiled_patterns_own_after_first_use():
    lp = lazy(r"\d+")
    lp.search("1")
    assert lp.__dict__["search"] == lp.compiled().search  # found in the instance: no __getattr__ hop


def test_lazy_pattern_pickles_copies_and_compiles_all():
    lp = lazy(r"[一二三四五]、", re.M)
    again = pickle.loads(pickle.dumps(lp))
    assert isinstance(again, LazyPattern) and again.pattern == lp.pattern and again.flags == lp.flags
    assert copy.copy(lp) is lp and copy.deepcopy(lp) is lp
    fresh = lazy(r"x+y")
    assert compile_all() >= 2 and fresh._compiled is not None
