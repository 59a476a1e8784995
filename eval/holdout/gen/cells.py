# helper: render rows as one-cell-per-line (seed 002 style)
def cells(rows):
    out = []
    for r in rows:
        for i, c in enumerate(r):
            out.append(("\t" if i else "\t") + c)
        out.append("")
    return "\n".join(out)
