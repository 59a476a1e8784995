"""Comparing two versions of 绩效自评报告: a revision sent back after review, or the same
project's report of the previous year.

The steps, one module each:

* :mod:`~reviewer.compare.sides` reads and reviews each side (files or folders) on its own;
* :mod:`~reviewer.compare.matching` pairs the reports of OLD with those of NEW;
* :mod:`~reviewer.compare.textmap` aligns the two texts of a pair (difflib) and maps offsets;
* :mod:`~reviewer.compare.align` lists every changed number and text (funds, indicators,
  totals, grade, sections);
* :mod:`~reviewer.compare.findings` classifies each finding 已修正 / 仍存在 / 新出现 …;
* :mod:`~reviewer.compare.carryover` finds 存在问题/改进措施 copied from the previous year;
* :mod:`~reviewer.compare.run` ties them together into a :class:`~reviewer.compare.models.CompareResult`;
* ``render_*`` write the terminal summary, compare.html, compare.xlsx and the commented .docx.
"""
